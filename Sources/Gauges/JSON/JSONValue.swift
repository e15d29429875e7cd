/// A JSON value (RFC 8259) as `JSONParser` reads it from a payload.
///
/// Numbers keep their text, so nothing is lost or rounded until a caller asks for a `Double` or an `Int64`;
/// array elements keep the bytes they came from, so a bad reading in a backlog can be kept exactly as sent;
/// objects keep their members in order, duplicates included (the payload decoder reports those).
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONElement])
    case object([JSONMember])

    /// What kind of value this is, in words for a message: `a number`, `an object`, `null`.
    public var kindDescription: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// The value as compact JSON text, cut after about `limit` characters with `…`: for messages that quote
    /// what a gauge sent, without letting a large payload flood the log.
    public func jsonText(limit: Int = 64) -> String {
        var text = ""
        let complete = write(to: &text, limit: limit)
        return complete && text.count <= limit ? text : String(text.prefix(limit)) + "…"
    }

    /// Appends the value's JSON; false when it stopped early because the text grew past `limit` UTF-8 bytes.
    private func write(to text: inout String, limit: Int) -> Bool {
        guard text.utf8.count <= limit else { return false }
        switch self {
        case .null: text += "null"
        case .bool(let value): text += value ? "true" : "false"
        case .number(let number): text += number.text
        case .string(let string): Self.writeString(string, to: &text)
        case .array(let elements):
            text += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { text += "," }
                guard element.value.write(to: &text, limit: limit), text.utf8.count <= limit else { return false }
            }
            text += "]"
        case .object(let members):
            text += "{"
            for (index, member) in members.enumerated() {
                if index > 0 { text += "," }
                Self.writeString(member.key, to: &text)
                text += ":"
                guard member.value.write(to: &text, limit: limit), text.utf8.count <= limit else { return false }
            }
            text += "}"
        }
        return true
    }

    /// `string` as a JSON string literal, escaped per RFC 8259 §7. For writers of payloads (the gauge simulator,
    /// tests) as much as for messages.
    public static func literal(_ string: String) -> String {
        var text = ""
        writeString(string, to: &text)
        return text
    }

    private static func writeString(_ string: String, to text: inout String) {
        text += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16, uppercase: true)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }
}

/// A JSON number, kept as the text it was written with (always valid JSON number grammar).
public struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
    /// The number exactly as written, e.g. `4.02`, `-1`, `1665439200.25`, `1e999`.
    public let text: String
    /// Written without a fraction or exponent, e.g. `12` or `-0`.
    public let isIntegerLiteral: Bool

    /// Accepts only text that follows the JSON number grammar (RFC 8259 §6): no `+`, no leading zeros,
    /// no `.5` or `5.`, no hex, no `NaN`/`Infinity`.
    public init?(_ text: String) {
        var text = text
        let grammar = text.withUTF8 { Self.grammar(of: $0) }
        guard let grammar else { return nil }
        self.text = text
        self.isIntegerLiteral = grammar
    }

    /// - Precondition: `text` follows the JSON number grammar.
    init(validText text: String, isIntegerLiteral: Bool) {
        self.text = text
        self.isIntegerLiteral = isIntegerLiteral
    }

    /// The nearest `Double`; ±infinity when the number is too large for one (e.g. `1e999`), as `Double(String)` does.
    public var double: Double {
        if let exact = text.utf8.withContiguousStorageIfAvailable(Self.exactDecimal) ?? nil { return exact }
        // The grammar is a subset of what Double(String) accepts, so this never fails.
        return Double(text) ?? .nan
    }

    /// The value of a number written as plain decimals (`4.02`, `-1`, `1665439200`) whose digits make an integer of
    /// at most 2^53 and that has at most 22 of them after the point: that integer and the power of ten are both
    /// exact doubles, so their quotient is the correctly rounded value, the one `Double(String)` gives (Clinger's
    /// fast path). Nil for anything else (an exponent, more digits), which `Double(String)` converts. Gauges send
    /// such numbers only, and `strtod` behind `Double(String)` was 2 % of the samples of a drain.
    /// - Precondition: the bytes follow the JSON number grammar.
    static func exactDecimal(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        var index = 0
        let negative = bytes.first == UInt8(ascii: "-")
        if negative { index = 1 }
        var digits: UInt64 = 0
        var count = 0
        var decimals = 0
        var afterPoint = false
        while index < bytes.count {
            let byte = bytes[index]
            if byte &- UInt8(ascii: "0") < 10 {
                // 19 digits fit a UInt64; more are beyond 2^53 anyway.
                guard count < 19 else { return nil }
                digits = digits * 10 + UInt64(byte &- UInt8(ascii: "0"))
                count += 1
                if afterPoint { decimals += 1 }
            } else if byte == UInt8(ascii: "."), !afterPoint {
                afterPoint = true
            } else {
                return nil
            }
            index += 1
        }
        guard digits <= 1 << 53, decimals < powersOfTen.count else { return nil }
        let value = Double(digits) / powersOfTen[decimals]
        return negative ? -value : value
    }

    /// 10^0 … 10^22, every one an exact double.
    private static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
        1e20, 1e21, 1e22,
    ]

    /// The exact integer the number denotes (`12`, `-3`, also `12.0` or `1.2e1`), or nil when it has a fraction
    /// or does not fit an `Int64`.
    public var int64: Int64? {
        if isIntegerLiteral { return Int64(text) }
        let value = double
        // Beyond 2^53 a Double no longer tells whether the written number was an integer.
        guard value.isFinite, value == value.rounded(), value.magnitude <= 9_007_199_254_740_992 else { return nil }
        return Int64(value)
    }

    public var description: String { text }

    /// Whether the bytes are one JSON number and nothing else: nil if not, else whether it is an integer literal.
    static func grammar(of bytes: UnsafeBufferPointer<UInt8>) -> Bool? {
        var index = 0
        let count = bytes.count
        func isDigit(_ i: Int) -> Bool { i < count && bytes[i] &- 0x30 < 10 }
        if index < count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard isDigit(index) else { return nil }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            while isDigit(index) { index += 1 }
        }
        var integer = true
        if index < count, bytes[index] == UInt8(ascii: ".") {
            integer = false
            index += 1
            guard isDigit(index) else { return nil }
            while isDigit(index) { index += 1 }
        }
        if index < count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            integer = false
            index += 1
            if index < count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard isDigit(index) else { return nil }
            while isDigit(index) { index += 1 }
        }
        return index == count ? integer : nil
    }
}

/// One element of a JSON array and the bytes it occupies in the payload, from its first byte to its last
/// (`{` … `}` for an object), so that `payload[range]` is the element's text.
public struct JSONElement: Sendable, Hashable {
    public var value: JSONValue
    public var range: Range<Int>

    public init(value: JSONValue, range: Range<Int>) {
        self.value = value
        self.range = range
    }
}

/// One `"key": value` member of a JSON object, in the order written.
public struct JSONMember: Sendable, Hashable {
    public var key: String
    public var value: JSONValue

    public init(key: String, value: JSONValue) {
        self.key = key
        self.value = value
    }
}
