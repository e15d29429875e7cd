/// Holds back a water level that jumps implausibly from the reading before it, until a second reading says
/// whether the jump was real.
///
/// A level reading is a spike when it differs from the last accepted reading by more than
/// `spikeMetresPerMinute × max(Δt in minutes, 5)`. It becomes the candidate and is reported suspect. The next
/// reading then decides: consistent with the candidate (the jump was real: a dam release, a gauge reset by the
/// operator) or with the last accepted reading (the candidate was noise) — either way it is accepted and evaluated;
/// if it jumps from both, it becomes the new candidate. The candidate itself is never put into the rules' windows
/// (it is stored as suspect, and a restart rebuilds the windows from good readings only), so a confirmed jump is
/// evaluated from the confirming reading on, with that reading's time.
public struct SpikeFilter: Sendable, Hashable, Codable {
    /// The newest reading accepted (good quality, not a spike).
    public internal(set) var lastAccepted: TimedValue?
    /// The reading held back as a spike, waiting for the next one.
    public internal(set) var candidate: TimedValue?

    public init() {}

    enum Verdict: Sendable, Hashable {
        case accepted
        case suspect
    }

    /// Judges the next good reading (newer than everything judged before).
    /// - Parameter metresPerMinute: the station's `spikeMetresPerMinute`; 0 or less turns the filter off.
    mutating func judge(_ reading: TimedValue, metresPerMinute: Double) -> Verdict {
        guard let last = lastAccepted, metresPerMinute > 0 else {
            accept(reading)
            return .accepted
        }
        let consistent =
            Self.consistent(reading, last, metresPerMinute)
            || candidate.map { Self.consistent(reading, $0, metresPerMinute) } == true
        if consistent {
            accept(reading)
            return .accepted
        }
        candidate = reading
        return .suspect
    }

    private mutating func accept(_ reading: TimedValue) {
        lastAccepted = reading
        candidate = nil
    }

    /// Whether two readings are within the allowed change of each other.
    static func consistent(_ a: TimedValue, _ b: TimedValue, _ metresPerMinute: Double) -> Bool {
        guard metresPerMinute > 0 else { return true }
        let minutes = Double((a.time - b.time).magnitude) / 60_000
        return (a.value - b.value).magnitude <= metresPerMinute * max(minutes, 5)
    }
}
