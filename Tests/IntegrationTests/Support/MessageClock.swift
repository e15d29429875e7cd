import Foundation
import Logging
import Synchronization

/// A log handler that notes when each message was logged (monotonic clock), so a test can time what a service did
/// by its own account: "Ingest stopped" is logged on the service's thread, the moment it has stopped, however long
/// a busy test machine then takes to hand the finished task back to the test.
final class MessageClock: Sendable {
    private let logged = Mutex<[(message: String, at: ContinuousClock.Instant)]>([])

    /// A logger whose messages this clock notes.
    func logger(level: Logger.Level = .info) -> Logger {
        var logger = Logger(label: "floodwatch-test") { _ in Handler(clock: self) }
        logger.logLevel = level
        return logger
    }

    /// When `message` was first logged, if it was.
    func time(of message: String) -> ContinuousClock.Instant? {
        logged.withLock { $0.first { $0.message == message }?.at }
    }

    fileprivate func note(_ message: String) {
        let now = ContinuousClock.now
        logged.withLock { $0.append((message, now)) }
    }

    private struct Handler: LogHandler {
        let clock: MessageClock
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .info

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            clock.note("\(event.message)")
        }
    }
}
