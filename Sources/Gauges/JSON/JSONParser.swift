/// A strict RFC 8259 JSON parser over raw bytes, for the ingest hot path: no Foundation, no intermediate
/// Strings except for the string and number values themselves.
///
/// Strict means: one value with optional whitespace around it, no trailing commas, no comments, no single quotes,
/// no `NaN`/`Infinity`, no leading zeros, no raw control characters in strings, no lone surrogates in `\u`
/// escapes, and only well-formed UTF-8. Nesting deeper than `maxDepth` arrays and objects is refused, so a hostile
/// payload cannot exhaust the stack.
public enum JSONParser {
    /// Parses a whole payload into one value.
    /// - Parameter maxDepth: the deepest nesting of arrays and objects accepted; a top-level array is depth 1.
    public static func parse(_ bytes: [UInt8], maxDepth: Int = IntakeLimits().maxJSONDepth) throws(JSONParseError)
        -> JSONValue
    {
        try bytes.withUnsafeBufferPointer { (buffer) throws(JSONParseError) -> JSONValue in
            try parse(buffer, maxDepth: maxDepth)
        }
    }

    /// Parses a whole payload into one value; element ranges are offsets into `bytes`.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int = IntakeLimits().maxJSONDepth)
        throws(JSONParseError) -> JSONValue
    {
        var parser = Parser(bytes: bytes, maxDepth: maxDepth)
        return try parser.parseDocument()
    }
}

/// Why a payload is not JSON, with the 0-based byte offset where the parser gave up.
public struct JSONParseError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// No bytes, or only whitespace.
        case empty
        /// The payload ends inside a value: usually a message cut off in transit.
        case unexpectedEnd
        /// A byte that cannot start or continue a value at this point.
        case unexpectedCharacter
        /// Something after a complete value.
        case trailingCharacters
        /// Deeper than the nesting limit.
        case tooDeep
        /// A number that breaks the JSON grammar, e.g. with leading zeros.
        case invalidNumber
        /// A bad escape, a raw control character or a lone surrogate in a string.
        case invalidString
        /// A byte sequence that is not UTF-8.
        case invalidUTF8
    }

    public var kind: Kind
    /// 0-based offset of the offending byte (the payload's length for an unexpected end).
    public var offset: Int
    /// The whole message, e.g. `unexpected end of input at byte 23 (truncated?)`.
    public var description: String

    public init(kind: Kind, offset: Int, description: String) {
        self.kind = kind
        self.offset = offset
        self.description = description
    }
}

private struct Parser {
    let bytes: UnsafeBufferPointer<UInt8>
    let maxDepth: Int
    var position = 0

    init(bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    // MARK: Structure

    mutating func parseDocument() throws(JSONParseError) -> JSONValue {
        skipWhitespace()
        guard position < bytes.count else {
            let detail = bytes.isEmpty ? "empty payload" : "empty payload (only whitespace)"
            throw JSONParseError(kind: .empty, offset: position, description: detail)
        }
        let value = try parseValue(depth: 0)
        skipWhitespace()
        if position < bytes.count {
            throw JSONParseError(
                kind: .trailingCharacters, offset: position,
                description: "unexpected \(shown(at: position)) after the JSON value at byte \(position)")
        }
        return value
    }

    /// Parses the value starting at `position` (no whitespace before it); `depth` is that of its container.
    mutating func parseValue(depth: Int) throws(JSONParseError) -> JSONValue {
        guard position < bytes.count else { throw endOfInput() }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"): return try parseWord()
        default: throw unexpected(expected: "a value")
        }
    }

