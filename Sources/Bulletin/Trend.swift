/// How a water level moved over the last hour, in the bulletins' words.
public struct Trend: Sendable, Hashable {
    public enum Direction: String, Sendable, Hashable, CaseIterable {
        case rising
        case falling
        case steady
    }

    /// A change under this (m/h, either way) is steady: gauge noise and a slow tide are not a trend. The warning
    /// engine draws the same line.
    public static let steadyMetresPerHour = 0.02
    /// The older reading of the trend is at least an hour before the newest, and at most this long before it.
    public static let maximumSpanMilliseconds: Int64 = 3 * 3_600_000

    public var metresPerHour: Double

    public var direction: Direction {
        if metresPerHour >= Self.steadyMetresPerHour { return .rising }
        if metresPerHour <= -Self.steadyMetresPerHour { return .falling }
        return .steady
    }

    public init(metresPerHour: Double) {
        self.metresPerHour = metresPerHour
    }

    /// The trend from a reading at least an hour older to the newest; nil when that reading is missing or more
    /// than `maximumSpanMilliseconds` older.
    init?(newest: Observation, hourBefore: Observation?) {
        guard let hourBefore else { return nil }
        let span = newest.time - hourBefore.time
        guard span >= 3_600_000, span <= Self.maximumSpanMilliseconds else { return nil }
        self.init(metresPerHour: (newest.value - hourBefore.value) / (Double(span) / 3_600_000))
    }

    /// "đang lên" / "rising", "đang xuống" / "falling", "biến đổi chậm" / "steady".
    public var phrase: Phrase {
        switch direction {
        case .rising: Phrase(vi: "đang lên", en: "rising")
        case .falling: Phrase(vi: "đang xuống", en: "falling")
        case .steady: Phrase(vi: "biến đổi chậm", en: "steady")
        }
    }
}
