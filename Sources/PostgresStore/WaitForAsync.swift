import Foundation
import Synchronization

/// Runs asynchronous work (a PostgreSQL query through `PostgresClient`) from a thread that is not on Swift's
/// cooperative pool and waits for it: the bridge between the blocking store protocols (`IngestStore`, `AlertStore`,
/// called on the ingest and alert threads of their own) and PostgresNIO, which is asynchronous only.
///
/// `connection` is the caller's own connection, which `work` runs its transactions on (`waitOn` makes it theirs),
/// never the pool's: the pool keeps a request waiting up to a minute while the server is away, and a thread waiting
/// there cannot stop (SIGTERM during an outage once left `serve` running, the ingest thread rebuilding its engine
/// through the pool). The wait is also given up when that connection closed and `work` still got no answer
/// (`OwnConnection.giveUpIfStranded`): the call then throws, as it would have if the query had failed, and the
/// caller retries. Without that, a query PostgresNIO lost kept the ingest thread here for ever.
///
/// Never call it from a task: a cooperative thread blocked here is one fewer to run the work it waits for.
func waitForAsync<Result: Sendable>(
    watching connection: OwnConnection, _ work: @escaping @Sendable () async throws -> Result
) throws -> Result {
    let done = DispatchSemaphore(value: 0)
    let outcome = Mutex<Swift.Result<Result, any Error>?>(nil)
    Task {
        let result: Swift.Result<Result, any Error>
        do {
            result = .success(try await work())
        } catch {
            result = .failure(PostgresStoreError.explaining(error))
        }
        outcome.withLock { $0 = result }
        done.signal()
    }
    while done.wait(timeout: .now() + .milliseconds(500)) == .timedOut {
        if connection.giveUpIfStranded() { throw PostgresStoreError.connectionClosed }
    }
    return try outcome.withLock { $0! }.get()
}

/// A value handed to the task that `waitForAsync` waits for, though it is not `Sendable`: the engine's `evaluate`
/// closure, which belongs to the ingest thread. Sound only because that thread is blocked in `waitForAsync` while the
/// task uses it, and the lock orders their memory.
///
/// The lender takes the value back (`takeBack()`) when the wait is over, waiting for a use in progress to end: the
/// task may still hold the box after the wait, for a moment, or for ever when the wait was given up on a stranded
/// query, and a non-escaping closure must not outlive the call that lent it. Pass the task a closure that reaches
/// the value through the box (`use`), never the value itself.
final class LentToWaitedTask<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var lent: Value?

    init(_ value: Value) { lent = value }

    /// `body` applied to the value while it is lent; `otherwise` once it was taken back.
    func use<Answer>(_ body: (Value) -> Answer, otherwise: @autoclosure () -> Answer) -> Answer {
        lock.withLock { lent.map(body) ?? otherwise() }
    }

    func takeBack() { lock.withLock { lent = nil } }
}
