import Foundation

/// Blocking work (libmosquitto's network calls, SQLite commits, HTTP requests made synchronously, sendmail) kept
/// off Swift's cooperative thread pool, where a blocked thread would stall every other task of the process.
public enum BlockingWork {
    /// Runs `body` on a new thread of its own and waits for it without blocking a cooperative thread.
    public static func onOwnThread<Result: Sendable>(
        name: String, _ body: @escaping @Sendable () throws -> Result
    ) async throws -> Result {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Result, any Error>) in
            let thread = Thread {
                do {
                    continuation.resume(returning: try body())
                } catch {
                    continuation.resume(throwing: error)
                }
            }
            thread.name = name
            thread.start()
        }
    }
}
