/// Something known of each sensor, by its series number, as of the last commit, and changed in place by the storing
/// transaction: put back as it was when that transaction fails (`undo(to:)`), kept when it commits (`keep()`).
///
/// Changes are journalled instead of working on a copy: copying the whole map for every batch (one entry per
/// sensor) was 3–5 % of the ingest thread at 1,000 gauges and grows with the station count.
/// Keyed by series number rather than by station text: at 10,000 stations, hashing and comparing the text of
/// two lookups a reading was a share of the 10 % of a drain spent in dictionaries keyed by sensor.
struct BySeries<Value: Sendable>: Sendable {
    /// By series number, for the numbers SQLite gives a new series (1, 2, 3 …): an index instead of a hash table,
    /// whose lookups by Int64 were 1.5 % of the samples of a drain of 10,000 stations. Numbers beyond
    /// `denseLimit` (none that FloodWatch gives) are kept in `sparse`.
    private var dense: [Value?] = []
    private var sparse: [Int64: Value] = [:]
    /// The value each changed key had before, oldest change first.
    private var journal: [(key: Int64, before: Value?)] = []

    static var denseLimit: Int64 { 1 << 20 }

    subscript(series: Int64) -> Value? {
        get {
            guard series >= 0, series < Self.denseLimit else { return sparse[series] }
            let index = Int(series)
            return index < dense.count ? dense[index] : nil
        }
        set {
            journal.append((series, self[series]))
            store(newValue, at: series)
        }
    }

    private mutating func store(_ value: Value?, at series: Int64) {
        guard series >= 0, series < Self.denseLimit else {
            sparse[series] = value
            return
        }
        let index = Int(series)
        if index >= dense.count {
            guard value != nil else { return }
            // Doubling, as an array grows: the numbers of a new network arrive one by one.
            dense.append(contentsOf: repeatElement(nil, count: Swift.max(index + 1, 2 * dense.count) - dense.count))
        }
        dense[index] = value
    }

    /// A point `undo(to:)` can go back to.
    var mark: Int { journal.count }

    /// Puts back every change made since `mark`.
    mutating func undo(to mark: Int) {
        while journal.count > mark {
            let change = journal.removeLast()
            store(change.before, at: change.key)
        }
    }

    /// Keeps every change made so far: the transaction committed.
    mutating func keep() {
        journal.removeAll(keepingCapacity: true)
    }

    /// Forgets every value: they are looked up afresh.
    mutating func forget() {
        dense.removeAll()
        sparse.removeAll()
        journal.removeAll()
    }
}
