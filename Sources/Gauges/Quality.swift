/// The quality flag of a stored reading (column `readings.quality`).
///
/// Gauges may send it as `"quality": 0 | 1 | 2` or `"good" | "suspect" | "bad"`; without it a reading is good.
/// The warning engine also marks implausible jumps as suspect.
public enum Quality: Int, Sendable, Hashable, CaseIterable {
    case good = 0
    case suspect = 1
    case bad = 2

    public var name: String {
        switch self {
        case .good: "good"
        case .suspect: "suspect"
        case .bad: "bad"
        }
    }

    public init?(name: String) {
        guard let match = Quality.allCases.first(where: { $0.name == name }) else { return nil }
        self = match
    }
}
