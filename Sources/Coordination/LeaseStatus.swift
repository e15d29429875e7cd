import Synchronization

/// What the supervisor's last look at the leases found: nothing wrong, or why it could not renew them. `/readyz`
/// says it, because an instance that cannot reach the leases has no work running once its leases' time is up (its
/// slots stopped before another instance may take them): nothing else of the instance would say it is not ready.
public final class LeaseStatus: Sendable {
    private let lastProblem = Mutex<String?>(nil)

    public init() {}

    /// Why the last look failed, as "cannot renew leases: …"; nil when it succeeded, or before the first.
    public var problem: String? { lastProblem.withLock { $0 } }

    func record(_ error: (any Error)?) {
        let problem = error.map { "cannot renew leases: \($0)" }
        lastProblem.withLock { $0 = problem }
    }
}
