import Gauges
import Testing

@Suite("Readings CSV")
struct ReadingsCSVTests {
    @Test("header, comments, blank lines, RFC 3339 and Unix seconds, CR LF line ends")
    func parses() throws {
        let text = """
            # Typhoon Molave\r
            station,sensor,ts,value\r

            ai-nghia,level,2020-10-28T16:00:00+07:00,7.75\r
            hoi-an, level ,1603893600,1.53
            """
        let rows = try ReadingsCSV.parse(text, path: "molave.csv")
        #expect(rows.map(\.line) == [4, 5])
        #expect(rows.map(\.station) == ["ai-nghia", "hoi-an"])
        #expect(rows.map(\.sensor) == ["level", "level"])
        #expect(rows.map(\.timestamp) == [1_603_875_600_000, 1_603_893_600_000])
        #expect(rows.map(\.value) == [7.75, 1.53])
        #expect(rows.map(\.unixSeconds) == [false, true])
    }

    @Test(
        "a bad line is reported with file and line",
        arguments: [
            ("a,level,1603893600", "expected 4 fields"),
            ("a,level,2020-10-28 16:00,1", "bad ts"),
            ("a,level,yesterday,1", "bad ts"),
            ("a,level,1603893600,high", "'high' is not a number"),
            (",level,1603893600,1", "station is empty"),
        ])
    func badLine(line: String, says: String) {
        #expect {
            try ReadingsCSV.parse("station,sensor,ts,value\n" + line, path: "f.csv")
        } throws: { error in
            let description = "\(error)"
            return description.hasPrefix("f.csv:2: ") && description.contains(says)
        }
    }
}
