import Foundation
import GRDB
import TestSupport
import Testing

/// Every kind of bad input gives one `rejected` row with a reason a person understands, a counted metric,
/// and does not stop the next good reading.
///
/// One case at a time: each starts a broker and a service, and 56 of them at once (28 inputs on each store) kept two
/// cores busy for a minute, failing tests of other suites by their timeouts.
@Suite("Bad input over MQTT", .serialized, .timeLimit(.minutes(3)), .blockingAllowed, .takingTurns)
struct BadInputTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var topic: String
        var payload: [UInt8]
        var code: String
        /// Text the reason must contain.
        var says: String
        var testDescription: String { name }

        init(_ name: String, _ topic: String, _ payload: String, _ code: String, says: String) {
            self.init(name, topic, Array(payload.utf8), code, says: says)
        }

        init(_ name: String, _ topic: String, _ payload: [UInt8], _ code: String, says: String) {
            self.name = name
            self.topic = topic
            self.payload = payload
            self.code = code
            self.says = says
        }
    }

    static let level = "gauges/cau-lau/level"
    static let ts = #""ts":"2022-10-11T05:00:00+07:00""#

    static let cases: [Case] = [
        Case("not JSON", level, "level is 4.02", "not_json", says: "not JSON"),
        Case("truncated JSON", level, #"{\#(ts),"value":"#, "not_json", says: "not JSON"),
        Case("missing ts", level, #"{"value":4.02}"#, "missing_field", says: #"missing "ts""#),
        Case("missing value", level, #"{\#(ts)}"#, "missing_field", says: #"missing "value""#),
        Case("non-numeric value", level, #"{\#(ts),"value":"high"}"#, "not_a_number", says: "high"),
        Case("NaN value", level, #"{\#(ts),"value":"NaN"}"#, "not_finite", says: "NaN"),
        Case("infinite value", level, #"{\#(ts),"value":1e999}"#, "not_finite", says: "1e999"),
        Case("unknown station", "gauges/da-lat/level", #"{\#(ts),"value":4.02}"#, "unknown_station", says: "da-lat"),
        Case(
            "unknown sensor", "gauges/cau-lau/temperature", #"{\#(ts),"value":29}"#, "unknown_sensor",
            says: "temperature"),
        Case("sensor the station lacks", "gauges/tra-my/level", #"{\#(ts),"value":2}"#, "unknown_sensor", says: "rain"),
        Case("value outside the physical range", level, #"{\#(ts),"value":42.5}"#, "out_of_range", says: "42.5"),
        Case("negative rain", "gauges/cau-lau/rain", #"{\#(ts),"value":-3.5}"#, "negative_rain", says: "-3.5"),
        Case(
            "time more than 5 minutes ahead", level, #"{"ts":\#(Int(Date().timeIntervalSince1970) + 3600),"value":4}"#,
            "time_in_future", says: "future"),
        Case(
            "time before 2000", level, #"{"ts":"1999-12-31T23:00:00+07:00","value":4}"#, "time_too_old",
            says: "1999-12-31"),
        Case(
            "payload over 256 KiB", level, #"{\#(ts),"value":4,"note":"\#(String(repeating: "x", count: 300_000))"}"#,
            "payload_too_large", says: "262144"),
        Case(
            "backlog over 10,000 readings", level,
            "["
                + Array(repeating: #"{"ts":1e9,"value":1}"#, count: 10_001)
                .joined(separator: ",") + "]", "backlog_too_large", says: "10001"),
        Case(
            "invalid UTF-8", level, Array(#"{\#(ts),"value":4,"note":""#.utf8) + [0xFF, 0xFE] + Array(#""}"#.utf8),
            "invalid_utf8", says: "UTF-8"),
        Case(
            "topic with extra levels", "gauges/cau-lau/level/extra", #"{\#(ts),"value":4.02}"#, "bad_topic",
            says: "extra level"),
        // Hostile input: built to exhaust memory or the stack, to overflow arithmetic, or to reach SQL and paths.
        Case(
            "JSON nested 100,000 deep", level,
            String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000),
            "not_json", says: "nested deeper than 16"),
        Case("a value of 1e308", level, #"{\#(ts),"value":1e308}"#, "out_of_range", says: "1e+308"),
        Case("a time of 1e20 seconds", level, #"{"ts":1e20,"value":4}"#, "bad_timestamp", says: "1e20"),
        Case(
            "a time at Int64.max", level, #"{"ts":9223372036854775807,"value":4}"#, "bad_timestamp",
            says: "9223372036854775807"),
        Case("a negative time", level, #"{"ts":-9223372036854775,"value":4}"#, "time_too_old", says: "before 2000"),
        Case("year 0000", level, #"{"ts":"0000-01-01T00:00:00Z","value":4}"#, "time_too_old", says: "0000-01-01"),
        Case(
            "station id with SQL", "gauges/x'); DROP TABLE readings;--/level", #"{\#(ts),"value":4.02}"#,
            "unknown_station", says: "DROP TABLE"),
        Case(
            "station id with a path", "gauges/..%2F..%2Fetc/level", #"{\#(ts),"value":4.02}"#, "unknown_station",
            says: "etc"),
        Case("a topic climbing folders", "gauges/../../level", #"{\#(ts),"value":4.02}"#, "bad_topic", says: "level"),
        Case(
            "a NUL in the payload", level, Array(#"{\#(ts),"value":4"#.utf8) + [0] + Array("}".utf8), "not_json",
            says: "not JSON"),
    ]

    @Test(
        "is rejected with its reason, counted, and the next good reading is stored",
        arguments: TestStore.allCases, cases)
    func rejectsAndContinues(_ store: TestStore, _ bad: Case) async throws {
        let broker = try TestBroker()
        let service = try await InProcessService(on: store, broker: broker)
        try await service.start()

        try broker.mosquittoPub(topic: bad.topic, bytes: bad.payload)
        try broker.mosquittoPub(
            topic: "gauges/hoi-an/level", payload: #"{"ts":"2020-10-28T21:00:00+07:00","value":1.53}"#)
        let goodStored = try await eventually { try service.readingCount() == 1 }
        try await service.stop()

        #expect(goodStored, "the good reading after the bad one is stored")
        let rows = try service.rejectedRows()
        try #require(rows.count == 1, "one rejected row, got \(rows.map { $0["reason"] as String })")
        let row = rows[0]
        #expect(row["reason_code"] as String == bad.code)
        let reason: String = row["reason"]
        #expect(reason.contains(bad.says), "reason '\(reason)' should mention \(bad.says)")
        #expect(row["topic"] as String == bad.topic)
        #expect(row["payload_bytes"] as Int == bad.payload.count)
        // The bytes kept: SQLite's column holds TEXT or a BLOB, PostgreSQL's is bytea.
        let keptBytes = try service.count(
            store.sql(
                sqlite: "SELECT length(CAST(payload AS BLOB)) FROM rejected",
                postgres: "SELECT length(payload) FROM rejected"))
        #expect(keptBytes == min(bad.payload.count, 256 * 1024), "the payload is kept for the operator")
        #expect(service.rejectedMetric(bad.code) == 1)
        let good = try service.rows("SELECT station, ts, value FROM readings").first
        #expect(good?["station"] as String? == "hoi-an")
        #expect(good?["ts"] as Int64? == 1_603_893_600_000)
        #expect(good?["value"] as Double? == 1.53)
    }
}