    mutating func parseArray(depth: Int) throws(JSONParseError) -> JSONValue {
        try checkDepth(depth)
        position += 1  // [
        var elements: [JSONElement] = []
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
            position += 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            let start = position
            let value = try parseValue(depth: depth)
            elements.append(JSONElement(value: value, range: start..<position))
            skipWhitespace()
            guard position < bytes.count else { throw endOfInput() }
            switch bytes[position] {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "]"):
                position += 1
                return .array(elements)
            default: throw unexpected(expected: "',' or ']'")
            }
        }
    }

    mutating func parseObject(depth: Int) throws(JSONParseError) -> JSONValue {
        try checkDepth(depth)
        position += 1  // {
        var members: [JSONMember] = []
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
            position += 1
            return .object(members)
        }
        // A reading holds ts, value and seq: room for them at once, not grown 1, 2, 4 (array growth was 1.3 % of
        // the samples of a drain).
        members.reserveCapacity(4)
        while true {
            skipWhitespace()
            guard position < bytes.count else { throw endOfInput() }
            guard bytes[position] == UInt8(ascii: "\"") else {
                throw unexpected(expected: members.isEmpty ? "a quoted key or '}'" : "a quoted key")
            }
            let key = try parseString()
            skipWhitespace()
            guard position < bytes.count else { throw endOfInput() }
            guard bytes[position] == UInt8(ascii: ":") else { throw unexpected(expected: "':' after the key") }
            position += 1
            skipWhitespace()
            let value = try parseValue(depth: depth)
            members.append(JSONMember(key: key, value: value))
            skipWhitespace()
            guard position < bytes.count else { throw endOfInput() }
            switch bytes[position] {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "}"):
                position += 1
                return .object(members)
            default: throw unexpected(expected: "',' or '}'")
            }
        }
    }

    func checkDepth(_ depth: Int) throws(JSONParseError) {
        if depth > maxDepth {
            throw JSONParseError(
                kind: .tooDeep, offset: position,
                description: "nested deeper than \(maxDepth) levels at byte \(position)")
        }
    }

    @inline(__always)
    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    // MARK: Scalars

    /// `true`, `false`, `null`, or an unquoted word, which is an error worth naming as a whole (`NaN`, `high`).
    mutating func parseWord() throws(JSONParseError) -> JSONValue {
        let start = position
        var end = position
        while end < bytes.count, Self.isWordByte(bytes[end]) { end += 1 }
        let word = UnsafeBufferPointer(rebasing: bytes[start..<end])
        if Self.equals(word, "true") { position = end; return .bool(true) }
        if Self.equals(word, "false") { position = end; return .bool(false) }
        if Self.equals(word, "null") { position = end; return .null }
        // A literal cut off by the end of the payload: `tru`.
        let literals: [StaticString] = ["true", "false", "null"]
        if end == bytes.count, literals.contains(where: { Self.hasPrefix($0, word) }) {
            position = end
            throw endOfInput()
        }
        let text = String(decoding: word.prefix(32), as: UTF8.self) + (word.count > 32 ? "…" : "")
        let lower = text.lowercased()
        let hint =
            ["nan", "inf", "infinity"].contains(lower)
            ? "JSON has no NaN or Infinity" : "text must be in double quotes"
        throw JSONParseError(
            kind: .unexpectedCharacter, offset: start,
            description: "unexpected word '\(text)' at byte \(start) (\(hint))")
    }

    mutating func parseNumber() throws(JSONParseError) -> JSONNumber {
        let start = position
        var integer = true
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        try requireDigit(after: "'-'")
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
            if position < bytes.count, isDigit(bytes[position]) {
                throw JSONParseError(
                    kind: .invalidNumber, offset: position,
                    description: "number with a leading zero at byte \(start) (JSON does not allow them)")
            }
        } else {
            skipDigits()
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            integer = false
            position += 1
            try requireDigit(after: "'.'")
            skipDigits()
        }
        if position < bytes.count, bytes[position] | 0x20 == UInt8(ascii: "e") {
            integer = false
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                position += 1
            }
            try requireDigit(after: "the exponent")
            skipDigits()
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
        return JSONNumber(validText: text, isIntegerLiteral: integer)
    }

    mutating func requireDigit(after what: String) throws(JSONParseError) {
        guard position < bytes.count else { throw endOfInput() }
        guard isDigit(bytes[position]) else { throw unexpected(expected: "a digit after \(what)") }
    }

    @inline(__always)
    mutating func skipDigits() {
        while position < bytes.count, isDigit(bytes[position]) { position += 1 }
    }

    @inline(__always)
    func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    /// Parses the string whose opening quote is at `position`. Without escapes (nearly always) the String is made
    /// straight from the payload bytes.
    mutating func parseString() throws(JSONParseError) -> String {
        position += 1  // "
        var runStart = position
        var unescaped: [UInt8]? = nil
        while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                let run = UnsafeBufferPointer(rebasing: bytes[runStart..<position])
                position += 1
                guard var text = unescaped else { return String(decoding: run, as: UTF8.self) }
                text.append(contentsOf: run)
                return String(decoding: text, as: UTF8.self)
            case UInt8(ascii: "\\"):
                if unescaped == nil { unescaped = [] }
                unescaped!.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<position]))
                try parseEscape(into: &unescaped!)
                runStart = position
            case 0..<0x20:
                throw JSONParseError(
                    kind: .invalidString, offset: position,
                    description: "unescaped control character 0x\(Self.hex(byte)) in a string at byte \(position)")
            case 0x80...:
                guard let length = UTF8Validation.sequenceLength(bytes, at: position) else {
                    throw JSONParseError(
                        kind: .invalidUTF8, offset: position, description: "invalid UTF-8 at byte \(position)")
                }
                position += length
            default:
                position += 1
            }
        }
        throw endOfInput()
    }

    /// Reads the escape whose backslash is at `position` and appends its UTF-8 bytes.
    mutating func parseEscape(into text: inout [UInt8]) throws(JSONParseError) {
        let start = position
        position += 1
        guard position < bytes.count else { throw endOfInput() }
        let letter = bytes[position]
        position += 1
        switch letter {
        case UInt8(ascii: "\""): text.append(0x22)
        case UInt8(ascii: "\\"): text.append(0x5C)
        case UInt8(ascii: "/"): text.append(0x2F)
        case UInt8(ascii: "b"): text.append(0x08)
        case UInt8(ascii: "f"): text.append(0x0C)
        case UInt8(ascii: "n"): text.append(0x0A)
        case UInt8(ascii: "r"): text.append(0x0D)
        case UInt8(ascii: "t"): text.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try parseHex4(escapeAt: start)
            if (0xDC00...0xDFFF).contains(scalar) {
                throw loneSurrogate(scalar, at: start)
            }
            if (0xD800...0xDBFF).contains(scalar) {
                // A high surrogate must be followed at once by a \u escape of a low one.
                guard position < bytes.count else { throw endOfInput() }
                guard bytes[position] == UInt8(ascii: "\\") else { throw loneSurrogate(scalar, at: start) }
                guard position + 1 < bytes.count else { throw endOfInput() }
                guard bytes[position + 1] == UInt8(ascii: "u") else { throw loneSurrogate(scalar, at: start) }
                let lowStart = position
                position += 2
                let low = try parseHex4(escapeAt: lowStart)
                guard (0xDC00...0xDFFF).contains(low) else { throw loneSurrogate(scalar, at: start) }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            }
            Self.appendUTF8(scalar, to: &text)
        default:
            throw JSONParseError(
                kind: .invalidString, offset: start,
                description: "invalid escape '\\\(Self.printable(letter))' in a string at byte \(start)")
        }
    }

    /// The 4 hex digits after `\u` (at `position`).
    mutating func parseHex4(escapeAt start: Int) throws(JSONParseError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard position < bytes.count else { throw endOfInput() }
            let byte = bytes[position]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default:
                throw JSONParseError(
                    kind: .invalidString, offset: start,
                    description: "invalid \\u escape at byte \(start) (needs 4 hex digits)")
            }
            value = value << 4 | UInt32(digit)
            position += 1
        }
        return value
    }

    func loneSurrogate(_ value: UInt32, at offset: Int) -> JSONParseError {
        let hex = String(value, radix: 16, uppercase: true)
        return JSONParseError(
            kind: .invalidString, offset: offset,
            description: "lone surrogate \\u\(hex) at byte \(offset) (a \\uD800–\\uDBFF escape must be followed by a "
                + "\\uDC00–\\uDFFF one)")
    }

    static func appendUTF8(_ scalar: UInt32, to text: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            text.append(UInt8(scalar))
        case 0x80..<0x800:
            text.append(UInt8(0xC0 | scalar >> 6))
            text.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            text.append(UInt8(0xE0 | scalar >> 12))
            text.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            text.append(UInt8(0x80 | scalar & 0x3F))
        default:
            text.append(UInt8(0xF0 | scalar >> 18))
            text.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            text.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            text.append(UInt8(0x80 | scalar & 0x3F))
        }
    }

    // MARK: Errors

    func endOfInput() -> JSONParseError {
        JSONParseError(
            kind: .unexpectedEnd, offset: bytes.count,
            description: "unexpected end of input at byte \(bytes.count) (truncated?)")
    }

    /// An unexpected byte at `position`.
    func unexpected(expected: String) -> JSONParseError {
        if position >= bytes.count { return endOfInput() }
        let what = shown(at: position)
        return JSONParseError(
            kind: .unexpectedCharacter, offset: position,
            description: "unexpected \(what.hasPrefix("byte") ? what : "character " + what) at byte \(position) "
                + "(expected \(expected))")
    }

    /// The byte at `offset` for a message: `'x'`, `'é'` for a whole UTF-8 character, or `byte 0x0A`.
    func shown(at offset: Int) -> String {
        let byte = bytes[offset]
        if byte >= 0x80, let length = UTF8Validation.sequenceLength(bytes, at: offset) {
            let character = String(
                decoding: UnsafeBufferPointer(rebasing: bytes[offset..<offset + length]), as: UTF8.self)
            return "'" + character + "'"
        }
        if byte < 0x20 || byte >= 0x7F { return "byte 0x\(Self.hex(byte))" }
        if byte == UInt8(ascii: "'") { return "\"'\"" }
        return "'\(Self.printable(byte))'"
    }

    static func printable(_ byte: UInt8) -> String {
        byte >= 0x20 && byte < 0x7F ? String(UnicodeScalar(byte)) : "x" + hex(byte)
    }

    static func hex(_ byte: UInt8) -> String {
        let digits = String(byte, radix: 16, uppercase: true)
        return byte < 0x10 ? "0" + digits : digits
    }

    static func isWordByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "_"):
            true
        default: false
        }
    }

    static func equals(_ bytes: UnsafeBufferPointer<UInt8>, _ word: StaticString) -> Bool {
        bytes.count == word.utf8CodeUnitCount
            && bytes.elementsEqual(UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount))
    }

    static func hasPrefix(_ word: StaticString, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.count <= word.utf8CodeUnitCount
            && bytes.elementsEqual(UnsafeBufferPointer(start: word.utf8Start, count: bytes.count))
    }
}
