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
}
