/// Strict UTF-8 validation (Unicode §3.9, table 3-7) over raw bytes, without building a String.
///
/// Overlong forms (`C0 80`, `E0 80 80`, …), UTF-16 surrogates (U+D800–U+DFFF, `ED A0 80`…), code points above
/// U+10FFFF (`F4 90 80 80`, `F5`…`FF`), stray continuation bytes and sequences cut short are all invalid.
enum UTF8Validation {
    /// The offset of the first byte that does not begin a well-formed sequence, or nil when all bytes are valid.
    /// For a sequence that is cut short or has a bad continuation byte, that is the offset of its lead byte.
    static func firstInvalidOffset(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        let count = bytes.count
        guard let base = bytes.baseAddress else { return nil }
        var index = 0
        while index < count {
            // ASCII fast path, 8 bytes at a time: payloads are almost entirely ASCII.
            if index + 8 <= count {
                let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
                if word & 0x8080_8080_8080_8080 == 0 {
                    index += 8
                    continue
                }
            }
            if bytes[index] < 0x80 {
                index += 1
                continue
            }
            guard let length = sequenceLength(bytes, at: index) else { return index }
            index += length
        }
        return nil
    }

    /// The length (2…4) of the well-formed multi-byte sequence starting at `index`, or nil.
    /// - Precondition: `bytes[index] >= 0x80`.
    @inline(__always)
    static func sequenceLength(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int? {
        let lead = bytes[index]
        let length: Int
        // The range the second byte must fall in; later continuation bytes are always 80…BF.
        let second: ClosedRange<UInt8>
        switch lead {
        case 0xC2...0xDF: length = 2; second = 0x80...0xBF
        case 0xE0: length = 3; second = 0xA0...0xBF  // below A0 would be overlong
        case 0xE1...0xEC, 0xEE...0xEF: length = 3; second = 0x80...0xBF
        case 0xED: length = 3; second = 0x80...0x9F  // A0 and up would be a surrogate
        case 0xF0: length = 4; second = 0x90...0xBF  // below 90 would be overlong
        case 0xF1...0xF3: length = 4; second = 0x80...0xBF
        case 0xF4: length = 4; second = 0x80...0x8F  // 90 and up would be above U+10FFFF
        default: return nil  // 80…C1 (continuation or overlong lead), F5…FF
        }
        guard index + length <= bytes.count, second.contains(bytes[index + 1]) else { return nil }
        var next = index + 2
        while next < index + length {
            guard bytes[next] & 0xC0 == 0x80 else { return nil }
            next += 1
        }
        return length
    }
}
