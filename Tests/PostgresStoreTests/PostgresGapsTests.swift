import Foundation
import Gauges
import Storage
import TestSupport
import Testing
import Warnings

@testable import PostgresStore

extension PostgresStoreSuite {
    /// Gaps in gauges' counters found on PostgreSQL exactly as on SQLite: the same batches give the same gaps, the same
    /// changes told to the engine, and the same `sequence_gaps` rows.
    @Suite("PostgreSQL counter gaps", .timeLimit(.minutes(2)))
    struct PostgresGapsTests {
        static let start: Int64 = 1_796_558_400_000

        static func level(_ step: Int64, seq: Int64) -> Reading {
            Reading(station: "cau-lau", sensor: .level, timestamp: start + step * 300_000, value: 2, seq: seq)
        }

        @Test("a gap opened, narrowed and filled by a backlog, a restarted counter, and a second gap: as on SQLite")
        func sameAsSQLite() async throws {
            let batches: [[Reading]] = [
                [Self.level(0, seq: 1), Self.level(1, seq: 2), Self.level(4, seq: 5)],  // 3–4 missing
                [Self.level(2, seq: 3)],  // the backlog brings 3: 4 still missing
                [Self.level(3, seq: 4)],  // and 4: filled
                [Self.level(5, seq: 1)],  // the gauge restarted its counter: no gap
                [Self.level(7, seq: 9)],  // 2–8 missing
            ]
            let folder = NSTemporaryDirectory() + "floodwatch-gaps-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let sqlite = try FloodDatabase(path: folder + "/floodwatch.sqlite")
            let server = try TestPostgres()
            let postgres = try await PostgresStoreSuite.migratedStore(on: server, now: Self.start)

            var expected: [(opened: [SequenceGap], changes: [GapChange])] = []
            var found: [(opened: [SequenceGap], changes: [GapChange])] = []
            for (index, readings) in batches.enumerated() {
                let batch = StoreFixtures.batch(readings, receivedAt: Self.start + 3_600_000 + Int64(index))
                var changes: [GapChange] = []
                let outcome = try sqlite.store(batch) { _, _, gaps in
                    changes = gaps
                    return EngineResult()
                }
                expected.append((outcome.gaps, changes))
                var changesHere: [GapChange] = []
                let outcomeHere = try await postgres.store(batch) { _, _, gaps in
                    changesHere = gaps
                    return EngineResult()
                }
                found.append((outcomeHere.gaps, changesHere))
            }
            await postgres.shutDown()

            for (index, (sqliteSide, postgresSide)) in zip(expected, found).enumerated() {
                #expect(postgresSide.changes == sqliteSide.changes, "batch \(index)")
                #expect(postgresSide.opened.map(\.counterGap) == sqliteSide.opened.map(\.counterGap), "batch \(index)")
            }
            #expect(expected.map(\.changes.count) == [1, 0, 1, 0, 1], "the scenario as intended on SQLite")
            let columns = "first_seq, last_seq, after_ts, before_ts, filled_at IS NOT NULL"
            let rows = try await sqlite.reader.read { db in
                try String.fetchAll(
                    db,
                    sql: "SELECT first_seq || '|' || last_seq || '|' || after_ts || '|' || before_ts || '|' || "
                        + "(CASE WHEN filled_at IS NULL THEN 'f' ELSE 't' END) FROM sequence_gaps ORDER BY id")
            }
            #expect(try server.psql("SELECT \(columns) FROM sequence_gaps ORDER BY id") == rows.joined(separator: "\n"))
        }
    }
}
