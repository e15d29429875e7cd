import Foundation
import GRDB
import Gauges
import Storage
import Testing
import Warnings

/// Gaps in a gauge's counter as the storage finds them, whatever order the readings come in. What they mean for
/// warnings is the gap rule's to judge (WarningsTests, `GapRuleTests`).
@Suite("Sequence gaps")
struct SequenceGapStorageTests {
    typealias F = FloodDatabaseTests

    /// Stores batches of (minute, seq) readings in turn; returns the gaps left open as "first-last" and every
    /// finding reported to the engine, in order: "open 2-4", "fill 4-4, 0 open".
    static func run(_ batches: [[(minute: Int64, seq: Int64)]]) throws -> (open: [String], changes: [String]) {
        let folder = NSTemporaryDirectory() + "floodwatch-gaps-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let database = try FloodDatabase(path: folder + "/floodwatch.sqlite")
        var changes: [String] = []
        for batch in batches {
            let readings = batch.map { F.level(1_700_000_000_000 + $0.minute * 60_000, 1, seq: $0.seq) }
            _ = try database.store(F.batch(readings)) { _, gapChanges in
                for change in gapChanges {
                    switch change {
                    case .opened(let gap): changes.append("open \(gap.firstSeq)-\(gap.lastSeq)")
                    case .filled(let gap, let stillOpen):
                        changes.append("fill \(gap.firstSeq)-\(gap.lastSeq), \(stillOpen) open")
                    }
                }
                return EngineResult()
            }
        }
        let open = try database.reader.read { db in
            try Row.fetchAll(
                db, sql: "SELECT first_seq, last_seq FROM sequence_gaps WHERE filled_at IS NULL ORDER BY first_seq"
            ).map { "\($0["first_seq"] as Int64)-\($0["last_seq"] as Int64)" }
        }
        return (open, changes)
    }

    @Test("consecutive counters, in one batch or many, leave no gap")
    func noGap() throws {
        #expect(try Self.run([(0..<50).map { ($0, $0) }]).open.isEmpty)
        #expect(try Self.run((0..<20).map { [($0, $0)] }).open.isEmpty)
    }

    @Test("a skipped counter opens one gap and one warning, in one batch or across batches")
    func skipped() throws {
        let oneBatch = try Self.run([[(0, 0), (1, 1), (2, 5), (3, 6)]])
        #expect(oneBatch.open == ["2-4"])
        #expect(oneBatch.changes == ["open 2-4"])
        let acrossBatches = try Self.run([[(0, 0), (1, 1)], [(2, 5)], [(3, 6), (4, 9)]])
        #expect(acrossBatches.open == ["2-4", "7-8"])
        #expect(acrossBatches.changes == ["open 2-4", "open 7-8"])
    }

    @Test("a backlog fills the gap in any order; each sensor's last filled gap says how many remain open")
    func backlogFills() throws {
        let result = try Self.run([
            [(0, 0), (1, 1), (5, 5)],  // 2…4 missing
            [(3, 3)],  // the middle first: two gaps remain, 2 and 4
            [(4, 4), (2, 2)],
        ])
        #expect(result.open.isEmpty)
        // The middle reading splits 2…4 into 2 and 4 (no gap filled yet); then both are filled, 4 last in time.
        #expect(result.changes == ["open 2-4", "fill 4-4, 0 open"])
        let partly = try Self.run([[(0, 0), (3, 3), (6, 6)], [(1, 1), (2, 2)]])
        // 1 shrinks the gap 1…2 to 2, which 2 then fills; 4…5 is still missing.
        #expect(partly.changes == ["open 1-2", "open 4-5", "fill 2-2, 1 open"])
    }

    @Test("a late reading older than everything, or newer, is judged against its neighbours")
    func outOfOrder() throws {
        // The live reading 10 arrives first, then the backlog 6…9 with 8 missing.
        let result = try Self.run([[(10, 10)], [(6, 6), (7, 7), (9, 9)]])
        #expect(result.open == ["8-8"])
    }

    @Test("a counter that starts again (a gauge restarted) is no gap")
    func restartedCounter() throws {
        let result = try Self.run([[(0, 40), (1, 41), (2, 0), (3, 1)]])
        #expect(result.open.isEmpty)
        #expect(result.changes.isEmpty)
    }

