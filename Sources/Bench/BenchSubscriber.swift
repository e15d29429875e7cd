import Foundation
import MQTT
import Synchronization

/// A minimal subscriber on a thread of its own: connects, subscribes at QoS 1, hands every message to `onMessage`
/// (with its arrival on the monotonic clock) and acknowledges it at once. The benchmarks' one way of listening:
/// the counting subscriber that sets the ceiling, and the watch on `alerts/+/+`.
final class BenchSubscriber: Sendable {
    private struct State {
        var subscribed = false
        var received = 0
        /// Arrival of the latest message (monotonic nanoseconds).
        var lastArrival: UInt64 = 0
        var failure: String?
        var finished = false
    }

    private let state = Mutex(State())
    private let stopRequested = Atomic<Bool>(false)
    /// Signalled on every change of `state`, for `wait(until:)`.
    private let changed = NSCondition()

    init(
        _ configuration: MQTTConfiguration, filter: String, client: MQTTConnection.Client = .automatic,
        onMessage: @escaping @Sendable (MQTTMessage, UInt64) -> Void = { _, _ in }
    ) {
        let thread = Thread { [self] in
            defer { update { $0.finished = true } }
            do {
                let connection = try MQTTConnection(configuration: configuration, client: client)
                defer { connection.disconnect() }
                try connection.connect()
                try connection.writePending()
                while !stopRequested.load(ordering: .relaxed) {
                    var count = 0
                    for event in connection.poll(timeoutMilliseconds: 20, maxMessages: 10_000) {
                        switch event {
                        case .connected:
                            try connection.subscribe(filter, qos: 1)
                        case .subscribed:
                            update { $0.subscribed = true }
                        case .message(let message):
                            onMessage(message, Self.now())
                            count += 1
                        default:
                            break
                        }
                    }
                    if count > 0 {
                        let now = Self.now()
                        update {
                            $0.received += count
                            $0.lastArrival = now
                        }
                    }
                    try connection.writePending()
                    connection.maintain()
                }
            } catch {
                update { $0.failure = "\(error)" }
            }
        }
        thread.name = "bench-subscriber"
        thread.start()
    }

    /// Nanoseconds of the monotonic clock, the benchmarks' one time base.
    static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    var subscribed: Bool { state.withLock { $0.subscribed } }
    var received: Int { state.withLock { $0.received } }
    var lastArrival: UInt64 { state.withLock { $0.lastArrival } }

    /// Blocks until `condition` holds for (subscribed, received) or `seconds` pass; throws what stopped the thread.
    func wait(seconds: Double, until condition: (_ subscribed: Bool, _ received: Int) -> Bool) throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        changed.lock()
        defer { changed.unlock() }
        while true {
            let current = state.withLock { $0 }
            if let failure = current.failure { throw BenchFailure("subscriber: \(failure)") }
            if condition(current.subscribed, current.received) { return true }
            if current.finished || !changed.wait(until: deadline) { return false }
        }
    }

    /// Ends the thread (after its current poll) and disconnects; the session stays when it is persistent.
    func stop() {
        stopRequested.store(true, ordering: .relaxed)
        _ = try? wait(seconds: 5) { _, _ in false }
    }

    private func update(_ change: (inout State) -> Void) {
        changed.lock()
        state.withLock { change(&$0) }
        changed.broadcast()
        changed.unlock()
    }
}

/// A benchmark that cannot go on: what went wrong, printed as it is.
struct BenchFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
