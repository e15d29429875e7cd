import Gauges
import Testing

@Suite("RFC 3339 timestamps")
struct RFC3339Tests {
    private func milliseconds(_ text: String) -> Int64? {
        try? RFC3339.milliseconds(text).get()
    }

    private func problem(_ text: String) -> String? {
        switch RFC3339.milliseconds(text) {
        case .success(let value):
            Issue.record("\(text) parsed as \(value)")
            return nil
        case .failure(let error):
            return error.description
        }
    }

    @Test func theContractExample() {
        #expect(milliseconds("2022-10-11T05:00:00+07:00") == 1_665_439_200_000)
    }

    @Test func utcAndOtherOffsets() {
        #expect(milliseconds("2022-10-10T22:00:00Z") == 1_665_439_200_000)
        #expect(milliseconds("2022-10-10T22:00:00z") == 1_665_439_200_000)
        #expect(milliseconds("2022-10-10T22:00:00+00:00") == 1_665_439_200_000)
        #expect(milliseconds("2022-10-10T22:00:00-00:00") == 1_665_439_200_000)
        // 05:00 at -03:30 is 08:30 UTC.
        #expect(milliseconds("2022-10-11T05:00:00-03:30") == 1_665_477_000_000)
        #expect(milliseconds("2022-10-11T11:45:00+13:45") == 1_665_439_200_000)
    }

    @Test func separators() {
        #expect(milliseconds("2022-10-11t05:00:00+07:00") == 1_665_439_200_000)
        #expect(milliseconds("2022-10-11 05:00:00+07:00") == 1_665_439_200_000)
    }

    @Test func fractionsAreTruncatedToMilliseconds() {
        #expect(milliseconds("2022-10-10T22:00:00.5Z") == 1_665_439_200_500)
        #expect(milliseconds("2022-10-10T22:00:00.25Z") == 1_665_439_200_250)
        #expect(milliseconds("2022-10-10T22:00:00.123Z") == 1_665_439_200_123)
        #expect(milliseconds("2022-10-10T22:00:00.123456Z") == 1_665_439_200_123)
        #expect(milliseconds("2022-10-10T22:00:00.999999999Z") == 1_665_439_200_999)
        #expect(milliseconds("2022-10-10T22:00:00.000999Z") == 1_665_439_200_000)
        #expect(milliseconds("2022-10-11T05:00:00.5+07:00") == 1_665_439_200_500)
    }

    @Test func calendarEdges() {
        #expect(milliseconds("1970-01-01T00:00:00Z") == 0)
        #expect(milliseconds("1969-12-31T23:59:59.999Z") == -1)
        #expect(milliseconds("2000-01-01T07:00:00+07:00") == 946_684_800_000)
        #expect(milliseconds("2024-02-29T00:00:00Z") == 1_709_164_800_000)
        #expect(milliseconds("2000-02-29T00:00:00Z") == 951_782_400_000)
        #expect(milliseconds("2022-12-31T23:59:59Z") == 1_672_531_199_000)
        #expect(milliseconds("2023-01-01T00:00:00+07:00") == 1_672_506_000_000)
    }

    @Test func noOffsetIsAmbiguous() {
        let text = problem("2022-10-11T05:00:00")
        #expect(
            text
                == "'2022-10-11T05:00:00' has no UTC offset, so its local time is ambiguous; add one, e.g. 2022-10-11T05:00:00+07:00 (Vietnam) or Z (UTC)"
        )
        #expect(problem("2022-10-11T05:00:00.250")?.contains("no UTC offset") == true)
    }

    @Test(
        "malformed texts say what the format is",
        arguments: [
            "2022-10-11 05:00", "2022-10-11", "", "2022-10-11T05:00:00+0700", "2022-10-11T05:00:00+07",
            "2022-10-11T05:00:00.Z",
            "2022-10-11T05:00:00+07:00 ", " 2022-10-11T05:00:00+07:00", "2022-1-11T05:00:00Z", "22-10-11T05:00:00Z",
            "2022-10-11T5:00:00Z", "2022/10/11T05:00:00Z", "2022-10-11X05:00:00Z", "2022-10-11T05:00:00UTC",
            "2022-10-11T05:00:00+07:00Z", "yesterday",
        ])
    func malformed(_ text: String) {
        #expect(problem(text) == "'\(text)' is not RFC 3339 with a UTC offset, e.g. 2022-10-11T05:00:00+07:00")
    }

    @Test func datesThatDoNotExist() {
        #expect(problem("2023-02-29T00:00:00Z") == "'2023-02-29T00:00:00Z' has day 29, but February 2023 has 28 days")
        #expect(problem("1900-02-29T00:00:00Z")?.contains("February 1900 has 28 days") == true)
        #expect(problem("2022-04-31T00:00:00Z")?.contains("April 2022 has 30 days") == true)
        #expect(problem("2022-10-00T00:00:00Z")?.contains("has day 0") == true)
        #expect(problem("2022-13-01T00:00:00Z") == "'2022-13-01T00:00:00Z' has month 13 (01–12)")
        #expect(problem("2022-00-01T00:00:00Z")?.contains("has month 0") == true)
    }

    @Test func timesThatDoNotExist() {
        #expect(problem("2022-10-11T24:00:00Z")?.contains("has hour 24 (00–23)") == true)
        #expect(problem("2022-10-11T05:60:00Z")?.contains("has minute 60 (00–59)") == true)
        #expect(problem("2022-10-11T05:00:61Z")?.contains("has second 61 (00–59)") == true)
        #expect(problem("2022-10-11T05:00:00+24:00")?.contains("UTC offset of 24 hours") == true)
        #expect(problem("2022-10-11T05:00:00+07:60")?.contains("minute 60") == true)
    }

    @Test func leapSecondsAreRefused() {
        let text = problem("2016-12-31T23:59:60Z")
        #expect(text?.contains("second 60, a leap second") == true)
        #expect(text?.contains("Unix time has no leap seconds") == true)
    }

    @Test(
        "round trip with UnixTime.rfc3339",
        arguments: [
            Int64(0), 1_665_439_200_000, 1_665_439_200_250, 946_684_800_000, -1, 253_402_214_399_999, 1_709_164_800_001,
        ])
    func roundTrip(_ value: Int64) {
        for offset in [0, UnixTime.vietnamOffsetSeconds, -(3 * 3600 + 1800), 13 * 3600 + 2700] {
            let text = UnixTime.rfc3339(value, offsetSeconds: offset)
            #expect(milliseconds(text) == value, "\(text)")
        }
    }
}
