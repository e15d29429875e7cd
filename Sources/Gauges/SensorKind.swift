/// What a gauge sensor measures. The topic `gauges/<station>/<sensor>` names it by its raw value.
public enum SensorKind: String, Sendable, Hashable, CaseIterable, Comparable, Codable {
    /// Water level, metres above the station datum (the reference of the official alarm levels); at a reservoir,
    /// metres above sea level.
    case level
    /// Rain, millimetres fallen since the previous report of the same gauge.
    case rain
    /// A reservoir's inflow, cubic metres a second.
    case inflow
    /// A reservoir's outflow (turbines and spillway), cubic metres a second.
    case outflow

    /// The one unit a reading of this kind is stored in. Payloads that name another unit are rejected
    /// rather than converted, so a misconfigured gauge shows up instead of being silently rescaled.
    public var unit: String {
        switch self {
        case .level: "m"
        case .rain: "mm"
        case .inflow, .outflow: "m3/s"
        }
    }

    /// The kind's place in `allCases`.
    public var ordinal: Int {
        switch self {
        case .level: 0
        case .rain: 1
        case .inflow: 2
        case .outflow: 3
        }
    }

    /// Whether readings add up (rain, summed over time) rather than stand for a state (a level, a flow).
    public var isAccumulated: Bool { self == .rain }

    /// Only a reservoir reports this kind.
    public var isReservoirFlow: Bool { self == .inflow || self == .outflow }

    public static func < (lhs: SensorKind, rhs: SensorKind) -> Bool {
        lhs.rawValue < rhs.rawValue
    }
}
