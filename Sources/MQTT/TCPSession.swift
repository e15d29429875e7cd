import CMosquitto

#if canImport(Glibc)
    import Glibc
#endif

/// MQTT 3.1.1 over plain TCP, spoken by FloodWatch itself: the subscriber side only (CONNECT, SUBSCRIBE, PUBLISH in,
/// PUBACK out, keep-alive).
///
/// ## Why not libmosquitto here
/// Draining a backlog, libmosquitto made three `read(2)` calls per packet (type, length, body), wrote a wake-up byte
/// to its own socket pair for every queued PUBACK and one `write(2)` per PUBACK: about a third of the ingest
/// thread's time (`docs/benchmarks.md`). This session reads whatever the socket holds in one call, parses every
/// whole packet from that buffer, and sends the PUBACKs of a batch in one `send(2)`. TLS stays with libmosquitto
/// (`MosquittoSession`); only the plain-TCP listener is spoken here.
///
/// Acknowledgements are queued when `poll` returns their messages and leave only in `writePending`, which is the
/// contract `MQTTConnection` documents. Not thread-safe: one thread drives it.
final class TCPSession: MQTTSession {
    private let configuration: MQTTConfiguration
    private var socket: Int32 = -1
    /// Bytes read from the socket; `inboundStart..<inboundEnd` are not parsed yet.
    private var inbound: [UInt8]
    private var inboundStart = 0
    private var inboundEnd = 0
    /// Packets waiting for `writePending`; `outboundSent` of them already left.
    private var outbound: [UInt8] = []
    private var outboundSent = 0
    private var lastPacketID: UInt16 = 0
    private var lastSent = ContinuousClock.now
    private var lastReceived = ContinuousClock.now
    /// When the PINGREQ still awaiting its PINGRESP left.
    private var pingSent: ContinuousClock.Instant?
    /// Events that happened outside a `poll` (the keep-alive giving up), returned by the next one.
    private var pending: [MQTTConnection.Event] = []
    private(set) var lastPollReachedLimit = false

    /// Room for a few thousand readings per `read(2)`; grown for a packet that does not fit.
    private static let readSize = 256 * 1024

    init(configuration: MQTTConfiguration) {
        self.configuration = configuration
        self.inbound = [UInt8](repeating: 0, count: Self.readSize)
    }

    deinit {
        if socket >= 0 { close(socket) }
    }

    var isOpen: Bool { socket >= 0 }

    var hasPendingWrites: Bool { outboundSent < outbound.count }

    func connect() throws(MQTTError) {
        closeSocket()
        pending.removeAll()
        outbound.removeAll(keepingCapacity: true)
        outboundSent = 0
        inboundStart = 0
        inboundEnd = 0
        pingSent = nil
        socket = try Self.openSocket(configuration)
        lastSent = .now
        lastReceived = .now
        outbound += MQTTPacket.connect(configuration)
    }

    func subscribe(_ filter: String, qos: Int) throws(MQTTError) -> Int32 {
        guard isOpen else { throw MQTTError(code: MOSQ_ERR_NO_CONN.rawValue, operation: "subscribe to \(filter)") }
        lastPacketID = lastPacketID == .max ? 1 : lastPacketID + 1
        outbound += MQTTPacket.subscribe(filter, qos: qos, packetID: lastPacketID)
        return Int32(lastPacketID)
    }

    func poll(
        timeoutMilliseconds: Int32, maxMessages: Int, maxBytes: Int, interrupt: PollInterrupt?
    ) -> [MQTTConnection.Event] {
        lastPollReachedLimit = false
        var events = pending
        pending.removeAll()
        guard socket >= 0 else { return events }
        // A poll that stopped at a bound left whole packets in the buffer: those come first, without waiting.
        let buffered = hasWholePacket
        let readable = BrokerWait.wait(
            socket: socket, wantWrite: hasPendingWrites, interrupt: interrupt,
            timeoutMilliseconds: buffered || !events.isEmpty ? 0 : timeoutMilliseconds)
        var messages = 0
        var bytes = 0
        var mayRead = readable
        while socket >= 0 {
            if !parse(into: &events, messages: &messages, bytes: &bytes, maxMessages: maxMessages, maxBytes: maxBytes) {
                lastPollReachedLimit = true
                break
            }
            guard mayRead else { break }
            mayRead = readSocket(into: &events)
        }
        return events
    }

    func writePending() throws(MQTTError) {
        guard socket >= 0, hasPendingWrites else { return }
        while outboundSent < outbound.count {
            let sent = outbound.withUnsafeBytes { bytes in
                send(socket, bytes.baseAddress! + outboundSent, bytes.count - outboundSent, Int32(MSG_NOSIGNAL))
            }
            if sent > 0 {
                outboundSent += sent
                lastSent = .now
            } else if errno == EAGAIN || errno == EWOULDBLOCK {
                return  // the socket is full; the rest leaves with a later call
            } else if errno != EINTR {
                let error = MQTTError(code: MOSQ_ERR_ERRNO.rawValue, operation: "write to broker")
                closeSocket()
                throw error
            }
        }
        outbound.removeAll(keepingCapacity: true)
        outboundSent = 0
    }

