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
        let path = try Self.scratchPath()
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
        let path = try Self.scratchPath()
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

    /// `Tests/Fixtures/floodwatch-v13.sqlite`: written by the release before v14 (`floodwatch serve` fed by
    /// `gauge-simulator --seed 14 --storm district-2022 --accelerated --from 2022-12-02T20:00:00+07:00 --count 36
    /// --step 600 --storm-hour 88 --link-loss-rate 0.05`, then VACUUMed): 791 readings of 25 series over 6 hours,
    /// backlogs after link losses, 148 hourly rollups, 24 warning events.
    static let releaseV13 = releaseV12.deletingLastPathComponent().appendingPathComponent("floodwatch-v13.sqlite")

    @Test(
        "v14 on a database of the previous release: the hourly and daily rollups read the same, open hours summed live")
    func openHoursOnARelease() throws {
        let path = try Self.scratchPath()
        try FileManager.default.copyItem(atPath: Self.releaseV13.path, toPath: path)
        func contents(_ db: Database) throws -> (readings: [Row], hourly: [Row], daily: [Row]) {
            (
                try Row.fetchAll(db, sql: "SELECT * FROM readings ORDER BY station, sensor, ts"),
                try Row.fetchAll(db, sql: "SELECT * FROM readings_hourly ORDER BY station, sensor, bucket"),
                try Row.fetchAll(db, sql: "SELECT * FROM readings_daily ORDER BY station, sensor, bucket")
            )
        }
        let before = try DatabaseQueue(path: path).read { db in
            #expect(
                try String.fetchOne(db, sql: "SELECT type FROM sqlite_master WHERE name = 'series_hourly'") == "table")
            return try contents(db)
        }
        #expect(before.readings.count == 791)
        #expect(before.hourly.count == 148)

        let database = try FloodDatabase(path: path)
        let after = try database.reader.read { db in try contents(db) }
        #expect(after.readings == before.readings)
        // The same rows; a sum taken by SQLite in another order may differ in its last bits.
        for (rows, old) in [(after.hourly, before.hourly), (after.daily, before.daily)] {
            #expect(rows.count == old.count)
            for (row, was) in zip(rows, old) {
                for column in ["station", "sensor", "bucket", "samples", "last_ts"] {
                    #expect(row[column] as DatabaseValue == was[column] as DatabaseValue, "\(column) of \(was)")
                }
                for column in ["min_value", "max_value", "sum_value", "last_value"] {
                    #expect(abs((row[column] as Double) - (was[column] as Double)) < 1e-9, "\(column) of \(was)")
                }
            }
        }
        #expect(try database.integrityCheck() == "ok")
        _ = try FloodDatabaseTests.expectRollupsFollowReadings(database)

        // It goes on working: a reading an hour after each sensor's newest closes every open hour.
        let newest = try database.reader.read { db in
            try Row.fetchAll(db, sql: "SELECT station, sensor, MAX(ts) AS ts FROM readings GROUP BY station, sensor")
        }
        let next = newest.compactMap { row -> Reading? in
            guard let sensor = SensorKind(rawValue: row["sensor"]) else { return nil }
            return Reading(station: row["station"], sensor: sensor, timestamp: row["ts"] + 3_600_000, value: 1)
        }
        #expect(next.count == 25)
        #expect(try database.importReadings(next, receivedAt: 1_670_100_000_000) == 25)
        let hours = try FloodDatabaseTests.expectRollupsFollowReadings(database)
        #expect(hours.count == before.hourly.count + 25)
    }

    /// A database path in a folder of its own.
    static func scratchPath() throws -> String {
        let folder = NSTemporaryDirectory() + "floodwatch-migration-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder + "/floodwatch.sqlite"
    }
}
