import Alerts
import Gauges
import Warnings

/// A warning active at T, with its message. A `forecast` warning's message is replaced by the bulletin's trend
/// estimate ("ước tính theo xu thế"): public forecasts are the hydro-meteorological service's to issue.
public struct WarningReport: Sendable, Hashable {
    /// `warnings.warning_id`.
    public var warningID: Int64
    public var station: String
    public var name: String
    public var sensor: SensorKind
    public var rule: WarningRule
    /// The rule's own level (for `level`, the alarm level reached; 4 the flood of record). Not a risk level.
    public var level: Int
    /// When it was raised, and the time of its latest event (reading times).
    public var raisedAt: Int64
    public var updatedAt: Int64
    /// The official risk level its latest event states, if any (for `forecast`: if the projected level is reached).
    public var riskLevel: Int?
    public var area: String?
    /// Who acknowledged it at its current level, by T.
    public var acknowledgedBy: String?
    public var message: Phrase

    public init(_ warning: ActiveWarning, station: Station?, at time: Int64) {
        let event = warning.latest.event
        warningID = warning.latest.warningID
        self.station = event.station
        name = station?.name ?? event.station
        sensor = event.sensor
        rule = event.rule
        level = event.level
        raisedAt = warning.raisedAt
        updatedAt = event.timestamp
        riskLevel = event.riskLevel
        area = event.area
        acknowledgedBy = warning.acknowledgedBy
        if event.rule == .forecast, let station {
            message = TrendEstimate(warning, station: station, at: time).sentence
        } else {
            message = Phrase(vi: event.messageVI, en: event.messageEN)
        }
    }

    /// What the rule watches: "Mực nước so với báo động" / "Water level against alarm levels", ….
    public var ruleName: Phrase { Self.name(rule) }

    static func name(_ rule: WarningRule) -> Phrase {
        switch rule {
        case .level: Phrase(vi: "Mực nước", en: "Water level")
        case .rise: Phrase(vi: "Lũ lên nhanh", en: "Fast rise")
        case .forecast: Phrase(vi: "Xu thế mực nước", en: "Water level trend")
        case .rain: Phrase(vi: "Mưa lớn", en: "Heavy rain")
        case .silent: Phrase(vi: "Mất số liệu", en: "Gauge silent")
        case .gap: Phrase(vi: "Thiếu gói số liệu", en: "Readings lost")
        case .landslide: Phrase(vi: "Lũ quét, sạt lở đất", en: "Flash flood, landslide")
        case .release: Phrase(vi: "Hồ xả", en: "Reservoir release")
        case .pool: Phrase(vi: "Mực nước hồ", en: "Reservoir level")
        }
    }

    /// "mức 2" / "level 2": the rule's level, written apart from the official "cấp" of a risk level.
    public var levelName: Phrase {
        Phrase(vi: "mức \(level)", en: "level \(level)")
    }
}