    /// libmosquitto's rule (`mosquitto_loop_misc`): after a keep-alive interval without traffic either way, a
    /// PINGREQ; after another without its PINGRESP, the broker is gone.
    func maintain() {
        guard socket >= 0, configuration.keepAlive > 0 else { return }
        let now = ContinuousClock.now
        let interval = Duration.seconds(configuration.keepAlive)
        if let pingSent {
            if now - pingSent >= interval {
                closeSocket()
                pending.append(
                    .disconnected(MQTTError(code: MOSQ_ERR_KEEPALIVE.rawValue, operation: "broker stopped answering")))
            }
        } else if now - lastSent >= interval || now - lastReceived >= interval {
            outbound += MQTTPacket.pingreq
            pingSent = now
        }
    }

    func disconnect() {
        guard socket >= 0 else { return }
        outbound += MQTTPacket.disconnect
        // Whatever is queued, then DISCONNECT, for up to a second: the broker then keeps the session without
        // publishing a will or logging a lost client.
        for _ in 0..<10 where hasPendingWrites && socket >= 0 {
            do {
                try writePending()
            } catch {
                break
            }
            if hasPendingWrites { _ = BrokerWait.wait(socket: socket, wantWrite: true, timeoutMilliseconds: 100) }
        }
        closeSocket()
    }

    private func closeSocket() {
        guard socket >= 0 else { return }
        close(socket)
        socket = -1
    }

    // MARK: Reading

    private var hasWholePacket: Bool {
        inbound.withUnsafeBytes { bytes in
            if case .packet = MQTTPacket.frame(UnsafeRawBufferPointer(rebasing: bytes[inboundStart..<inboundEnd])) {
                true
            } else {
                false
            }
        }
    }

    /// One `read(2)` into the free end of the buffer.
    /// - Returns: whether to read again (false once the socket is empty or gone).
    private func readSocket(into events: inout [MQTTConnection.Event]) -> Bool {
        makeRoom()
        let count = inbound.withUnsafeMutableBytes { bytes in
            read(socket, bytes.baseAddress! + inboundEnd, bytes.count - inboundEnd)
        }
        if count > 0 {
            inboundEnd += count
            lastReceived = .now
            return true
        }
        if count < 0, errno == EINTR { return true }
        if count < 0, errno == EAGAIN || errno == EWOULDBLOCK { return false }
        let error =
            count == 0
            ? MQTTError(code: MOSQ_ERR_CONN_LOST.rawValue, operation: "read from broker")
            : MQTTError(code: MOSQ_ERR_ERRNO.rawValue, operation: "read from broker")
        lost(error, events: &events)
        return false
    }

    /// Moves the unparsed tail to the front, and grows the buffer for a packet larger than it.
    private func makeRoom() {
        let needed = inbound.withUnsafeBytes { bytes in
            if case .incomplete(let atLeast?) = MQTTPacket.frame(
                UnsafeRawBufferPointer(rebasing: bytes[inboundStart..<inboundEnd]))
            {
                atLeast
            } else {
                0
            }
        }
        if inbound.count - inboundEnd >= Self.readSize / 4, inboundStart + needed <= inbound.count { return }
        let tail = inboundEnd - inboundStart
        if tail > 0 {
            inbound.withUnsafeMutableBytes { bytes in
                let base = bytes.baseAddress!
                memmove(base, base + inboundStart, tail)
            }
        }
        inboundStart = 0
        inboundEnd = tail
        let wanted = max(needed, tail) + Self.readSize / 4
        if wanted > inbound.count {
            inbound += [UInt8](repeating: 0, count: wanted - inbound.count)
        }
    }

