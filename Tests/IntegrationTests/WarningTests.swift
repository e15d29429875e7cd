import Foundation
import GRDB
import Gauges
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The warning engine end to end: the replay command, live ingestion over MQTT, and a restart in mid-flood.
@Suite("Warnings end to end", .timeLimit(.minutes(3)), .blockingAllowed, .takingTurns)
struct WarningTests {
    static let molave = TestPaths.root + "/sensors/floods/molave-2020-10-28.csv"
    /// 2020-10-28T21:00:00+07:00
    static let ninePM: Int64 = 1_603_893_600_000

    /// A warning row without what legitimately differs between two runs (row creation time, lateness).
    struct Row: Equatable, CustomStringConvertible {
        var id: Int64
        var warningID: Int64
        var station: String
        var sensor: String
        var rule: String
        var event: String
        var level: Int
        var ts: Int64
        var value: Double?
        var threshold: Double?
        var messageVI: String
        var messageEN: String
        var description: String { "\(id) \(station)/\(sensor) \(rule) \(event) L\(level) @\(ts) \(messageEN)" }
    }

    static func warnings(_ db: Database) throws -> [Row] {
        warnings(try GRDB.Row.fetchAll(db, sql: warningsSQL))
    }

    /// Every warning row, oldest first: SQL both stores share.
    static let warningsSQL = "SELECT * FROM warnings ORDER BY id"

    static func warnings(_ rows: [GRDB.Row]) -> [Row] {
        rows.map { row in
            Row(
                id: row["id"], warningID: row["warning_id"], station: row["station"], sensor: row["sensor"],
                rule: row["rule"], event: row["event"], level: row["level"], ts: row["ts"], value: row["value"],
                threshold: row["threshold"], messageVI: row["message_vi"], messageEN: row["message_en"])
        }
    }

    /// The warnings of a database file (synchronous, usable from async tests).
    static func read(_ path: String) throws -> [Row] {
        try DatabaseQueue(path: path).read(warnings)
    }

    /// Runs `floodwatch replay` and returns its output and the database it wrote.
    static func replay(_ arguments: [String]) throws -> (output: String, database: String) {
        let folder = try TestPaths.temporaryDirectory("replay")
        let database = folder + "/replay.sqlite"
        let process = try ChildProcess(
            try TestPaths.executable("floodwatch"),
            ["replay", "--stations", TestPaths.catalogue, "--database", database] + arguments,
            outputPath: folder + "/out.log")
        let status = process.waitForExit(timeoutSeconds: 60)
        guard status == 0 else { throw TestFailure("replay failed (\(String(describing: status))): \(process.output)") }
        return (process.output, database)
    }

    @Test("the Typhoon Molave replay raises Ái Nghĩa to level 2 before 21:00 and level 3 by 21:00 on 28 Oct 2020")
    func molave() throws {
        let (output, database) = try Self.replay(["--input", Self.molave, "--interpolate", "15m"])
        let rows = try Self.read(database)
        let aiNghia = rows.filter { $0.station == "ai-nghia" && $0.rule == "level" }
        let levelTwo = try #require(aiNghia.first { $0.level >= 2 }, "level 2 reached: \(aiNghia)")
        let levelThree = try #require(aiNghia.first { $0.level >= 3 }, "level 3 reached: \(aiNghia)")
        #expect(levelTwo.ts < Self.ninePM)
        #expect(levelThree.ts <= Self.ninePM)
        #expect(levelTwo.messageVI.hasPrefix("Ái Nghĩa (Vu Gia): "))
        #expect(levelThree.messageEN.contains("alarm level III"))
        // The printed timeline shows it in local time.
        #expect(output.contains("2020-10-28 "))
        #expect(output.contains("ai-nghia"))
        #expect(output.contains(levelThree.messageEN))
    }

    @Test("the same readings sent live through MQTT produce the same warnings rows as the replay")
    func liveEqualsReplay() async throws {
        let (_, replayed) = try Self.replay(["--input", Self.molave, "--interpolate", "15m"])
        let expected = try Self.read(replayed)
        try #require(!expected.isEmpty)

        let broker = try TestBroker()
        let service = try InProcessService(broker: broker)
        try await service.start()
        let rows = try ReadingsCSV.parse(try String(contentsOfFile: Self.molave, encoding: .utf8), path: Self.molave)
        let recorded = RecordedReadings(
            rows: rows, catalogue: bundledCatalogue, now: Int64(Date().timeIntervalSince1970 * 1000),
            interpolateSeconds: 900)
        let publisher = try broker.publisher()
        for reading in recorded.readings {
            try publisher.publish(
                topic: "gauges/\(reading.station)/\(reading.sensor.rawValue)",
                text: #"{"ts":\#(reading.timestamp / 1000),"value":\#(reading.value)}"#)
        }
        #expect(publisher.waitForAcknowledgements(timeoutSeconds: 20))
        let stored = try await eventually { try service.readingCount() == recorded.readings.count }
        try await service.stop()
        #expect(stored)
        let live = try service.query(Self.warnings)
        #expect(live == expected)
    }

    @Test(
        "a restart in mid-flood: no duplicate raised, the clear still comes, late backlog events are marked",
        arguments: TestStore.allCases)
    func restartMidFlood(_ store: TestStore) async throws {
        let broker = try TestBroker()
        let service = try store.serviceProcess(broker: broker)
        var process = try await service.start()
        let publisher = try broker.publisher()
        // Câu Lâu (BĐ I 2.00, II 3.00, III 4.00): up from 1.5 m to 4.2 m and back down to 1.1 m, a reading every 10 minutes,
        // ending two hours before now so the series is recent.
        let end = (Int64(Date().timeIntervalSince1970) / 600 - 12) * 600
        let rising: [Double] = (0..<20).map { 1.5 + Double($0) * 0.14 }
        let falling: [Double] = (0..<40).map { 4.2 - Double($0) * 0.08 }
        let values = rising + falling
        let start = end - Int64(values.count - 1) * 600
        func publish(_ range: Range<Int>) throws {
            for i in range {
                try publisher.publish(
                    topic: "gauges/cau-lau/level",
                    text: #"{"ts":\#(start + Int64(i) * 600),"value":\#(values[i]),"seq":\#(i)}"#)
            }
            #expect(publisher.waitForAcknowledgements(timeoutSeconds: 20))
        }
        try publish(0..<30)  // up to the peak, above BĐ III
        #expect(try await eventually { try service.readingCount() == 30 })
        process.killHard()
        process = try await service.start()
        try publish(30..<values.count)  // the fall, below BĐ I
        #expect(try await eventually { try service.readingCount() == values.count })
        #expect(
            try await eventually {
                try service.count("SELECT COUNT(*) FROM warnings WHERE rule = 'level' AND event = 'cleared'") == 1
            })
        process.signal(SIGTERM)
        #expect(process.waitForExit(timeoutSeconds: 20) == 0)

        let level = Self.warnings(try service.rows(Self.warningsSQL)).filter {
            $0.station == "cau-lau" && $0.rule == "level"
        }
        #expect(level.map(\.event).filter { $0 == "raised" }.count == 1, "\(level)")
        #expect(level.map(\.level).max() == 3)
        #expect(level.last?.event == "cleared")
        #expect(Set(level.map(\.warningID)).count == 1, "every event belongs to the one warning: \(level)")
        // Readings published hours after their time are late.
        #expect(try service.count("SELECT COUNT(*) FROM warnings WHERE late = 0") == 0)
    }
}
