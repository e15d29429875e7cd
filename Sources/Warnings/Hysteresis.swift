/// The life of one warning: up at once, down only after the value has stayed below a line for a hold time.
///
/// Every rule with levels (alarm level, rate of rise, projected crossing, rain, silent gauge) keeps one. The rule
/// works out two levels per reading: `target`, the level the value is at, which escalates at once; and `settle`,
/// the level the value is at with the rule's deadband applied (equal to `target` for rules without one). The
/// warning comes down to `settle` only when `settle` has stayed below the warning's level for `holdSeconds` of
/// reading time; any reading back at or above the line starts the hold again. A river hovering at a threshold thus
/// gives one warning, not one per reading.
public struct Hysteresis: Sendable, Hashable, Codable {
    /// The warning's level, 0 when none is open.
    public internal(set) var level = 0
    /// When the open warning was raised (Unix ms).
    public internal(set) var raisedAt: Int64?
    /// The first reading of the current unbroken stretch below the hold line (Unix ms, reading time).
    public internal(set) var belowSince: Int64?

    public init() {}

    /// A change of the warning's level, turned into a `WarningEvent` by the rule.
    struct Step: Sendable, Hashable {
        var kind: WarningEventKind
        var from: Int
        var to: Int
    }

    /// Judges one evaluation at `time`. `settle` may exceed `target` (a value inside the deadband of a higher
    /// level), never the reverse.
    mutating func update(target: Int, settle: Int, at time: Int64, holdSeconds: Int) -> Step? {
        if target > level { return move(to: target, at: time) }
        guard settle < level else {
            belowSince = nil
            return nil
        }
        let start = belowSince ?? time
        belowSince = start
        guard time - start >= Int64(holdSeconds) * 1000 else { return nil }
        return move(to: max(0, settle), at: time)
    }

    /// Ends the warning at once, without a hold: a projected crossing that has happened, a silent gauge heard again.
    mutating func clear(at time: Int64) -> Step? {
        level > 0 ? move(to: 0, at: time) : nil
    }

    private mutating func move(to newLevel: Int, at time: Int64) -> Step {
        let from = level
        level = newLevel
        belowSince = nil
        let kind: WarningEventKind
        if from == 0 {
            kind = .raised
            raisedAt = time
        } else if newLevel == 0 {
            kind = .cleared
            raisedAt = nil
        } else {
            kind = newLevel > from ? .escalated : .deescalated
        }
        return Step(kind: kind, from: from, to: newLevel)
    }
}
