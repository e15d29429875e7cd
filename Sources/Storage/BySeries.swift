/// Something known of each sensor, by its series number, as of the last commit, and changed in place by the storing
/// transaction: put back as it was when that transaction fails (`undo(to:)`), kept when it commits (`keep()`).
///
/// Changes are journalled instead of working on a copy: copying the whole map for every batch (one entry per
/// sensor) was 3–5 % of the ingest thread at 1,000 gauges and grows with the station count.
/// Keyed by series number rather than by station text: at 10,000 stations, hashing and comparing the text of
/// two lookups a reading was a share of the 10 % of a drain spent in dictionaries keyed by sensor.
struct BySeries<Value: Sendable>: Sendable {
    private var values = SeriesTable<Value>()
    /// The value each changed key had before, oldest change first.
    private var journal: [(key: Int64, before: Value?)] = []

    subscript(series: Int64) -> Value? {
        get { values[series] }
        set {
            journal.append((series, values[series]))
            values[series] = newValue
        }
    }

    /// A point `undo(to:)` can go back to.
    var mark: Int { journal.count }

    /// Puts back every change made since `mark`.
    mutating func undo(to mark: Int) {
        while journal.count > mark {
            let change = journal.removeLast()
            values[change.key] = change.before
        }
    }

    /// Keeps every change made so far: the transaction committed.
    mutating func keep() {
        journal.removeAll(keepingCapacity: true)
    }

    /// Forgets every value: they are looked up afresh.
    mutating func forget() {
        values.removeAll()
        journal.removeAll()
    }
}
