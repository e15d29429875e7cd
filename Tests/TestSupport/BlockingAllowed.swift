import Dispatch
import Testing

/// Runs the bodies of tests that block on threads outside Swift's cooperative pool.
///
/// Integration tests block (and the PostgreSQL store's tests, on `initdb` and `psql`): they wait for child processes (`floodwatch`, mosquitto, xmllint, systemd-analyze),
/// for sockets to open and for acknowledgements. The cooperative pool has one thread per core, two on CI, and the
/// services under test (`InProcessService`, `AlertRig`) need it to start their tasks. A CI run once stalled for
/// 25 s while two tests sat in such waits: an alert service started in that window got no thread, and four alert
/// tests timed out with their notices unrouted. Every suite that blocks carries `.blockingAllowed`, so a test
/// that blocks holds one of these threads instead, and the code under test keeps the pool as it has in production.
public struct BlockingAllowed: SuiteTrait, TestTrait, TestScoping {
    public var isRecursive: Bool { true }

    public func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        try await withTaskExecutorPreference(BlockingTolerantExecutor.shared) { try await function() }
    }
}

extension Trait where Self == BlockingAllowed {
    /// The test's body may block its thread; see `BlockingAllowed`.
    public static var blockingAllowed: Self { BlockingAllowed() }
}

/// A task executor on a concurrent dispatch queue: its threads come from libdispatch's overcommitting pool, which
/// adds a thread when one blocks, where the cooperative pool would not.
public final class BlockingTolerantExecutor: TaskExecutor {
    public static let shared = BlockingTolerantExecutor()
    private let queue = DispatchQueue(label: "floodwatch-test-bodies", attributes: .concurrent)

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
