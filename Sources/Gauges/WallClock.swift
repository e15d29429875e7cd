#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The time as FloodWatch stores and compares it: Unix epoch milliseconds, UTC.
///
/// Every part that needs the time (ingestion's `received_at` and future-time check, the warning engine's arrival
/// clock, alert retries and reminders, the API's "now", the command-line tools) is given one at construction,
/// so a test can set the time and every part of a process agrees on it. `WallClock.system` reads the machine's
/// real-time clock; call a clock to read it: `clock()`.
public struct WallClock: Sendable {
    private let read: @Sendable () -> Int64

    /// A clock that answers `read()`, e.g. a test's settable time.
    public init(_ read: @escaping @Sendable () -> Int64) {
        self.read = read
    }

    /// Now, in Unix epoch milliseconds.
    public func callAsFunction() -> Int64 {
        read()
    }

    /// The machine's real-time clock (`CLOCK_REALTIME`), to the millisecond, rounded down.
    public static let system = WallClock {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Int64(time.tv_sec) * 1000 + Int64(time.tv_nsec) / 1_000_000
    }

    /// A clock stopped at `milliseconds`: for replays and tests that need one fixed "now".
    public static func fixed(_ milliseconds: Int64) -> WallClock {
        WallClock { milliseconds }
    }
}
