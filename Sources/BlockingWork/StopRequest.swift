import Foundation
import Synchronization

/// A service's request to stop, which its threads sleep on: `sleep(_:)` ends the moment `request()` is called,
/// however long the sleep was meant to be (a retry's back-off, a reconnection delay), so a stop never waits for
/// a timer to run out, and nothing wakes up in slices to look.
public final class StopRequest: Sendable {
    private let requested = Atomic<Bool>(false)
    /// Sleepers wait on it; `request()` wakes all of them at once.
    private let condition = NSCondition()

    public init() {}

    /// Whether a stop was requested.
    public var isRequested: Bool {
        requested.load(ordering: .acquiring)
    }

    /// Requests the stop and wakes every thread sleeping on it. Later calls change nothing.
    /// - Returns: true for the call that made the request, false for every later one.
    @discardableResult
    public func request() -> Bool {
        guard !requested.exchange(true, ordering: .acquiringAndReleasing) else { return false }
        // Under the lock: a sleeper either has not yet looked at the flag (and will see it), or already waits.
        condition.lock()
        condition.broadcast()
        condition.unlock()
        return true
    }

    /// Sleeps up to `seconds` on the calling thread, or less once a stop is requested.
    /// - Returns: false when a stop was requested (before or during the sleep).
    @discardableResult
    public func sleep(_ seconds: Double) -> Bool {
        let deadline = Date(timeIntervalSinceNow: seconds)
        condition.lock()
        defer { condition.unlock() }
        while !isRequested {
            if !condition.wait(until: deadline) { break }
        }
        return !isRequested
    }
}
