/// RFC 3339 timestamps with a UTC offset, as gauges send them in `"ts"`: `2022-10-11T05:00:00+07:00`.
///
/// Accepted: `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`, with `t` or a space instead of `T` and `z` instead of `Z`
/// (RFC 3339 §5.6). The fraction may have any number of digits and is truncated to milliseconds.
/// Refused, each with a message that says why:
/// - a time without an offset: its local time would be ambiguous;
/// - a date or time that does not exist (month 13, 30 February, hour 24, minute 60, offset hour 24);
/// - second 60, a leap second: Unix time, in which FloodWatch stores readings, has no leap seconds, and mapping
///   it onto 59.999 s could collide with a real reading. Gauges on UTC-smeared or NTP clocks never send it.
public enum RFC3339 {
    /// Why a text is not an RFC 3339 time FloodWatch accepts; `description` quotes the text.
    public struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        public var description: String

        public init(_ description: String) {
            self.description = description
        }
    }

    /// The example every message points to.
    public static let example = "2022-10-11T05:00:00+07:00"

    /// The time as Unix epoch milliseconds (UTC).
    public static func milliseconds(_ text: String) -> Result<Int64, ParseError> {
        var contiguous = text
        return contiguous.withUTF8 { milliseconds(utf8: $0, text: text) }
    }

    static func milliseconds(utf8 bytes: UnsafeBufferPointer<UInt8>, text: @autoclosure () -> String)
        -> Result<Int64, ParseError>
    {
        func fail(_ what: String) -> Result<Int64, ParseError> {
            .failure(ParseError("\(RejectionReason.quoted(text())) \(what)"))
        }
        let malformed = "is not RFC 3339 with a UTC offset, e.g. \(example)"
        let count = bytes.count
        func digits(_ start: Int, _ length: Int) -> Int? {
            guard start + length <= count else { return nil }
            var value = 0
            for index in start..<start + length {
                let digit = bytes[index] &- UInt8(ascii: "0")
                guard digit < 10 else { return nil }
                value = value * 10 + Int(digit)
            }
            return value
        }
        func byte(_ index: Int) -> UInt8 { index < count ? bytes[index] : 0 }

        guard let year = digits(0, 4), byte(4) == UInt8(ascii: "-"),
            let month = digits(5, 2), byte(7) == UInt8(ascii: "-"),
            let day = digits(8, 2),
            byte(10) == UInt8(ascii: "T") || byte(10) == UInt8(ascii: "t") || byte(10) == UInt8(ascii: " "),
            let hour = digits(11, 2), byte(13) == UInt8(ascii: ":"),
            let minute = digits(14, 2), byte(16) == UInt8(ascii: ":"),
            let second = digits(17, 2)
        else { return fail(malformed) }

        var index = 19
        var millisecond = 0
        if byte(index) == UInt8(ascii: ".") {
            index += 1
            let start = index
            var scale = 100
            while index < count, bytes[index] &- UInt8(ascii: "0") < 10 {
                millisecond += Int(bytes[index] - UInt8(ascii: "0")) * scale
                scale /= 10  // digits after the third add 0: truncation
                index += 1
            }
            if index == start { return fail(malformed) }
        }

        var offsetMinutes = 0
        switch byte(index) {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            index += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard let offsetHour = digits(index + 1, 2), byte(index + 3) == UInt8(ascii: ":"),
                let offsetMinute = digits(index + 4, 2)
            else { return fail(malformed) }
            if offsetHour > 23 { return fail("has a UTC offset of \(offsetHour) hours (at most 23:59)") }
            if offsetMinute > 59 { return fail("has a UTC offset with minute \(offsetMinute) (00–59)") }
            offsetMinutes = (offsetHour * 60 + offsetMinute) * (byte(index) == UInt8(ascii: "-") ? -1 : 1)
            index += 6
        default:
            if index == count {
                return fail(
                    "has no UTC offset, so its local time is ambiguous; add one, e.g. \(example) (Vietnam) or Z (UTC)")
            }
            return fail(malformed)
        }
        guard index == count else { return fail(malformed) }

        guard (1...12).contains(month) else { return fail("has month \(month) (01–12)") }
        let monthDays = UnixTime.daysInMonth(year: year, month: month)
        guard (1...monthDays).contains(day) else {
            return fail("has day \(day), but \(monthNames[month - 1]) \(year) has \(monthDays) days")
        }
        guard hour <= 23 else { return fail("has hour \(hour) (00–23)") }
        guard minute <= 59 else { return fail("has minute \(minute) (00–59)") }
        if second == 60 {
            return fail("has second 60, a leap second, which FloodWatch does not accept: Unix time has no leap seconds")
        }
        guard second <= 59 else { return fail("has second \(second) (00–59)") }

        let days = Int64(UnixTime.days(year: year, month: month, day: day))
        let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offsetMinutes * 60)
        return .success(seconds * 1000 + Int64(millisecond))
    }

    private static let monthNames = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
        "December",
    ]
}

extension UnixTime {
    /// Unix seconds, possibly fractional, as epoch milliseconds: `(seconds * 1000).rounded()`;
    /// nil when not finite or beyond what an `Int64` of milliseconds holds.
    static func milliseconds(unixSeconds seconds: Double) -> Int64? {
        guard seconds.isFinite else { return nil }
        return Int64(exactly: (seconds * 1000).rounded())
    }
}
