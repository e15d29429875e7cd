import Dispatch
import Synchronization

/// A pause that another thread can end early: a worker that polls for work waits on it between polls, and whoever
/// makes work for it signals.
///
/// Polling alone puts the poll interval into every delivery's latency; waiting alone would miss work whose maker
/// does not know the worker (a restart, another process writing the database). With both, new work is picked up at
/// once and nothing waits longer than the interval.
public final class Wakeup: Sendable {
    private let semaphore = DispatchSemaphore(value: 0)
    /// Whether a signal is waiting to be taken: many signals before one wait make one wake-up, not many.
    private let signalled = Atomic<Bool>(false)

    public init() {}

    /// Ends the current or next `wait`.
    public func signal() {
        if !signalled.exchange(true, ordering: .acquiringAndReleasing) {
            semaphore.signal()
        }
    }

    /// Waits until signalled (at once when a signal is waiting).
    public func wait() {
        if !signalled.load(ordering: .acquiring) {
            semaphore.wait()
        } else {
            _ = semaphore.wait(timeout: .now())
        }
        signalled.store(false, ordering: .releasing)
    }

    /// Waits up to `seconds`, or less once signalled.
    public func wait(seconds: Double) {
        if !signalled.load(ordering: .acquiring) {
            _ = semaphore.wait(timeout: .now() + seconds)
        } else {
            _ = semaphore.wait(timeout: .now())
        }
        signalled.store(false, ordering: .releasing)
    }
}
