/// A least-squares straight line through the readings of a stretch of time.
///
/// Fitted afresh over the window's readings (O(window): 24 readings for 2 hours at 5 minutes), with times taken
/// relative to the end of the window and centred, so the sums stay well conditioned whatever the epoch, and the line
/// depends only on the readings in the window: an engine rebuilt after a restart fits exactly the same line.
struct TrendLine: Sendable, Hashable {
    /// Readings the line was fitted to.
    var count: Int
    /// Metres per hour.
    var slope: Double
    /// The line's value at `end`.
    var valueAtEnd: Double
    /// The end of the fitted stretch (Unix ms).
    var end: Int64

    /// The line through the readings from `start` through `end`; nil with fewer than 2 readings or all at one time.
    init?(_ series: TimeSeries, from start: Int64, through end: Int64) {
        var count = 0
        var sumX = 0.0
        var sumY = 0.0
        series.forEach(from: start, through: end) { point in
            count += 1
            sumX += Self.hours(point.time - end)
            sumY += point.value
        }
        guard count >= 2 else { return nil }
        let meanX = sumX / Double(count)
        let meanY = sumY / Double(count)
        var sxx = 0.0
        var sxy = 0.0
        series.forEach(from: start, through: end) { point in
            let dx = Self.hours(point.time - end) - meanX
            sxx += dx * dx
            sxy += dx * (point.value - meanY)
        }
        guard sxx > 0 else { return nil }
        self.count = count
        self.end = end
        slope = sxy / sxx
        valueAtEnd = meanY - slope * meanX
    }

    /// The line's value at `time`.
    func value(at time: Int64) -> Double {
        valueAtEnd + slope * Self.hours(time - end)
    }

    private static func hours(_ milliseconds: Int64) -> Double {
        Double(milliseconds) / 3_600_000
    }
}
