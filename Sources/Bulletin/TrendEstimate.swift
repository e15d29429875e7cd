import Alerts
import Gauges
import Warnings

/// What is expected, from an active `forecast` warning: a straight line through the last readings reaches the next
/// alarm level within a few hours. Worded as an estimate from the trend ("ước tính theo xu thế"), never as a forecast
/// ("dự báo"): public forecasts are the hydro-meteorological service's to issue.
public struct TrendEstimate: Sendable, Hashable {
    public var warningID: Int64
    public var station: String
    public var name: String
    public var river: String
    /// The alarm level the trend reaches: 1–3 for BĐ I–III, 4 for the flood of record; and its height.
    public var target: Int
    public var targetMetres: Double?
    /// When the line reaches it, to the nearest 5 minutes; nil while the warning is held without a projection.
    public var around: Int64?
    /// The reading the estimate was made from.
    public var from: Observation?
    /// The official risk level if the target is reached (Article 45), where the warning states one.
    public var riskLevelIfReached: Int?
    /// "Ái Nghĩa (Vu Gia): ước tính theo xu thế, mực nước có thể đạt báo động III (9,00 m) vào khoảng 20:10 ngày
    /// 28/10 (8,62 m lúc 19:00 ngày 28/10)".
    public var sentence: Phrase

    public init(_ warning: ActiveWarning, station: Station, at time: Int64) {
        let event = warning.latest.event
        warningID = warning.latest.warningID
        self.station = station.id
        name = station.name
        river = station.river
        target = event.level
        targetMetres = event.threshold
        // A straight line is no minute-exact estimate.
        around = event.projectedTimestamp.map { ($0 + 150_000) / 300_000 * 300_000 }
        from = event.value.map { Observation(time: event.timestamp, value: $0) }
        riskLevelIfReached = event.riskLevel
        let reference = BulletinTime(time)
        let (target, metres, around, from, risk) = (target, targetMetres, around, from, riskLevelIfReached)
        let (place, record) = (station.name + " (" + station.river + ")", station.record)
        sentence = Phrase { language in
            var goal: String
            if target == 4 {
                let year = record.map { String($0.year) } ?? "?"
                goal =
                    language == .vietnamese ? "lũ lịch sử năm " + year : "the flood of record (" + year + ")"
            } else {
                goal = LevelStanding.alarmName(target, language)
            }
            if let metres { goal += " (" + NumberFormat.metres(metres, language) + " m)" }
            var text =
                place + ": "
                + (language == .vietnamese
                    ? "ước tính theo xu thế, mực nước có thể đạt " : "trend estimate: the water may reach ") + goal
            if let around {
                let at = BulletinTime(around).short(language, reference: reference)
                text +=
                    language == .vietnamese
                    ? " vào khoảng " + at.dropFirst("lúc ".count) : " around " + at.dropFirst("at ".count)
            }
            if let from {
                text +=
                    " (" + NumberFormat.metres(from.value, language) + " m "
                    + BulletinTime(from.time).short(language, reference: reference) + ")"
            }
            if let risk {
                text +=
                    language == .vietnamese
                    ? "; cấp độ rủi ro thiên tai do lũ, ngập lụt nếu đạt mức này: cấp \(risk)"
                    : "; flood risk level if reached: level \(risk)"
            }
            return text
        }
    }
}
