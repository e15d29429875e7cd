import Foundation
import Gauges
import Synchronization

/// Set by SIGINT or SIGTERM, read by the publishing loops. An atomic store is all a signal handler may do
/// safely; the loops notice it within a tenth of a second and stop cleanly.
private let stopRequested = Atomic<Bool>(false)

/// Turns Ctrl-C and `kill` into a clean stop: wait briefly for the broker's acknowledgements, disconnect, exit 0.
enum StopSignal {
    static func install() {
        signal(SIGINT) { _ in stopRequested.store(true, ordering: .relaxed) }
        signal(SIGTERM) { _ in stopRequested.store(true, ordering: .relaxed) }
    }

    static var requested: Bool { stopRequested.load(ordering: .relaxed) }

    /// Sleeps until the wall clock reaches `milliseconds` (Unix ms), waking early for a stop request.
    /// - Returns: false when a stop was requested.
    static func sleep(untilWallClock milliseconds: Int64) -> Bool {
        while !requested {
            let left = milliseconds - WallClock.system()
            if left <= 0 { return true }
            usleep(UInt32(min(left, 100) * 1000))
        }
        return false
    }

    /// Sleeps for `seconds`, waking early for a stop request. - Returns: false when a stop was requested.
    static func sleep(seconds: Double) -> Bool {
        sleep(untilWallClock: WallClock.system() + Int64(seconds * 1000))
    }
}
