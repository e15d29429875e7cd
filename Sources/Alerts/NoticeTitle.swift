import Warnings

/// The short name of what a notice is about, in Vietnamese and English: CAP `event`, e-mail subjects, chat
/// messages. "Flood warning, alarm level III" / "Cảnh báo lũ, báo động III".
public struct NoticeTitle: Sendable, Hashable {
    public var vi: String
    public var en: String

    public init(vi: String, en: String) {
        self.vi = vi
        self.en = en
    }

    /// The title of a notice. A cleared warning is named by the level it had.
    public init(_ notice: Notice) {
        if notice.kind == .bulletin {
            self.init(vi: "Bản tin tình hình mưa lũ", en: "Flood situation report")
            return
        }
        guard notice.kind != .grouped, let stored = notice.event else {
            self = Self.grouped(notice.members)
            return
        }
        let event = stored.event
        // A cleared warning is named by the level it ended at; every other event by the level it is at now.
        let base = Self.rule(event.rule, level: event.kind == .cleared ? notice.previousLevel : event.level)
        switch (notice.kind, event.kind) {
        case (.reminder, _):
            self.init(vi: "Nhắc lại: " + base.vi, en: "Reminder: " + base.en)
        case (_, .cleared):
            self.init(vi: base.vi + " — kết thúc", en: base.en + " — ended")
        case (_, .acknowledged):
            let by = stored.acknowledgedBy ?? "?"
            self.init(vi: base.vi + " — đã xác nhận bởi " + by, en: base.en + " — acknowledged by " + by)
        default:
            self.init(vi: base.vi, en: base.en)
        }
    }

    /// A storm of silent gauges, as it happened: "3 trạm đo mất tín hiệu" / "3 gauges went silent", "2 trạm đo có số
    /// liệu trở lại" / "2 gauges came back", or both.
    static func grouped(_ members: [StoredWarningEvent]) -> NoticeTitle {
        let back = Set(members.filter { $0.event.kind == .cleared }.map(\.event.station)).count
        let silent = Set(members.filter { $0.event.kind != .cleared }.map(\.event.station)).count
        var vi: [String] = []
        var en: [String] = []
        if silent > 0 || back == 0 {
            vi.append("\(silent) trạm đo mất tín hiệu")
            en.append("\(silent) gauge\(silent == 1 ? "" : "s") went silent")
        }
        if back > 0 {
            vi.append("\(back) trạm đo có số liệu trở lại")
            en.append("\(back) gauge\(back == 1 ? "" : "s") came back")
        }
        return NoticeTitle(vi: vi.joined(separator: ", "), en: en.joined(separator: ", "))
    }

    /// The warning's name at a level, without what happened to it.
    public static func rule(_ rule: WarningRule, level: Int) -> NoticeTitle {
        let roman = Self.roman(level)
        switch rule {
        case .level:
            if level >= 4 {
                return NoticeTitle(vi: "Cảnh báo lũ, trên lũ lịch sử", en: "Flood warning, above the flood of record")
            }
            return NoticeTitle(vi: "Cảnh báo lũ, báo động " + roman, en: "Flood warning, alarm level " + roman)
        case .forecast:
            // A straight line through the last readings, for staff: public flood forecasts are the
            // hydro-meteorological service's to issue, so the title never says "dự báo" (forecast).
            if level >= 4 {
                return NoticeTitle(
                    vi: "Ước tính xu thế: mực nước có thể trên lũ lịch sử",
                    en: "Trend estimate: the level may pass the flood of record")
            }
            return NoticeTitle(
                vi: "Ước tính xu thế: mực nước có thể đạt báo động " + roman,
                en: "Trend estimate: the level may reach alarm level " + roman)
        case .rise:
            return NoticeTitle(vi: "Cảnh báo nước lên nhanh, cấp \(level)", en: "Rapid rise warning, level \(level)")
        case .rain:
            return NoticeTitle(vi: "Cảnh báo mưa lớn, cấp \(level)", en: "Heavy rain warning, level \(level)")
        case .silent:
            return NoticeTitle(vi: "Trạm đo mất tín hiệu", en: "Gauge silent")
        case .gap:
            return NoticeTitle(vi: "Mất gói số liệu trên đường truyền", en: "Readings lost upstream")
        case .landslide:
            // The rule's level is the 24-hour rain tier, not an official risk level: the title does not number it.
            return NoticeTitle(
                vi: "Cảnh báo nguy cơ lũ quét, sạt lở đất", en: "Flash flood and landslide risk warning")
        case .release:
            return NoticeTitle(vi: "Thông báo xả lũ, cấp \(level)", en: "Reservoir release, level \(level)")
        case .pool:
            return NoticeTitle(
                vi: level >= 2 ? "Hồ chứa đạt mực nước dâng bình thường" : "Hồ chứa gần mực nước dâng bình thường",
                en: level >= 2 ? "Reservoir at its normal water level" : "Reservoir near its normal water level")
        }
    }

    /// I, II, III for the official alarm levels.
    public static func roman(_ level: Int) -> String {
        switch level {
        case 1: "I"
        case 2: "II"
        case 3: "III"
        default: String(level)
        }
    }
}
