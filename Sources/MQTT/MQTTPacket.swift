/// The MQTT 3.1.1 packets a subscriber exchanges with its broker, as bytes (OASIS MQTT 3.1.1, section 2 for the
/// fixed header and its remaining length, section 3 for each packet).
///
/// Only what `TCPSession` sends and receives: CONNECT, SUBSCRIBE, PUBACK, PINGREQ and DISCONNECT out; CONNACK,
/// SUBACK, PUBLISH and PINGRESP in.
enum MQTTPacket {
    /// What the first byte of a fixed header names (its high four bits).
    enum Kind: UInt8 {
        case connect = 1
        case connack = 2
        case publish = 3
        case puback = 4
        case subscribe = 8
        case suback = 9
        case pingreq = 12
        case pingresp = 13
        case disconnect = 14
    }

    /// The largest remaining length the protocol can express (four bytes of seven bits).
    static let maxRemainingLength = 268_435_455

    /// CONNECT with MQTT 3.1.1's protocol name and level 4.
    static func connect(_ configuration: MQTTConfiguration) -> [UInt8] {
        var body: [UInt8] = []
        appendString("MQTT", to: &body)
        body.append(4)
        var flags: UInt8 = configuration.cleanSession ? 0x02 : 0
        // 3.1.1 allows a password only with a user name (section 3.1.2.9).
        if configuration.username != nil {
            flags |= 0x80
            if configuration.password != nil { flags |= 0x40 }
        }
        body.append(flags)
        appendUInt16(UInt16(clamping: configuration.keepAlive), to: &body)
        appendString(configuration.clientID, to: &body)
        if let username = configuration.username {
            appendString(username, to: &body)
            if let password = configuration.password { appendString(password, to: &body) }
        }
        return packet(0x10, body)
    }

    /// SUBSCRIBE to one filter; its flags are fixed at 0b0010 by the protocol.
    static func subscribe(_ filter: String, qos: Int, packetID: UInt16) -> [UInt8] {
        var body: [UInt8] = []
        appendUInt16(packetID, to: &body)
        appendString(filter, to: &body)
        body.append(UInt8(qos))
        return packet(0x82, body)
    }

    /// Appends PUBACK for a QoS 1 PUBLISH: four bytes.
    static func appendPuback(_ packetID: UInt16, to bytes: inout [UInt8]) {
        bytes.append(0x40)
        bytes.append(2)
        appendUInt16(packetID, to: &bytes)
    }

    static let pingreq: [UInt8] = [0xC0, 0]
    static let disconnect: [UInt8] = [0xE0, 0]

    private static func packet(_ firstByte: UInt8, _ body: [UInt8]) -> [UInt8] {
        var bytes = [firstByte]
        appendRemainingLength(body.count, to: &bytes)
        bytes += body
        return bytes
    }

    /// Seven bits a byte, least significant first; the high bit says another byte follows.
    static func appendRemainingLength(_ length: Int, to bytes: inout [UInt8]) {
        var rest = length
        repeat {
            var byte = UInt8(rest & 0x7F)
            rest >>= 7
            if rest > 0 { byte |= 0x80 }
            bytes.append(byte)
        } while rest > 0
    }

    private static func appendUInt16(_ value: UInt16, to bytes: inout [UInt8]) {
        bytes.append(UInt8(value >> 8))
        bytes.append(UInt8(value & 0xFF))
    }

    /// A UTF-8 string with its two-byte length. Longer strings cannot be sent; the caller's own names never are.
    private static func appendString(_ text: String, to bytes: inout [UInt8]) {
        let utf8 = Array(text.utf8.prefix(Int(UInt16.max)))
        appendUInt16(UInt16(utf8.count), to: &bytes)
        bytes += utf8
    }

    /// Where the next packet of `bytes` lies, when it has arrived whole.
    enum Frame: Equatable {
        /// The packet's first byte, and where its body starts and ends in `bytes`.
        case packet(firstByte: UInt8, body: Range<Int>)
        /// More bytes are needed; `atLeast` counts from the start of the frame when the header is known.
        case incomplete(atLeast: Int?)
        /// A remaining length longer than four bytes: not MQTT.
        case malformed
    }

    /// Reads the fixed header at the start of `bytes`.
    static func frame(_ bytes: UnsafeRawBufferPointer) -> Frame {
        guard bytes.count >= 2 else { return .incomplete(atLeast: nil) }
        var length = 0
        var shift = 0
        var index = 1
        while true {
            guard index < bytes.count else { return .incomplete(atLeast: nil) }
            let byte = bytes[index]
            length |= Int(byte & 0x7F) << shift
            index += 1
            if byte & 0x80 == 0 { break }
            shift += 7
            if shift > 21 { return .malformed }
        }
        let end = index + length
        guard end <= bytes.count else { return .incomplete(atLeast: end) }
        return .packet(firstByte: bytes[0], body: index..<end)
    }

    /// A big-endian two-byte integer at `offset`.
    static func uint16(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> UInt16 {
        UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
    }
}
