/// The newest stored reading with a counter of a sensor: what an in-order reading is compared with.
struct SeriesTail: Sendable, Hashable {
    var timestamp: Int64
    var seq: Int64
}

/// Each sensor's `SeriesTail` by its series number, changed in place by the storing transaction and put back as it was when that
/// transaction fails.
///
/// Changes are journalled instead of working on a copy: copying the whole map for every batch (one entry per
/// sensor, a string key each) was 3–5 % of the ingest thread at 1,000 gauges and grows with the station count.
/// Keyed by series number rather than by station text: at 10,000 stations, hashing and comparing the text of
/// two lookups a reading was a share of the 10 % of a drain spent in dictionaries keyed by sensor.
struct SeriesTails: Sendable {
    private var tails: [Int64: SeriesTail] = [:]
    /// The value each changed key had before, oldest change first.
    private var journal: [(key: Int64, before: SeriesTail?)] = []

    subscript(series: Int64) -> SeriesTail? {
        get { tails[series] }
        set {
            journal.append((series, tails[series]))
            tails[series] = newValue
        }
    }

    /// A point `undo(to:)` can go back to.
    var mark: Int { journal.count }

    /// Puts back every change made since `mark`.
    mutating func undo(to mark: Int) {
        while journal.count > mark {
            let change = journal.removeLast()
            tails[change.key] = change.before
        }
    }

    /// Keeps every change made so far: the transaction committed.
    mutating func keep() {
        journal.removeAll(keepingCapacity: true)
    }

    /// Forgets every tail: they are looked up afresh (after readings were stored without gap tracking).
    mutating func forget() {
        tails.removeAll()
        journal.removeAll()
    }
}
