import CMosquitto

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An MQTT connection whose network loop is driven by its owner, so the owner decides when acknowledgements
/// leave: after the messages they acknowledge are durable.
///
/// ## Why the owner drives the loop
/// libmosquitto acknowledges a QoS 1 message (PUBACK) while handling the PUBLISH packet, before the message
/// callback returns. In its unthreaded mode (`mosquitto_loop`) that PUBACK is written to the socket at once; in
/// threaded mode (`mosquitto_threaded_set(mosq, true)`) `packet__queue` only queues it, and nothing is written
/// until someone calls `mosquitto_loop_write` (libmosquitto 2.0.11, `lib/packet_mosq.c`). This type sets threaded
/// mode and never writes on its own: `poll` only reads, `writePending` writes. A caller that commits everything
/// `poll` returned before calling `writePending` therefore acknowledges nothing it has not stored. A crash in
/// between loses only PUBACKs, and the broker redelivers those messages to the persistent session.
///
/// Not thread-safe: use it from one thread, the one that runs the loop. libmosquitto calls the callbacks
/// synchronously from `poll`, on that same thread.
public final class MQTTConnection {
    /// What happened on the connection during a `poll`.
    public enum Event: Sendable {
        /// The broker accepted the connection. `sessionPresent` says it kept the previous session.
        case connected(sessionPresent: Bool)
        /// The broker answered CONNECT with a refusal (bad credentials, client id not allowed, ...).
        case refused(MQTTError)
        /// The broker answered the SUBSCRIBE `messageID` with the QoS it granted; nil when it refused it.
        case subscribed(grantedQoS: Int?, messageID: Int32)
        case message(MQTTMessage)
        /// The connection is gone; `reconnect` starts a new one.
        case disconnected(MQTTError?)
    }

    public let configuration: MQTTConfiguration
    private let handle: OpaquePointer
    private var events: [Event] = []
    /// Whether the last `poll` stopped at its `maxMessages` or `maxBytes`: more may be waiting at the broker.
    public private(set) var lastPollReachedLimit = false

    public init(configuration: MQTTConfiguration) throws(MQTTError) {
        self.configuration = configuration
        self.handle = try Mosquitto.makeHandle(configuration)
        // The acknowledge-after-commit choice, see the type's documentation.
        mosquitto_threaded_set(handle, true)
        // Callbacks find this object through libmosquitto's user-data pointer. Unretained: the handle never
        // outlives `self`, which destroys it in `deinit`.
        mosquitto_user_data_set(handle, Unmanaged.passUnretained(self).toOpaque())
        mosquitto_connect_with_flags_callback_set(handle) { _, context, code, flags in
            MQTTConnection.owner(context).events.append(
                code == 0
                    ? .connected(sessionPresent: flags & 1 != 0)
                    : .refused(
                        MQTTError(code: code, operation: "broker refused the connection", isConnectionRefused: true)))
        }
        mosquitto_disconnect_callback_set(handle) { _, context, code in
            MQTTConnection.owner(context).events.append(
                .disconnected(code == 0 ? nil : MQTTError(code: code, operation: "connection lost")))
        }
        mosquitto_subscribe_callback_set(handle) { _, context, messageID, count, granted in
            // One filter per SUBSCRIBE here; 0x80 is the MQTT 3.1.1 failure code.
            let qos = count > 0 ? granted?[0] ?? 0x80 : 0x80
            MQTTConnection.owner(context).events.append(
                .subscribed(grantedQoS: qos == 0x80 ? nil : Int(qos), messageID: messageID))
        }
        mosquitto_message_callback_set(handle) { _, context, message in
            guard let message = message?.pointee else { return }
            // Copy now: libmosquitto frees topic and payload when this callback returns.
            let topic = String(cString: message.topic)
            let payload: [UInt8]
            if let bytes = message.payload, message.payloadlen > 0 {
                payload = Array(UnsafeRawBufferPointer(start: bytes, count: Int(message.payloadlen)))
            } else {
                payload = []
            }
            MQTTConnection.owner(context).events.append(
                .message(MQTTMessage(topic: topic, payload: payload, qos: Int(message.qos), retain: message.retain)))
        }
    }

    deinit {
        mosquitto_destroy(handle)
    }

    private static func owner(_ context: UnsafeMutableRawPointer?) -> MQTTConnection {
        Unmanaged<MQTTConnection>.fromOpaque(context!).takeUnretainedValue()
    }

    /// Opens the TCP connection and queues CONNECT; the broker's answer arrives as an event from `poll` after
    /// `writePending` sent it. Blocks for the TCP handshake. Any queued packet of an earlier connection,
    /// unwritten acknowledgements included, is discarded: the broker redelivers those messages.
    public func connect() throws(MQTTError) {
        events.removeAll()
        try MQTTError.check(
            mosquitto_connect(handle, configuration.host, Int32(configuration.port), Int32(configuration.keepAlive)),
            "connect to \(configuration.endpoint)")
    }