    @Test("after a restart (no sensor's newest reading in memory) the stored readings decide, as before it")
    func afterRestart() throws {
        let folder = NSTemporaryDirectory() + "floodwatch-gaps-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/floodwatch.sqlite"
        func level(_ minute: Int64, _ seq: Int64) -> Reading {
            F.level(1_700_000_000_000 + minute * 60_000, 1, seq: seq)
        }
        _ = try FloodDatabase(path: path).store(F.batch([level(0, 0), level(1, 1)]))
        let reopened = try FloodDatabase(path: path)
        let first = try reopened.store(F.batch([level(2, 5)]))
        let second = try reopened.store(F.batch([level(3, 6), level(4, 9)]))
        #expect(first.gaps.map { "\($0.firstSeq)-\($0.lastSeq)" } == ["2-4"])
        #expect(second.gaps.map { "\($0.firstSeq)-\($0.lastSeq)" } == ["7-8"])
        // The first batch after another restart holds a backlog reading older than the newest stored one: the
        // stored neighbours decide, as before a restart. 10 at minute 8 shrinks the gap 10…11 to 11.
        let again = try FloodDatabase(path: path)
        let third = try again.store(F.batch([level(12, 12)]))
        #expect(third.gaps.map { "\($0.firstSeq)-\($0.lastSeq)" } == ["10-11"])
        let restarted = try FloodDatabase(path: path)
        let backlog = try restarted.store(F.batch([level(13, 13), level(8, 10)]))
        #expect(backlog.gaps.isEmpty)
        let open = try restarted.reader.read { db in
            try Row.fetchAll(
                db, sql: "SELECT first_seq, last_seq FROM sequence_gaps WHERE filled_at IS NULL ORDER BY first_seq"
            ).map { "\($0["first_seq"] as Int64)-\($0["last_seq"] as Int64)" }
        }
        #expect(open == ["2-4", "7-8", "11-11"])
    }

    @Test("a batch whose transaction fails leaves no trace: the next reading is judged against what is stored")
    func failedTransaction() throws {
        let folder = NSTemporaryDirectory() + "floodwatch-gaps-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/floodwatch.sqlite"
        let database = try FloodDatabase(path: path)
        func level(_ minute: Int64, _ seq: Int64) -> Reading {
            F.level(1_700_000_000_000 + minute * 60_000, 1, seq: seq)
        }
        // The failure comes last in the transaction, after the gap was found: writing the warning it raises.
        let raise = { (_: [Reading], changes: [GapChange]) in
            EngineResult(
                events: changes.map { change in
                    WarningEvent(
                        station: change.gap.station, sensor: .level, rule: .gap, kind: .raised, level: 1,
                        timestamp: 0, messageVI: "", messageEN: "")
                })
        }
        _ = try database.store(F.batch([level(0, 0)]), evaluate: raise)
        let other = try DatabaseQueue(path: path)
        try other.write {
            try $0.execute(
                sql: "CREATE TRIGGER refuse BEFORE INSERT ON warnings BEGIN SELECT RAISE(ABORT, 'refused'); END")
        }
        #expect(throws: (any Error).self) { try database.store(F.batch([level(2, 5)]), evaluate: raise) }
        try other.write { try $0.execute(sql: "DROP TRIGGER refuse") }

        // Stored: 0 only. So 1…5 are missing before 6, not nothing after a 5 that was never stored.
        let next = try database.store(F.batch([level(3, 6)]), evaluate: raise)
        #expect(next.gaps.map { "\($0.firstSeq)-\($0.lastSeq)" } == ["1-5"])
    }

    @Test("readings without a counter are ignored")
    func withoutSeq() throws {
        let folder = NSTemporaryDirectory() + "floodwatch-gaps-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let database = try FloodDatabase(path: folder + "/floodwatch.sqlite")
        let outcome = try database.store(F.batch([F.level(1_700_000_000_000, 1), F.level(1_700_000_060_000, 1)]))
        #expect(outcome.gaps.isEmpty && outcome.stored == 2)
    }
}
