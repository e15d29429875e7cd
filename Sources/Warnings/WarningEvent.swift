import Gauges

/// The rules of the warning engine; the raw value is the rule id stored in `warnings.rule`.
public enum WarningRule: String, Sendable, Hashable, CaseIterable, Codable {
    /// Official alarm levels BĐ I–III, and the highest flood on record as level 4.
    case level
    /// Rate of rise over a window.
    case rise
    /// A trend projected to reach the next alarm level within a horizon.
    case forecast
    /// Rain accumulated over rolling windows.
    case rain
    /// No reading from a sensor for too long.
    case silent
    /// The gauge's `seq` counter skipped: readings lost before they reached FloodWatch (level 1). The storage finds
    /// the gaps (it sees every stored counter), the engine judges them; cleared when the missing readings arrive.
    case gap
    /// Flash floods and landslides from rain (Article 46 of Decision 18/2021/QĐ-TTg): the 24-hour rain and the days
    /// it had rained before, in an area with a landslide risk zone; levels 1–3 by the 24-hour rain tier.
    case landslide
    /// A reservoir's release: levels by outflow thresholds, told again whenever the outflow steps up.
    case release
    /// A reservoir's level near (1) or at and above (2) its normal water level.
    case pool
}

/// What happened to a warning; the raw value is stored in `warnings.event`.
public enum WarningEventKind: String, Sendable, Hashable, CaseIterable, Codable {
    case raised
    case escalated
    case deescalated
    /// The warning stays at its level but what it reports has grown (a reservoir's outflow stepped up): told
    /// again, like an escalation.
    case updated
    case cleared
    /// Written by officers (alerts issue), never by the engine.
    case acknowledged
}

/// One change of one warning: a row of the `warnings` time series.
///
/// There is at most one open warning per (station, sensor, rule); its life is `raised`, then any number of
/// `escalated` / `deescalated`, then `cleared`.
public struct WarningEvent: Sendable, Hashable {
    public var station: String
    public var sensor: SensorKind
    public var rule: WarningRule
    public var kind: WarningEventKind
    /// The warning's level after the event, 0 when cleared.
    public var level: Int
    /// Unix epoch ms UTC of the reading that caused the event; for a silent gauge, the time the silence was
    /// detected (raised) or the reading that ended it (cleared).
    public var timestamp: Int64
    /// What the rule measured: the water level (level), the rise (rise), the current level (forecast), the rain sum
    /// (rain), the last value received (silent).
    public var value: Double?
    /// The threshold the value is judged against for the level after the event (for `cleared`, the lowest
    /// threshold of the warning that ended).
    public var threshold: Double?
    /// Rise and rain: the window, in seconds, the value was measured over; silent: the silence limit.
    public var windowSeconds: Int?
    /// Forecast: when the line reaches the threshold, and the level it projects at the end of the horizon.
    public var projectedTimestamp: Int64?
    public var projectedValue: Double?
    /// Caused by a reading that arrived well after its time (a backlog after a link loss).
    public var late: Bool
    /// The official risk level (cấp độ rủi ro thiên tai, 1–5) of Decision 18/2021/QĐ-TTg the event states; nil when
    /// the rule has none, or the Decision's text found does not decide the case. Never the rule's own level.
    public var riskLevel: Int?
    /// The area (commune, ward) the event is about, by id.
    public var area: String?
    /// Short, specific, in local time (Asia/Ho_Chi_Minh).
    public var messageVI: String
    public var messageEN: String

    public init(
        station: String, sensor: SensorKind, rule: WarningRule, kind: WarningEventKind, level: Int, timestamp: Int64,
        value: Double? = nil, threshold: Double? = nil, windowSeconds: Int? = nil, projectedTimestamp: Int64? = nil,
        projectedValue: Double? = nil, late: Bool = false, riskLevel: Int? = nil, area: String? = nil,
        messageVI: String, messageEN: String
    ) {
        self.station = station
        self.sensor = sensor
        self.rule = rule
        self.kind = kind
        self.level = level
        self.timestamp = timestamp
        self.value = value
        self.threshold = threshold
        self.windowSeconds = windowSeconds
        self.projectedTimestamp = projectedTimestamp
        self.projectedValue = projectedValue
        self.late = late
        self.riskLevel = riskLevel
        self.area = area
        self.messageVI = messageVI
        self.messageEN = messageEN
    }
}

/// A sensor of a station: the unit the engine keeps state for.
public struct SensorKey: Sendable, Hashable, Codable, Comparable {
    public var station: String
    public var sensor: SensorKind

    public init(station: String, sensor: SensorKind) {
        self.station = station
        self.sensor = sensor
    }

    public static func < (lhs: SensorKey, rhs: SensorKey) -> Bool {
        (lhs.station, lhs.sensor.rawValue) < (rhs.station, rhs.sensor.rawValue)
    }
}