    /// Whether a TCP connection is open (it may still await the broker's CONNACK).
    public var isOpen: Bool {
        mosquitto_socket(handle) >= 0
    }

    /// Queues a subscription; sent by the next `writePending`.
    /// - Returns: its message id, which the `subscribed` event answering it carries.
    @discardableResult
    public func subscribe(_ filter: String, qos: Int) throws(MQTTError) -> Int32 {
        var messageID: Int32 = 0
        try MQTTError.check(mosquitto_subscribe(handle, &messageID, filter, Int32(qos)), "subscribe to \(filter)")
        return messageID
    }

    /// Waits up to `timeoutMilliseconds` for the broker, then reads every complete packet already waiting,
    /// stopping after `maxMessages` messages or once their payloads reach `maxBytes` (then `lastPollReachedLimit`).
    /// Never writes: acknowledgements of the returned messages stay queued until `writePending`.
    /// - Parameter interrupt: ends the wait early when another thread calls its `interrupt()` (a stop).
    public func poll(
        timeoutMilliseconds: Int32, maxMessages: Int, maxBytes: Int = .max, interrupt: PollInterrupt? = nil
    ) -> [Event] {
        let socket = mosquitto_socket(handle)
        guard socket >= 0 else { return [] }
        var wanted = Int16(POLLIN)
        if mosquitto_want_write(handle) { wanted |= Int16(POLLOUT) }
        var descriptors = [pollfd(fd: socket, events: wanted, revents: 0)]
        if let interrupt { descriptors.append(pollfd(fd: interrupt.descriptor, events: Int16(POLLIN), revents: 0)) }
        lastPollReachedLimit = false
        let ready = Self.wait(&descriptors, timeoutMilliseconds)
        if let interrupt, descriptors[1].revents != 0 { interrupt.drain() }
        guard ready, descriptors[0].revents & ~Int16(POLLOUT) != 0 else {
            return takeEvents()
        }
        var messages = 0
        var bytes = 0
        while true {
            let before = events.count
            // libmosquitto reads one packet per call and returns success also when the socket had nothing more:
            // its read failed with EAGAIN. Without a message, errno tells the two apart, without a poll(2) per
            // message. (After a message errno may hold EAGAIN from libmosquitto's wake-up byte to its own socket
            // pair, written for each queued PUBACK; a message means keep reading.)
            errno = 0
            let code = mosquitto_loop_read(handle, 1)
            var drained = errno == EAGAIN || errno == EWOULDBLOCK
            for case .message(let message) in events[before...] {
                messages += 1
                bytes += message.payload.count
                drained = false
            }
            if code != MOSQ_ERR_SUCCESS.rawValue {
                if !events[before...].contains(where: { if case .disconnected = $0 { true } else { false } }) {
                    events.append(.disconnected(MQTTError(code: code, operation: "read from broker")))
                }
                break
            }
            guard messages < maxMessages, bytes < maxBytes else {
                lastPollReachedLimit = true
                break
            }
            guard !drained, mosquitto_socket(handle) >= 0 else { break }
        }
        return takeEvents()
    }

    private func takeEvents() -> [Event] {
        defer { events.removeAll(keepingCapacity: true) }
        return events
    }

    /// `poll(2)` that retries on EINTR; true when a descriptor is ready.
    private static func wait(_ descriptors: inout [pollfd], _ timeoutMilliseconds: Int32) -> Bool {
        while true {
            let ready = Glibc.poll(&descriptors, nfds_t(descriptors.count), timeoutMilliseconds)
            if ready >= 0 { return ready > 0 }
            if errno != EINTR { return false }
        }
    }

    /// Whether packets (acknowledgements, pings, CONNECT, SUBSCRIBE) are queued for the broker.
    public var hasPendingWrites: Bool {
        mosquitto_want_write(handle)
    }

    /// Writes queued packets as far as the socket takes them. Call it only once every message `poll` returned
    /// so far is durable: this is what sends their acknowledgements.
    public func writePending() throws(MQTTError) {
        guard isOpen, mosquitto_want_write(handle) else { return }
        try MQTTError.check(mosquitto_loop_write(handle, 1), "write to broker")
    }

    /// Keep-alive housekeeping: queues a PINGREQ when idle and closes a connection whose broker stopped answering.
    public func maintain() {
        guard isOpen else { return }
        _ = mosquitto_loop_misc(handle)
    }

    /// Sends DISCONNECT after whatever is queued, then closes. The persistent session stays on the broker.
    public func disconnect() {
        guard isOpen else { return }
        if mosquitto_disconnect(handle) == MOSQ_ERR_SUCCESS.rawValue {
            _ = mosquitto_loop_write(handle, 1)
        }
    }
}
