import CMosquitto
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A publishing MQTT client whose network loop runs on libmosquitto's own thread (`mosquitto_loop_start`).
///
/// Used by the gauge simulator and the tests. It counts the QoS 1 messages the broker has acknowledged, so a
/// caller can wait until everything it published is safely with the broker.
public final class MQTTPublisher: Sendable {
    private struct State {
        var connected = false
        var connections = 0
        /// libmosquitto's network thread runs (and reconnects by itself from then on).
        var loopStarted = false
        var refusal: MQTTError?
        var published = 0
        var acknowledged = 0
        /// Counts `interruptWaits()` calls: a wait that sees it change gives up.
        var interruptions = 0
    }

    public let configuration: MQTTConfiguration
    private let client: MosquittoHandle
    /// Written by libmosquitto's thread in callbacks, read by publishing threads.
    private let state = Mutex(State())
    /// Broadcast on every change of `state`: threads waiting for the connection or for acknowledgements sleep on
    /// it instead of polling.
    private let changed = NSCondition()
    /// Told of every accepted connection, reconnections included, on libmosquitto's thread; must return at once.
    private let onConnect: @Sendable () -> Void

    /// - Parameters:
    ///   - maxInflight: QoS 1 messages on the wire at once; more are queued inside libmosquitto.
    ///   - onConnect: told of every connection the broker accepts, reconnections included (on libmosquitto's
    ///     thread: it must return at once).
    public init(
        configuration: MQTTConfiguration, maxInflight: Int = 1000, onConnect: @escaping @Sendable () -> Void = {}
    ) throws(MQTTError) {
        self.configuration = configuration
        self.onConnect = onConnect
        self.client = MosquittoHandle(try Mosquitto.makeHandle(configuration))
        let handle = client.pointer
        mosquitto_max_inflight_messages_set(handle, UInt32(maxInflight))
        // Callbacks reach this object through the user-data pointer, unretained: `deinit` stops the loop thread
        // and destroys the handle before `self` goes away.
        mosquitto_user_data_set(handle, Unmanaged.passUnretained(self).toOpaque())
        mosquitto_connect_callback_set(handle) { _, context, code in
            let publisher = MQTTPublisher.owner(context)
            publisher.update { state in
                if code == 0 {
                    state.connected = true
                    state.connections += 1
                } else {
                    state.refusal = MQTTError(code: code, operation: "broker refused", isConnectionRefused: true)
                }
            }
            if code == 0 { publisher.onConnect() }
        }
        mosquitto_disconnect_callback_set(handle) { _, context, _ in
            MQTTPublisher.owner(context).update { $0.connected = false }
        }
        mosquitto_publish_callback_set(handle) { _, context, _ in
            MQTTPublisher.owner(context).update { $0.acknowledged += 1 }
        }
    }

    deinit {
        mosquitto_disconnect(client.pointer)
        mosquitto_loop_stop(client.pointer, true)
        mosquitto_destroy(client.pointer)
    }

    private static func owner(_ context: UnsafeMutableRawPointer?) -> MQTTPublisher {
        Unmanaged<MQTTPublisher>.fromOpaque(context!).takeUnretainedValue()
    }

    /// Changes the state and wakes every waiting thread.
    private func update(_ change: (inout State) -> Void) {
        changed.lock()
        state.withLock { change(&$0) }
        changed.broadcast()
        changed.unlock()
    }

    /// Sleeps until `done` holds for the state, the time runs out or `interruptWaits()` is called; returns the state
    /// seen last and whether `done` held.
    private func wait(timeoutSeconds: Double, until done: (State) -> Bool) -> (state: State, done: Bool) {
        let deadline = Date(timeIntervalSinceNow: timeoutSeconds)
        changed.lock()
        defer { changed.unlock() }
        let interruptions = state.withLock { $0.interruptions }
        while true {
            let current = state.withLock { $0 }
            if done(current) { return (current, true) }
            if current.interruptions != interruptions || !changed.wait(until: deadline) { return (current, false) }
        }
    }

