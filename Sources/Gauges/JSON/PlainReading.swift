#if canImport(Glibc)
    import Glibc
#endif

/// The members of a form-a reading written the common way, `{"ts":1733212800,"value":4.02,"seq":17}`, read straight
/// from the payload's bytes without building JSON values: draining a backlog, parsing into `JSONValue`s and matching
/// their keys was about 8 % of the ingest thread's samples.
///
/// It takes only what it can read exactly as `JSONParser` would: one object of the keys `ts`, `value`, `seq` and
/// `quality`, each at most once, spelled without escapes, each holding a JSON number, with JSON whitespace anywhere
/// between tokens and nothing after the object. Anything else (another key, a string or `null`, a duplicate, an
/// escape, a malformed number, a cut-off payload) gives nil, and the payload goes through `JSONParser` as before, so
/// every error and every other form is read and worded there, once. `PlainReadingTests` holds the two paths to the
/// same result on the fuzz corpus and on variants of the common form.
struct PlainReading: Equatable {
    var ts: JSONNumber
    var value: JSONNumber
    var seq: JSONNumber?
    var quality: JSONNumber?

    /// - Returns: nil unless `bytes` is such an object; then its members (ASCII only, so also valid UTF-8).
    static func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> PlainReading? {
        var position = 0
        let count = bytes.count

        func skipWhitespace() {
            while position < count {
                switch bytes[position] {
                case 0x20, 0x0A, 0x0D, 0x09: position += 1
                default: return
                }
            }
        }

        /// The key whose opening quote is at `position`, if it is one of the four and has no escape.
        func key() -> Key? {
            position += 1  // "
            let start = position
            while position < count, bytes[position] != UInt8(ascii: "\"") {
                // An escape, or a control character the parser rejects: its business.
                if bytes[position] == UInt8(ascii: "\\") || bytes[position] < 0x20 { return nil }
                position += 1
            }
            guard position < count else { return nil }
            let name = UnsafeBufferPointer(rebasing: bytes[start..<position])
            position += 1  // "
            return Key(name)
        }

        /// The number starting at `position`, ended by whitespace, ',' or '}', if it follows the JSON grammar.
        func number() -> JSONNumber? {
            let start = position
            while position < count {
                switch bytes[position] {
                case 0x20, 0x0A, 0x0D, 0x09, UInt8(ascii: ","), UInt8(ascii: "}"): break
                default:
                    position += 1
                    continue
                }
                break
            }
            let text = UnsafeBufferPointer(rebasing: bytes[start..<position])
            guard let isInteger = JSONNumber.grammar(of: text) else { return nil }
            return JSONNumber(validText: String(decoding: text, as: UTF8.self), isIntegerLiteral: isInteger)
        }

        var ts: JSONNumber?
        var value: JSONNumber?
        var seq: JSONNumber?
        var quality: JSONNumber?
        skipWhitespace()
        guard position < count, bytes[position] == UInt8(ascii: "{") else { return nil }
        position += 1
        while true {
            skipWhitespace()
            guard position < count, bytes[position] == UInt8(ascii: "\""), let key = key() else { return nil }
            skipWhitespace()
            guard position < count, bytes[position] == UInt8(ascii: ":") else { return nil }
            position += 1
            skipWhitespace()
            guard let number = number() else { return nil }
            switch key {
            case .ts where ts == nil: ts = number
            case .value where value == nil: value = number
            case .seq where seq == nil: seq = number
            case .quality where quality == nil: quality = number
            default: return nil  // twice: the parser's "appears twice"
            }
            skipWhitespace()
            guard position < count else { return nil }
            if bytes[position] == UInt8(ascii: ",") {
                position += 1
                continue
            }
            guard bytes[position] == UInt8(ascii: "}") else { return nil }
            position += 1
            break
        }
        skipWhitespace()
        guard position == count, let ts, let value else { return nil }
        return PlainReading(ts: ts, value: value, seq: seq, quality: quality)
    }

    private enum Key {
        case ts, value, seq, quality

        init?(_ name: UnsafeBufferPointer<UInt8>) {
            if Self.is(name, "ts") {
                self = .ts
            } else if Self.is(name, "value") {
                self = .value
            } else if Self.is(name, "seq") {
                self = .seq
            } else if Self.is(name, "quality") {
                self = .quality
            } else {
                return nil
            }
        }

        /// Byte by byte: `elementsEqual` against a `String`'s UTF-8 view was 0.7 % of a drain's samples alone.
        private static func `is`(_ name: UnsafeBufferPointer<UInt8>, _ literal: StaticString) -> Bool {
            literal.withUTF8Buffer {
                $0.count == name.count && memcmp($0.baseAddress!, name.baseAddress!, $0.count) == 0
            }
        }
    }
}
