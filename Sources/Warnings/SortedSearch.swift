extension Array where Element == Int64 {
    /// Binary search in times sorted ascending from `start`: the first index at or after `start` whose time is at or
    /// after `time` (`count` when none). Shared by the windows that keep their readings in time order.
    func firstIndex(atOrAfter time: Int64, from start: Int) -> Int {
        var low = start
        var high = count
        while low < high {
            let middle = (low + high) / 2
            if self[middle] < time { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
