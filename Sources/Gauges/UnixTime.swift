/// Conversions between Unix epoch milliseconds (how FloodWatch stores time) and calendar fields,
/// without Foundation's calendars: the hot path decodes thousands of timestamps a second.
public enum UnixTime {
    /// Vietnam's offset from UTC (Asia/Ho_Chi_Minh has had no daylight saving since 1975).
    public static let vietnamOffsetSeconds = 7 * 3600

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
    public static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let monthIndex = month > 2 ? month - 3 : month + 9
        let dayOfYear = (153 * monthIndex + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date of a day count since 1970-01-01 (Howard Hinnant's `civil_from_days`).
    public static func civil(days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    public static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// RFC 3339 text of a time at a given UTC offset, e.g. `2022-10-11T12:00:00+07:00`;
    /// milliseconds are shown only when not zero.
    public static func rfc3339(_ milliseconds: Int64, offsetSeconds: Int = 0) -> String {
        let local = milliseconds + Int64(offsetSeconds) * 1000
        let (secondsTotal, millis) = floorDivide(local, 1000)
        let (dayCount, secondOfDay) = floorDivide(secondsTotal, 86_400)
        let date = civil(days: Int(dayCount))
        let hour = Int(secondOfDay / 3600)
        let minute = Int(secondOfDay % 3600 / 60)
        let second = Int(secondOfDay % 60)
        var text = "\(pad(date.year, 4))-\(pad(date.month))-\(pad(date.day))T\(pad(hour)):\(pad(minute)):\(pad(second))"
        if millis != 0 { text += ".\(pad(Int(millis), 3))" }
        if offsetSeconds == 0 {
            text += "Z"
        } else {
            let sign = offsetSeconds < 0 ? "-" : "+"
            let magnitude = abs(offsetSeconds)
            text += "\(sign)\(pad(magnitude / 3600)):\(pad(magnitude % 3600 / 60))"
        }
        return text
    }

    /// Quotient rounded down and a remainder in `0..<divisor` (positive `divisor`). Without `value - divisor + 1`,
    /// which overflowed for times near `Int64.min` (a `"ts"` of -9223372036854775.808 s in a rejection's message).
    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
        let (quotient, remainder) = value.quotientAndRemainder(dividingBy: divisor)
        return remainder < 0 ? (quotient - 1, remainder + divisor) : (quotient, remainder)
    }

    private static func pad(_ value: Int, _ width: Int = 2) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
