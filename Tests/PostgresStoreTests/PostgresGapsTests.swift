import BlockingWork
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

        @Test("many sensors over many batches, in order, skipping, restarting and back-filling: as on SQLite")
        func mixedStreamsAsOnSQLite() async throws {
            // Batches of three sensors: most in order (one query for the whole batch on PostgreSQL), some with
            // counters skipped, some restarted, some bringing back readings missed earlier (judged by query).
            var generator = SplitMix(seed: 16)
            var next: [String: (step: Int64, seq: Int64)] = ["a": (0, 1), "b": (0, 1), "c": (0, 1)]
            var missed: [Reading] = []
            var batches: [[Reading]] = []
            for _ in 0..<40 {
                var readings: [Reading] = []
                for station in ["a", "b", "c"] where generator.next() % 4 != 0 {
                    for _ in 0..<(1 + generator.next() % 3) {
                        var (step, seq) = next[station]!
                        switch generator.next() % 10 {
                        case 0: seq = 1  // the gauge restarted its counter
                        case 1, 2:  // a reading lost upstream, for now
                            missed.append(
                                Reading(
                                    station: station, sensor: .level, timestamp: Self.start + step * 60_000, value: 2,
                                    seq: seq))
                            step += 1
                            seq += 1
                        default: break
                        }
                        readings.append(
                            Reading(
                                station: station, sensor: .level, timestamp: Self.start + step * 60_000, value: 2,
                                seq: seq))
                        next[station] = (step + 1, seq + 1)
                    }
                }
                if generator.next() % 5 == 0, !missed.isEmpty {
                    readings.append(missed.removeFirst())  // the backlog: older than what is stored
                }
                batches.append(readings)
            }
            batches.append(missed)

            let folder = NSTemporaryDirectory() + "floodwatch-gaps-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let sqlite = try FloodDatabase(path: folder + "/floodwatch.sqlite")
            let server = try TestPostgres()
            let postgres = try await PostgresStoreSuite.migratedStore(on: server, now: Self.start)
            var expected: [[GapChange]] = []
            var found: [[GapChange]] = []
            for (index, readings) in batches.enumerated() {
                let batch = StoreFixtures.batch(readings, receivedAt: Self.start + 3_600_000 + Int64(index))
                // Through the ingest path's own blocking calls, on a thread of their own as the ingest thread is.
                for (store, into) in [(sqlite as any IngestStore, 0), (postgres as any IngestStore, 1)] {
                    let changes = try await BlockingWork.onOwnThread(name: "ingest") {
                        var changes: [GapChange] = []
                        _ = try store.store(batch) { _, _, gaps in
                            changes = gaps
                            return EngineResult()
                        }
                        return changes
                    }
                    if into == 0 { expected.append(changes) } else { found.append(changes) }
                }
            }
            await postgres.shutDown()

            #expect(found == expected)
            let opened = expected.joined().filter { if case .opened = $0 { true } else { false } }.count
            #expect(opened >= 10, "the scenario opens gaps: \(opened)")
            let rows = try await sqlite.reader.read { db in
                try String.fetchAll(
                    db,
                    sql: "SELECT station || '|' || first_seq || '|' || last_seq || '|' || after_ts || '|' || "
                        + "before_ts || '|' || (CASE WHEN filled_at IS NULL THEN 'f' ELSE 't' END) FROM sequence_gaps "
                        + "ORDER BY station, after_ts, first_seq")
            }
            #expect(rows.filter { $0.hasSuffix("|t") }.count >= 5, "the backlog fills gaps: \(rows)")
            #expect(
                try server.psql(
                    "SELECT station, first_seq, last_seq, after_ts, before_ts, filled_at IS NOT NULL FROM sequence_gaps "
                        + "ORDER BY station, after_ts, first_seq") == rows.joined(separator: "\n"))
        }
    }

    /// A small deterministic generator, so that a failing scenario can be run again.
    struct SplitMix {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }
}