    /// Turns every whole packet in the buffer into events, queueing the PUBACK of each QoS 1 message.
    /// - Returns: false when it stopped at `maxMessages` or `maxBytes`.
    private func parse(
        into events: inout [MQTTConnection.Event], messages: inout Int, bytes: inout Int, maxMessages: Int,
        maxBytes: Int
    ) -> Bool {
        var failure: MQTTError?
        let withinBounds = inbound.withUnsafeBytes { buffer in
            while messages < maxMessages, bytes < maxBytes {
                let unparsed = UnsafeRawBufferPointer(rebasing: buffer[inboundStart..<inboundEnd])
                let firstByte: UInt8
                let body: UnsafeRawBufferPointer
                switch MQTTPacket.frame(unparsed) {
                case .incomplete:
                    return true
                case .malformed:
                    failure = MQTTError(code: MOSQ_ERR_PROTOCOL.rawValue, operation: "read from broker")
                    return true
                case .packet(let first, let range):
                    firstByte = first
                    body = UnsafeRawBufferPointer(rebasing: unparsed[range])
                    inboundStart += range.upperBound
                }
                guard let kind = MQTTPacket.Kind(rawValue: firstByte >> 4) else {
                    failure = MQTTError(code: MOSQ_ERR_PROTOCOL.rawValue, operation: "read from broker")
                    return true
                }
                switch kind {
                case .publish:
                    guard let message = publish(firstByte, body) else {
                        failure = MQTTError(code: MOSQ_ERR_PROTOCOL.rawValue, operation: "read a PUBLISH")
                        return true
                    }
                    events.append(.message(message))
                    messages += 1
                    bytes += message.payload.count
                case .connack where body.count == 2:
                    if body[1] == 0 {
                        events.append(.connected(sessionPresent: body[0] & 1 != 0))
                    } else {
                        events.append(
                            .refused(
                                MQTTError(
                                    code: Int32(body[1]), operation: "broker refused the connection",
                                    isConnectionRefused: true)))
                        failure = MQTTError(code: MOSQ_ERR_CONN_REFUSED.rawValue, operation: "read from broker")
                        return true
                    }
                case .suback where body.count >= 3:
                    // One filter per SUBSCRIBE here; 0x80 is the MQTT 3.1.1 failure code.
                    let granted = body[2]
                    events.append(
                        .subscribed(
                            grantedQoS: granted == 0x80 ? nil : Int(granted),
                            messageID: Int32(MQTTPacket.uint16(body, at: 0))))
                case .pingresp:
                    pingSent = nil
                default:
                    failure = MQTTError(code: MOSQ_ERR_PROTOCOL.rawValue, operation: "read from broker")
                    return true
                }
            }
            return false
        }
        if let failure { lost(failure, events: &events) }
        return withinBounds
    }

    /// A PUBLISH body (section 3.3): topic, packet id at QoS 1, payload. QoS 2 is never asked for, so a broker that
    /// sends it breaks the protocol.
    private func publish(_ firstByte: UInt8, _ body: UnsafeRawBufferPointer) -> MQTTMessage? {
        let qos = Int(firstByte >> 1 & 3)
        guard qos < 2, body.count >= 2 else { return nil }
        let topicLength = Int(MQTTPacket.uint16(body, at: 0))
        var offset = 2 + topicLength
        guard body.count >= offset + (qos == 1 ? 2 : 0) else { return nil }
        let topic = String(decoding: UnsafeRawBufferPointer(rebasing: body[2..<offset]), as: UTF8.self)
        if qos == 1 {
            MQTTPacket.appendPuback(MQTTPacket.uint16(body, at: offset), to: &outbound)
            offset += 2
        }
        return MQTTMessage(
            topic: topic, payload: Array(UnsafeRawBufferPointer(rebasing: body[offset...])), qos: qos,
            retain: firstByte & 1 != 0)
    }

    private func lost(_ error: MQTTError, events: inout [MQTTConnection.Event]) {
        closeSocket()
        events.append(.disconnected(error))
    }

    // MARK: Connecting

    /// A blocking TCP connect to the first address of `host` that answers, then non-blocking with Nagle off (small
    /// packets leave at once, as `Mosquitto.makeHandle` sets for libmosquitto).
    private static func openSocket(_ configuration: MQTTConfiguration) throws(MQTTError) -> Int32 {
        let operation = "connect to \(configuration.endpoint)"
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var addresses: UnsafeMutablePointer<addrinfo>?
        let resolved = getaddrinfo(configuration.host, String(configuration.port), &hints, &addresses)
        guard resolved == 0, let first = addresses else {
            throw MQTTError(
                code: MOSQ_ERR_EAI.rawValue, operation: "\(operation) (\(String(cString: gai_strerror(resolved))))")
        }
        defer { freeaddrinfo(first) }
        var failure = MQTTError(code: MOSQ_ERR_NO_CONN.rawValue, operation: operation)
        var next: UnsafeMutablePointer<addrinfo>? = first
        while let address = next?.pointee {
            next = address.ai_next
            let descriptor = Glibc.socket(
                address.ai_family, address.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), address.ai_protocol)
            guard descriptor >= 0 else {
                failure = MQTTError(code: MOSQ_ERR_ERRNO.rawValue, operation: operation)
                continue
            }
            var connected = Glibc.connect(descriptor, address.ai_addr, address.ai_addrlen)
            while connected != 0, errno == EINTR {
                connected = Glibc.connect(descriptor, address.ai_addr, address.ai_addrlen)
            }
            guard connected == 0 else {
                failure = MQTTError(code: MOSQ_ERR_ERRNO.rawValue, operation: operation)
                close(descriptor)
                continue
            }
            var on: Int32 = 1
            _ = setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size))
            _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
            return descriptor
        }
        throw failure
    }
}
