import CMosquitto

#if canImport(Glibc)
    import Glibc
#endif

/// The MQTT session libmosquitto speaks, used where the broker is reached over TLS (see `TCPSession` for plain TCP).
/// Its callbacks run synchronously inside `poll`, on the thread that drives it, and append to `events`.
final class MosquittoSession: MQTTSession {
    let configuration: MQTTConfiguration
    private let handle: OpaquePointer
    private var events: [MQTTConnection.Event] = []
    private(set) var lastPollReachedLimit = false

    init(configuration: MQTTConfiguration) throws(MQTTError) {
        self.configuration = configuration
        self.handle = try Mosquitto.makeHandle(configuration)
        // The acknowledge-after-commit choice: in threaded mode libmosquitto only queues the PUBACK it makes while
        // reading a PUBLISH, and nothing is written until `mosquitto_loop_write` (libmosquitto 2.0.11,
        // `lib/packet_mosq.c`). This type never writes on its own: `poll` only reads, `writePending` writes.
        mosquitto_threaded_set(handle, true)
        // Callbacks find this object through libmosquitto's user-data pointer. Unretained: the handle never
        // outlives `self`, which destroys it in `deinit`.
        mosquitto_user_data_set(handle, Unmanaged.passUnretained(self).toOpaque())
        mosquitto_connect_with_flags_callback_set(handle) { _, context, code, flags in
            MosquittoSession.owner(context).events.append(
                code == 0
                    ? .connected(sessionPresent: flags & 1 != 0)
                    : .refused(
                        MQTTError(code: code, operation: "broker refused the connection", isConnectionRefused: true)))
        }
        mosquitto_disconnect_callback_set(handle) { _, context, code in
            MosquittoSession.owner(context).events.append(
                .disconnected(code == 0 ? nil : MQTTError(code: code, operation: "connection lost")))
        }
        mosquitto_subscribe_callback_set(handle) { _, context, messageID, count, granted in
            // One filter per SUBSCRIBE here; 0x80 is the MQTT 3.1.1 failure code.
            let qos = count > 0 ? granted?[0] ?? 0x80 : 0x80
            MosquittoSession.owner(context).events.append(
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
            MosquittoSession.owner(context).events.append(
                .message(MQTTMessage(topic: topic, payload: payload, qos: Int(message.qos), retain: message.retain)))
        }
    }

    deinit {
        mosquitto_destroy(handle)
    }

    private static func owner(_ context: UnsafeMutableRawPointer?) -> MosquittoSession {
        Unmanaged<MosquittoSession>.fromOpaque(context!).takeUnretainedValue()
    }

    func connect() throws(MQTTError) {
        events.removeAll()
        try MQTTError.check(
            mosquitto_connect(handle, configuration.host, Int32(configuration.port), Int32(configuration.keepAlive)),
            "connect to \(configuration.endpoint)")
    }

    var isOpen: Bool {
        mosquitto_socket(handle) >= 0
    }

    func subscribe(_ filter: String, qos: Int) throws(MQTTError) -> Int32 {
        var messageID: Int32 = 0
        try MQTTError.check(mosquitto_subscribe(handle, &messageID, filter, Int32(qos)), "subscribe to \(filter)")
        return messageID
    }

    func poll(
        timeoutMilliseconds: Int32, maxMessages: Int, maxBytes: Int, interrupt: PollInterrupt?
    ) -> [MQTTConnection.Event] {
        let socket = mosquitto_socket(handle)
        guard socket >= 0 else { return [] }
        lastPollReachedLimit = false
        let readable = BrokerWait.wait(
            socket: socket, wantWrite: mosquitto_want_write(handle), interrupt: interrupt,
            timeoutMilliseconds: timeoutMilliseconds)
        guard readable else { return takeEvents() }
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

    private func takeEvents() -> [MQTTConnection.Event] {
        defer { events.removeAll(keepingCapacity: true) }
        return events
    }

    var hasPendingWrites: Bool {
        mosquitto_want_write(handle)
    }

    func writePending() throws(MQTTError) {
        guard isOpen, mosquitto_want_write(handle) else { return }
        try MQTTError.check(mosquitto_loop_write(handle, 1), "write to broker")
    }

    func maintain() {
        guard isOpen else { return }
        _ = mosquitto_loop_misc(handle)
    }

    func disconnect() {
        guard isOpen else { return }
        if mosquitto_disconnect(handle) == MOSQ_ERR_SUCCESS.rawValue {
            _ = mosquitto_loop_write(handle, 1)
        }
    }
}
