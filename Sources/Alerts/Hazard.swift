import Warnings

/// What a warning is about, as the public names it: the stable CAP `event` ("Lũ" / "Flood"), its `eventCode`, and
/// the key of its instructions. A notice's title changes with its level and what happened ("… báo động III — kết
/// thúc"); the hazard never does, so aggregators can group and filter by it.
public enum Hazard: String, Sendable, Hashable, CaseIterable {
    /// River levels against the alarm levels, fast rises, crests, trend estimates.
    case flood
    /// Rain over a rule's threshold.
    case heavyRain = "heavy_rain"
    /// Article 46 of Decision 18/2021/QĐ-TTg: flash floods and landslides after rain.
    case flashFloodLandslide = "flash_flood_landslide"
    /// A reservoir's spillway release.
    case reservoirRelease = "reservoir_release"
    /// A reservoir's pool near or at its normal water level, releases likely to follow.
    case reservoirLevel = "reservoir_level"
    /// A gauge silent or readings lost upstream: a fault of the network, for staff.
    case gaugeOutage = "gauge_outage"

    public init(_ rule: WarningRule) {
        switch rule {
        case .level, .rise, .forecast: self = .flood
        case .rain: self = .heavyRain
        case .landslide: self = .flashFloodLandslide
        case .release: self = .reservoirRelease
        case .pool: self = .reservoirLevel
        case .silent, .gap: self = .gaugeOutage
        }
    }

    /// CAP `event`, in the words of the bulletins.
    public var name: NoticeTitle {
        switch self {
        case .flood: NoticeTitle(vi: "Lũ", en: "Flood")
        case .heavyRain: NoticeTitle(vi: "Mưa lớn", en: "Heavy rain")
        case .flashFloodLandslide: NoticeTitle(vi: "Lũ quét, sạt lở đất", en: "Flash flood and landslide")
        case .reservoirRelease: NoticeTitle(vi: "Xả lũ hồ chứa", en: "Reservoir release")
        case .reservoirLevel: NoticeTitle(vi: "Mực nước hồ chứa", en: "Reservoir level")
        case .gaugeOutage: NoticeTitle(vi: "Sự cố trạm đo", en: "Gauge outage")
        }
    }

    /// The `valueName` of FloodWatch's own `eventCode` (its value is ``rawValue``); documented in docs/alerts.md.
    /// No code of a public list is claimed where none was found to fit.
    public static let eventCodeName = "FloodWatch"
}
