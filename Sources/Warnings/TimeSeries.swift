/// The accepted good readings of one level sensor over the last stretch of time the rules look back over, in time
/// order: a deque (array with a moving head) whose length is bounded by the window, never by the history.
struct TimeSeries: Sendable {
    private var times: [Int64] = []
    private var values: [Double] = []
    /// Index of the first live element; the dead prefix is dropped once it is large, so removal is O(1) amortised.
    private var head = 0

    var count: Int { times.count - head }
    var isEmpty: Bool { count == 0 }

    /// Adds a reading in time order: O(1) for the newest, O(window) for a late one. A time already held is ignored.
    mutating func insert(_ point: TimedValue) {
        if times.count == head || point.time > times[times.count - 1] {
            times.append(point.time)
            values.append(point.value)
            return
        }
        let index = firstIndex(atOrAfter: point.time)
        if index < times.count && times[index] == point.time { return }
        times.insert(point.time, at: index)
        values.insert(point.value, at: index)
    }

    /// Forgets the readings before `time`.
    mutating func removeAll(before time: Int64) {
        while head < times.count && times[head] < time { head += 1 }
        if head > 64 && head * 2 > times.count {
            times.removeFirst(head)
            values.removeFirst(head)
            head = 0
        }
    }

    /// The nearest readings strictly before and strictly after `time`.
    func neighbours(of time: Int64) -> (before: TimedValue?, after: TimedValue?) {
        let index = firstIndex(atOrAfter: time)
        let before = index > head ? point(index - 1) : nil
        var afterIndex = index
        if afterIndex < times.count && times[afterIndex] == time { afterIndex += 1 }
        return (before, afterIndex < times.count ? point(afterIndex) : nil)
    }

    /// The value at `time`, linearly interpolated between the readings around it; nil when no reading is at or
    /// before `time`, or none at or after it.
    func value(at time: Int64) -> Double? {
        let index = firstIndex(atOrAfter: time)
        guard index < times.count else { return nil }
        if times[index] == time { return values[index] }
        guard index > head else { return nil }
        let (t0, t1) = (times[index - 1], times[index])
        let (v0, v1) = (values[index - 1], values[index])
        return v0 + (v1 - v0) * Double(time - t0) / Double(t1 - t0)
    }

    /// Calls `body` for each reading from `start` through `end`, in time order.
    func forEach(from start: Int64, through end: Int64, _ body: (TimedValue) -> Void) {
        var index = firstIndex(atOrAfter: start)
        while index < times.count && times[index] <= end {
            body(point(index))
            index += 1
        }
    }

    private func point(_ index: Int) -> TimedValue {
        TimedValue(time: times[index], value: values[index])
    }

    /// The first live index whose time is at or after `time` (`times.count` when none).
    private func firstIndex(atOrAfter time: Int64) -> Int {
        times.firstIndex(atOrAfter: time, from: head)
    }
}
