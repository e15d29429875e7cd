import Foundation
import GRDB
import Gauges
import Testing
import Warnings

@testable import Storage

/// Upgrades keep what a running service had: an existing database file is migrated as it opens.
@Suite("Migrations")
struct MigrationTests {
    @Test(
        "v9 carries an open gap warning into the engine's state, so it is cleared after the upgrade, not raised again")
    func gapStateCarriedOver() throws {
        let folder = NSTemporaryDirectory() + "floodwatch-migration-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/floodwatch.sqlite"
        // A v8 database: Câu Lâu's level has an open gap warning and a snapshot; Hội An's gap warning was cleared;
        // Giao Thủy's is open but the sensor has no snapshot yet.
        do {
            let queue = try DatabaseQueue(path: path)
            try FloodDatabase.migrator.migrate(queue, upTo: "v8: hourly rollups written per batch")
            try queue.write { db in
                let old =
                    #"{"forecast":{"level":0},"level":{"level":1,"raisedAt":5},"rain":{"level":0},"#
                    + #""rise":{"level":0},"silent":{"level":0},"spike":{},"watermark":9}"#
                for station in ["cau-lau", "hoi-an"] {
                    try db.execute(
                        sql: "INSERT INTO engine_state (station, sensor, state, updated_at) VALUES (?, 'level', ?, 1)",
                        arguments: [station, old])
                }
                for (id, warning, station, event, level, ts) in [
                    (1, 1, "cau-lau", "raised", 1, 1000), (2, 2, "hoi-an", "raised", 1, 2000),
                    (3, 2, "hoi-an", "cleared", 0, 3000), (4, 4, "giao-thuy", "raised", 1, 4000),
                    (5, 1, "cau-lau", "acknowledged", 1, 5000),
                ] {
                    try db.execute(
                        sql: """
                            INSERT INTO warnings (id, warning_id, station, sensor, rule, event, level, ts, message_vi,
                                                  message_en, created_at)
                            VALUES (?, ?, ?, 'level', 'gap', ?, ?, ?, '', '', ?)
                            """, arguments: [id, warning, station, event, level, ts, ts])
                }
            }
        }
        let database = try FloodDatabase(path: path)
        let states = try database.reader.read { db in
            try Dictionary(
                uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT station, state FROM engine_state").map {
                    ($0["station"] as String, $0["state"] as String)
                })
        }
        func snapshot(_ station: String) throws -> SensorSnapshot {
            try JSONDecoder().decode(SensorSnapshot.self, from: Data(try #require(states[station]).utf8))
        }
        #expect(try snapshot("cau-lau").gap.level == 1)
        #expect(try snapshot("cau-lau").gap.raisedAt == 1000)
        #expect(try snapshot("cau-lau").level.level == 1, "the rest of the snapshot is kept")
        #expect(try snapshot("hoi-an").gap.level == 0)
        #expect(try snapshot("giao-thuy").gap.level == 1)
    }

    /// `Tests/Fixtures/floodwatch-v12.sqlite`: written by the release before v13 (`floodwatch serve` fed by
    /// `gauge-simulator` for 40 s, then VACUUMed): 179 readings of 25 series, 147 with gauge counters, rollups,
    /// warnings, engine state.
    static let releaseV12 = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/floodwatch-v12.sqlite")

    @Test("v13 on a database of the previous release: readings keyed by series read the same through the view")
    func seriesNumbersOnARelease() throws {
        let folder = NSTemporaryDirectory() + "floodwatch-migration-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/floodwatch.sqlite"
        try FileManager.default.copyItem(atPath: Self.releaseV12.path, toPath: path)
        func contents(_ db: Database) throws -> (readings: [Row], hourly: [Row], daily: [Row]) {
            (
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT station, sensor, ts, value, quality, seq, received_at FROM readings
                        ORDER BY station, sensor, ts
                        """),
                try Row.fetchAll(db, sql: "SELECT * FROM readings_hourly ORDER BY station, sensor, bucket"),
                try Row.fetchAll(db, sql: "SELECT * FROM readings_daily ORDER BY station, sensor, bucket")
            )
        }
        // What the previous release wrote, read by plain SQLite before any migration.
        let before = try DatabaseQueue(path: path).read { db in
            #expect(try String.fetchOne(db, sql: "SELECT type FROM sqlite_master WHERE name = 'readings'") == "table")
            return try contents(db)
        }
        #expect(before.readings.count == 179)
        #expect(before.readings.contains { $0["seq"] != nil } && before.readings.contains { $0["seq"] == nil })

        let database = try FloodDatabase(path: path)
        let after = try database.reader.read { db in try contents(db) }
        #expect(after.readings == before.readings)
        #expect(after.hourly == before.hourly)
        #expect(after.daily == before.daily)
        #expect(try database.integrityCheck() == "ok")

        // It goes on working: a new reading of a stored series, one of a series never seen, a duplicate.
        let first = try #require(before.readings.first)
        let station: String = first["station"]
        let sensor = try #require(SensorKind(rawValue: first["sensor"]))
        let ts: Int64 = first["ts"]
        let newer = Reading(station: station, sensor: sensor, timestamp: ts + 1, value: 1.25, seq: 7)
        let unseen = Reading(station: "nowhere", sensor: .rain, timestamp: ts, value: 0.5)
        #expect(try database.importReadings([newer, unseen, newer], receivedAt: ts + 2) == 2)
        let stored = try database.reader.read { db in
            try Row.fetchAll(
                db, sql: "SELECT station, sensor, ts, value, seq, received_at FROM readings WHERE ts IN (?, ?)",
                arguments: [ts + 1, ts])
        }
        #expect(stored.contains { $0["station"] == station && $0["value"] == 1.25 && $0["seq"] == 7 })
        #expect(stored.contains { $0["station"] == "nowhere" && $0["sensor"] == "rain" && $0["value"] == 0.5 })

        // A reading marked suspect leaves its hour's rollup, through the trigger on the new table.
        let hour = ts / 3_600_000 * 3_600_000
        func samples() throws -> Int {
            try database.reader.read { db in
                try Int.fetchOne(
                    db, sql: "SELECT samples FROM readings_hourly WHERE station = ? AND sensor = ? AND bucket = ?",
                    arguments: [station, sensor.rawValue, hour]) ?? 0
            }
        }
        let counted = try samples()
        try database.store(
            EngineResult(
                suspect: [Reading(station: station, sensor: sensor, timestamp: ts, value: first["value"])]),
            createdAt: ts + 3)
        #expect(try samples() == counted - 1)
    }
}
