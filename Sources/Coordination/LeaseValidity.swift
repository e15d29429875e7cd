import Synchronization

/// Until when this instance may act under one lease, by its own clock: the start of its last renewal plus the
/// lease's duration less the margin (`LeaseTerms`). The lease's work asks it before it connects its slot's session:
/// an instance that wakes from a pause longer than the lease (SIGSTOP, a stalled machine) must not take the session
/// back from the slot's new owner, which would have the two kicking each other off the broker.
public final class LeaseValidity: Sendable {
    private let until: Mutex<ContinuousClock.Instant>

    init(until: ContinuousClock.Instant) {
        self.until = Mutex(until)
    }

    /// Whether the lease is still this instance's to act on.
    public var isValid: Bool {
        ContinuousClock.now < until.withLock { $0 }
    }

    var deadline: ContinuousClock.Instant { until.withLock { $0 } }

    func extend(to instant: ContinuousClock.Instant) {
        until.withLock { $0 = instant }
    }
}
