/// Values by series number: an index into an array for the numbers SQLite gives a new series (1, 2, 3 …), instead of
/// a hash table, whose lookups by Int64 were 1.5 % of the samples of a drain of 10,000 stations (2–3 % for a batch's
/// rollups). Numbers beyond `denseLimit` (none that FloodWatch gives) are kept in a hash table all the same.
///
/// The storage under `BySeries` (which journals each change for a failed transaction) and `HourlyRollups` (a batch's
/// newest hour of each series).
struct SeriesTable<Value> {
    private var dense: [Value?] = []
    private var sparse: [Int64: Value] = [:]

    static var denseLimit: Int64 { 1 << 20 }

    subscript(series: Int64) -> Value? {
        get {
            guard series >= 0, series < Self.denseLimit else { return sparse[series] }
            let index = Int(series)
            return index < dense.count ? dense[index] : nil
        }
        set {
            guard series >= 0, series < Self.denseLimit else {
                sparse[series] = newValue
                return
            }
            let index = Int(series)
            guard index < dense.count || newValue != nil else { return }
            grow(toHold: index)
            dense[index] = newValue
        }
    }

    /// Runs `body` on the value of `series` in place (nil: none yet; set it to add one). Through the subscript's `get`
    /// and `set` a batch's rollups copied each hour out and back: `HourlyRollups.add` 1.6 % of a 10,000-gauge
    /// drain's samples, 0.6–1.3 % in place.
    mutating func update<Result>(_ series: Int64, _ body: (inout Value?) -> Result) -> Result {
        guard series >= 0, series < Self.denseLimit else { return body(&sparse[series]) }
        let index = Int(series)
        grow(toHold: index)
        return body(&dense[index])
    }

    /// Doubling, as an array grows: the numbers of a new network arrive one by one.
    private mutating func grow(toHold index: Int) {
        guard index >= dense.count else { return }
        dense.append(contentsOf: repeatElement(nil, count: Swift.max(index + 1, 2 * dense.count) - dense.count))
    }

    /// Forgets every value; `keepingCapacity` keeps the array's room for the next batch.
    mutating func removeAll(keepingCapacity: Bool = false) {
        dense.removeAll(keepingCapacity: keepingCapacity)
        sparse.removeAll()
    }
}

extension SeriesTable: Sendable where Value: Sendable {}