    /// Ends every `connect` or `waitForAcknowledgements` waiting now, as if its time had run out: for a stop.
    public func interruptWaits() {
        update { $0.interruptions += 1 }
    }

    /// Connects and starts the network thread; returns once the broker accepted the connection.
    /// libmosquitto reconnects by itself after a lost connection and resends unacknowledged QoS 1 messages.
    public func connect(timeoutSeconds: Double = 10) throws(MQTTError) {
        let handle = client.pointer
        // Once the network thread runs it reconnects by itself: a later call only waits for the connection.
        if !state.withLock({ $0.loopStarted }) {
            mosquitto_reconnect_delay_set(handle, 1, 5, false)
            try MQTTError.check(
                mosquitto_connect(
                    handle, configuration.host, Int32(configuration.port), Int32(configuration.keepAlive)),
                "connect to \(configuration.endpoint)")
            try MQTTError.check(mosquitto_loop_start(handle), "start MQTT network thread")
            state.withLock { $0.loopStarted = true }
        }
        let (state, connected) = wait(timeoutSeconds: timeoutSeconds) { $0.connected || $0.refusal != nil }
        if let refusal = state.refusal { throw refusal }
        if !connected {
            throw MQTTError(code: MOSQ_ERR_TIMEOUT.rawValue, operation: "connect to \(configuration.endpoint)")
        }
    }

    /// Queues a message for the network thread. QoS 1 messages count as published now and as acknowledged
    /// when the broker's PUBACK arrives.
    public func publish(topic: String, payload: [UInt8], qos: Int = 1, retain: Bool = false) throws(MQTTError) {
        let code = payload.withUnsafeBytes { bytes in
            mosquitto_publish(client.pointer, nil, topic, Int32(bytes.count), bytes.baseAddress, Int32(qos), retain)
        }
        // Without a connection libmosquitto still queues a QoS 1 message and sends it after reconnecting, but
        // answers MOSQ_ERR_NO_CONN: that message is published all the same, and will be acknowledged.
        let queuedWhileDisconnected = code == MOSQ_ERR_NO_CONN.rawValue && qos > 0
        if !queuedWhileDisconnected {
            try MQTTError.check(code, "publish to \(topic)")
        }
        // No one waits for this count to grow (only the publishing thread waits, for acknowledgements): no wake-up.
        state.withLock { $0.published += 1 }
    }

    public func publish(topic: String, text: String, qos: Int = 1, retain: Bool = false) throws(MQTTError) {
        try publish(topic: topic, payload: Array(text.utf8), qos: qos, retain: retain)
    }

    /// Whether the broker connection is open now.
    public var isConnected: Bool {
        state.withLock { $0.connected }
    }

    /// How many times the broker accepted a connection, reconnections included: a change means a new session.
    public var connections: Int {
        state.withLock { $0.connections }
    }

    /// Messages published but not yet acknowledged by the broker.
    public var unacknowledged: Int {
        state.withLock { $0.published - $0.acknowledged }
    }

    /// Blocks until the broker acknowledged every message published so far, or the time runs out.
    /// - Returns: true when nothing is left unacknowledged.
    @discardableResult
    public func waitForAcknowledgements(timeoutSeconds: Double) -> Bool {
        wait(timeoutSeconds: timeoutSeconds) { $0.published == $0.acknowledged }.done
    }

    /// Disconnects cleanly and stops the network thread.
    public func disconnect() {
        mosquitto_disconnect(client.pointer)
        mosquitto_loop_stop(client.pointer, false)
    }
}

/// The libmosquitto client pointer, shared between the caller's threads and libmosquitto's network thread.
///
/// `@unchecked Sendable` is safe because libmosquitto guards every piece of client state that `mosquitto_publish`
/// and its network thread share with its own mutexes once `mosquitto_loop_start` runs (`out_packet_mutex`,
/// `msgs_out.mutex`, `callback_mutex`); FloodWatch never touches the struct behind the pointer.
struct MosquittoHandle: @unchecked Sendable {
    let pointer: OpaquePointer

    init(_ pointer: OpaquePointer) {
        self.pointer = pointer
    }
}
