/// What a gauge sensor measures. The topic `gauges/<station>/<sensor>` names it by its raw value.
public enum SensorKind: String, Sendable, Hashable, CaseIterable, Comparable, Codable {
    /// Water level, metres above the station datum (the reference of the official alarm levels).
    case level
    /// Rain, millimetres fallen since the previous report of the same gauge.
    case rain

    /// The one unit a reading of this kind is stored in. Payloads that name another unit are rejected
    /// rather than converted, so a misconfigured gauge shows up instead of being silently rescaled.
    public var unit: String {
        switch self {
        case .level: "m"
        case .rain: "mm"
        }
    }

    public static func < (lhs: SensorKind, rhs: SensorKind) -> Bool {
        lhs.rawValue < rhs.rawValue
    }
}
