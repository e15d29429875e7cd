/// Sums of rain over several rolling windows ending at `end`, each over the readings with a time in
/// `(end − window, end]` (a rain reading is the rain fallen since the gauge's previous report, so a reading at the
/// window's start belongs to the time before it).
///
/// One deque of readings spans the longest window; each window keeps a running sum and the index of its first
/// reading. Moving `end` forward only subtracts readings leaving a window, so a reading costs O(1) amortised per
/// window. Amounts are whole thousandths of a millimetre, so the sums are exact: the running sums of an engine that
/// has run for months and the sums rebuilt after a restart are the same numbers, to the last digit.
struct RollingSum: Sendable {
    /// Window lengths in ms, as given.
    let windows: [Int64]
    private var times: [Int64] = []
    private var amounts: [Int64] = []
    private var head = 0
    /// Per window: the absolute index of its first reading, and its sum.
    private var starts: [Int]
    private var sums: [Int64]
    /// The time the windows end at: the newest reading processed.
    private(set) var end: Int64?

    init(windowSeconds: [Int]) {
        windows = windowSeconds.map { Int64($0) * 1000 }
        starts = Array(repeating: 0, count: windowSeconds.count)
        sums = Array(repeating: 0, count: windowSeconds.count)
    }

    /// Readings held: at most those of the longest window.
    var count: Int { times.count - head }

    /// The sum of window `index`, in thousandths of a millimetre.
    func sum(_ index: Int) -> Int64 { sums[index] }

    /// Converts millimetres to the exact unit of the sums.
    static func units(_ millimetres: Double) -> Int64 {
        Int64((millimetres * 1000).rounded())
    }

    /// Moves the windows' end to `time` (never back), dropping what falls out of each window.
    mutating func advance(to time: Int64) {
        if let end, time <= end { return }
        end = time
        for window in windows.indices {
            let cutoff = time - windows[window]
            while starts[window] < times.count && times[starts[window]] <= cutoff {
                sums[window] -= amounts[starts[window]]
                starts[window] += 1
            }
        }
        let first = starts.min() ?? times.count
        head = max(head, first)
        if head > 256 && head * 2 > times.count {
            times.removeFirst(head)
            amounts.removeFirst(head)
            for window in starts.indices { starts[window] -= head }
            head = 0
        }
    }

    /// Adds a reading at `time`, which may be older than `end` (a late reading): it is inserted in time order and
    /// counted in every window it falls in. A reading before every window is not kept.
    mutating func add(_ amount: Int64, at time: Int64) {
        if end == nil { advance(to: time) }
        guard let end, let longest = windows.max(), time > end - longest, time <= end else { return }
        var index = times.count
        if head < times.count && time <= times[times.count - 1] {
            index = firstIndex(atOrAfter: time)
            if times[index] == time { return }  // already counted: a reading is identified by its time
        }
        times.insert(time, at: index)
        amounts.insert(amount, at: index)
        for window in windows.indices {
            if time > end - windows[window] {
                sums[window] += amount
            } else {
                // Outside this window: it sits before the window's first reading and shifts it by one.
                starts[window] += 1
            }
        }
    }

    /// The first live index whose time is at or after `time` (`times.count` when none).
    private func firstIndex(atOrAfter time: Int64) -> Int {
        times.firstIndex(atOrAfter: time, from: head)
    }
}
