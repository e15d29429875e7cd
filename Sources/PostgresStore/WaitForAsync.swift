import Foundation
import Synchronization

/// Runs asynchronous work (a PostgreSQL query through `PostgresClient`) from a thread that is not on Swift's
/// cooperative pool and waits for it: the bridge between the blocking store protocols (`IngestStore`, `AlertStore`,
/// called on the ingest and alert threads of their own) and PostgresNIO, which is asynchronous only.
///
/// Never call it from a task: a cooperative thread blocked here is one fewer to run the work it waits for.
func waitForAsync<Result: Sendable>(_ work: @escaping @Sendable () async throws -> Result) throws -> Result {
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
    done.wait()
    return try outcome.withLock { $0! }.get()
}

/// A value handed to the task that `waitForAsync` waits for, though it is not `Sendable`: the engine's `evaluate`
/// closure, which belongs to the ingest thread. Sound only because that thread is blocked in `waitForAsync` until the
/// task ends, so the value is never used from two threads at once, and the semaphore orders their memory.
///
/// A class whose value the lender takes back (`takeBack()`) when the wait is over: the task may still hold the box
/// for a moment after it signalled, and a non-escaping closure must not outlive the call that lent it.
final class LentToWaitedTask<Value>: @unchecked Sendable {
    private var lent: Value?

    init(_ value: Value) { lent = value }

    /// The value, while it is lent.
    var value: Value { lent! }

    func takeBack() { lent = nil }
}
