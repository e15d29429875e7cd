import Gauges
import Testing

@Suite("UnixTime")
struct UnixTimeTests {
    /// Found while writing the fuzzer's invariants: a "ts" of -9223372036854775.808 s reached here as Int64.min and
    /// the floor division overflowed, crashing the service on the message of its own rejection.
    @Test func timesAtTheEdgesOfInt64AreWritten() {
        #expect(UnixTime.rfc3339(Int64.min) == "-292275055-05-16T16:47:04.192Z")
        #expect(UnixTime.rfc3339(Int64.max).hasPrefix("292278994-08-17T07:12:55.807"))
    }

    @Test func daysOfKnownDates() {
        #expect(UnixTime.days(year: 1970, month: 1, day: 1) == 0)
        #expect(UnixTime.days(year: 1969, month: 12, day: 31) == -1)
        #expect(UnixTime.days(year: 2000, month: 1, day: 1) == 10_957)
        #expect(UnixTime.days(year: 2000, month: 3, day: 1) == 11_017)
        #expect(UnixTime.days(year: 2022, month: 10, day: 11) == 19_276)
        #expect(UnixTime.days(year: 1900, month: 3, day: 1) == -25_508)
    }

    @Test func civilOfKnownDays() {
        #expect(UnixTime.civil(days: 0) == (1970, 1, 1))
        #expect(UnixTime.civil(days: -1) == (1969, 12, 31))
        #expect(UnixTime.civil(days: 19_276) == (2022, 10, 11))
        #expect(UnixTime.civil(days: 11_016) == (2000, 2, 29))
    }

    @Test func daysAndCivilRoundTrip() {
        for days in stride(from: -800_000, through: 800_000, by: 997) {
            let date = UnixTime.civil(days: days)
            #expect(UnixTime.days(year: date.year, month: date.month, day: date.day) == days)
        }
        for year in [1899, 1900, 1999, 2000, 2023, 2024, 2100] {
            for month in 1...12 {
                for day in 1...UnixTime.daysInMonth(year: year, month: month) {
                    let days = UnixTime.days(year: year, month: month, day: day)
                    #expect(UnixTime.civil(days: days) == (year, month, day))
                }
            }
        }
    }

    @Test func leapYearsAndMonthLengths() {
        #expect(UnixTime.isLeapYear(2024))
        #expect(UnixTime.isLeapYear(2000))
        #expect(!UnixTime.isLeapYear(1900))
        #expect(!UnixTime.isLeapYear(2023))
        #expect(UnixTime.daysInMonth(year: 2024, month: 2) == 29)
        #expect(UnixTime.daysInMonth(year: 2023, month: 2) == 28)
        #expect(UnixTime.daysInMonth(year: 2023, month: 4) == 30)
        #expect(UnixTime.daysInMonth(year: 2023, month: 12) == 31)
    }

    @Test func formatting() {
        #expect(UnixTime.rfc3339(1_665_439_200_000, offsetSeconds: 7 * 3600) == "2022-10-11T05:00:00+07:00")
        #expect(
            UnixTime.rfc3339(1_665_439_200_000, offsetSeconds: UnixTime.vietnamOffsetSeconds)
                == "2022-10-11T05:00:00+07:00")
        #expect(UnixTime.rfc3339(1_665_439_200_000) == "2022-10-10T22:00:00Z")
        #expect(UnixTime.rfc3339(1_665_439_200_250) == "2022-10-10T22:00:00.250Z")
        #expect(UnixTime.rfc3339(1_665_439_200_007, offsetSeconds: 7 * 3600) == "2022-10-11T05:00:00.007+07:00")
        #expect(UnixTime.rfc3339(1_665_477_000_000, offsetSeconds: -(3 * 3600 + 1800)) == "2022-10-11T05:00:00-03:30")
        #expect(UnixTime.rfc3339(-1) == "1969-12-31T23:59:59.999Z")
        #expect(UnixTime.rfc3339(946_684_800_000) == "2000-01-01T00:00:00Z")
    }

    @Test func formattingRoundTripsThroughTheParser() throws {
        for milliseconds in stride(from: Int64(946_684_800_000), to: 1_900_000_000_000, by: 86_399_123) {
            let text = UnixTime.rfc3339(milliseconds, offsetSeconds: UnixTime.vietnamOffsetSeconds)
            #expect(try RFC3339.milliseconds(text).get() == milliseconds, "\(text)")
        }
    }
}
