import Gauges

/// What one call of `WarningEngine.evaluate` or `replay` found.
public struct Evaluation: Sendable, Hashable {
    /// The events, in the order they happened: by time, then by rule (level, rise, forecast, rain, silent), then
    /// by station in catalogue order.
    public var events: [WarningEvent]
    /// Readings the spike check holds back as implausible; the caller stores them again with `Quality.suspect`.
    /// A spike later confirmed by the next reading stays suspect: see `SpikeFilter`.
    public var suspect: [Reading]

    public init(events: [WarningEvent] = [], suspect: [Reading] = []) {
        self.events = events
        self.suspect = suspect
    }
}

/// A warning that has been raised and not cleared.
public struct OpenWarning: Sendable, Hashable {
    public var station: String
    public var sensor: SensorKind
    public var rule: WarningRule
    public var level: Int
    /// The time of the `raised` event (Unix ms).
    public var since: Int64

    public init(station: String, sensor: SensorKind, rule: WarningRule, level: Int, since: Int64) {
        self.station = station
        self.sensor = sensor
        self.rule = rule
        self.level = level
        self.since = since
    }
}

extension WarningRule {
    /// The order of rules among events of one instant.
    var order: Int {
        switch self {
        case .level: 0
        case .rise: 1
        case .forecast: 2
        case .rain: 3
        case .silent: 4
        case .gap: 5
        case .landslide: 6
        case .release: 7
        case .pool: 8
        }
    }
}

extension WarningEvent {
    /// An event of `rule` at `plan`'s station, with the messages in both languages.
    init(
        _ plan: StationPlan, _ sensor: SensorKind, _ rule: WarningRule, _ step: Hysteresis.Step, at time: Int64,
        value: Double?, threshold: Double?, windowSeconds: Int? = nil, projectedTimestamp: Int64? = nil,
        projectedValue: Double? = nil, late: Bool, riskLevel: Int? = nil, area: String? = nil, message: Message
    ) {
        self.init(
            station: plan.id, sensor: sensor, rule: rule, kind: step.kind, level: step.to, timestamp: time,
            value: value, threshold: threshold, windowSeconds: windowSeconds, projectedTimestamp: projectedTimestamp,
            projectedValue: projectedValue, late: late, riskLevel: riskLevel, area: area ?? plan.station.area,
            messageVI: message.vi, messageEN: message.en)
    }
}
