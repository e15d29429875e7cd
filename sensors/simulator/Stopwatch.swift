import Foundation

/// Seconds on a clock that never jumps, for intervals such as "a summary every 30 s". Reading times come from
/// `WallClock.system` (module Gauges), the clock FloodWatch itself uses.
enum Stopwatch {
    static func seconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
