import Gauges

extension UnixTime {
    /// RFC 3339 in Vietnam time (`2020-10-28T21:00:00+07:00`), whole seconds: what officers and their systems read.
    public static func vietnam(_ milliseconds: Int64) -> String {
        rfc3339(milliseconds.floorDivided(by: 1000) * 1000, offsetSeconds: vietnamOffsetSeconds)
    }
}

extension Int64 {
    fileprivate func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
