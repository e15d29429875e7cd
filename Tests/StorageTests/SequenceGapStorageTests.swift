import Foundation
import GRDB
import Gauges
import Storage
import Testing
import Warnings

/// Gaps in a gauge's counter as the storage finds them, whatever order the readings come in, on both stores
/// (`StoreKind`). What they mean for warnings is the gap rule's to judge (WarningsTests, `GapRuleTests`).
@Suite("Sequence gaps")
struct SequenceGapStorageTests {
    typealias F = FloodDatabaseTests

    static func level(_ minute: Int64, _ seq: Int64) -> Reading {
        F.level(1_700_000_000_000 + minute * 60_000, 1, seq: seq)
    }

    /// The gaps left open, as "first-last".
    static func openGaps(_ database: TestedStore) async throws -> [String] {
        try await database.rows(
            "SELECT first_seq, last_seq FROM sequence_gaps WHERE filled_at IS NULL ORDER BY first_seq"
        ).map { "\($0["first_seq"] as Int64)-\($0["last_seq"] as Int64)" }
    }

    /// Stores batches of (minute, seq) readings in turn in a new store; returns the gaps left open as "first-last"
    /// and every finding reported to the engine, in order: "open 2-4", "fill 4-4, 0 open".
    static func run(_ kind: StoreKind, _ batches: [[(minute: Int64, seq: Int64)]]) async throws
        -> (open: [String], changes: [String])
    {
        try await kind.withStore { database in
            var changes: [String] = []
            for batch in batches {
                try await database.store(F.batch(batch.map { level($0.minute, $0.seq) })) { _, gapChanges in
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
            return (try await openGaps(database), changes)
        }
    }

    @Test("consecutive counters, in one batch or many, leave no gap", arguments: StoreKind.allCases)
    func noGap(_ kind: StoreKind) async throws {
        #expect(try await Self.run(kind, [(0..<50).map { ($0, $0) }]).open.isEmpty)
        #expect(try await Self.run(kind, (0..<20).map { [($0, $0)] }).open.isEmpty)
    }

    @Test(
        "a skipped counter opens one gap and one warning, in one batch or across batches", arguments: StoreKind.allCases
    )
    func skipped(_ kind: StoreKind) async throws {
        let oneBatch = try await Self.run(kind, [[(0, 0), (1, 1), (2, 5), (3, 6)]])
        #expect(oneBatch.open == ["2-4"])
        #expect(oneBatch.changes == ["open 2-4"])
        let acrossBatches = try await Self.run(kind, [[(0, 0), (1, 1)], [(2, 5)], [(3, 6), (4, 9)]])
        #expect(acrossBatches.open == ["2-4", "7-8"])
        #expect(acrossBatches.changes == ["open 2-4", "open 7-8"])
    }

    @Test(
        "a backlog fills the gap in any order; each sensor's last filled gap says how many remain open",
        arguments: StoreKind.allCases)
    func backlogFills(_ kind: StoreKind) async throws {
        let result = try await Self.run(
            kind,
            [
                [(0, 0), (1, 1), (5, 5)],  // 2…4 missing
                [(3, 3)],  // the middle first: two gaps remain, 2 and 4
                [(4, 4), (2, 2)],
            ])
        #expect(result.open.isEmpty)
        // The middle reading splits 2…4 into 2 and 4 (no gap filled yet); then both are filled, 4 last in time.
        #expect(result.changes == ["open 2-4", "fill 4-4, 0 open"])
        let partly = try await Self.run(kind, [[(0, 0), (3, 3), (6, 6)], [(1, 1), (2, 2)]])
        // 1 shrinks the gap 1…2 to 2, which 2 then fills; 4…5 is still missing.
        #expect(partly.changes == ["open 1-2", "open 4-5", "fill 2-2, 1 open"])
    }

    @Test(
        "a late reading older than everything, or newer, is judged against its neighbours",
        arguments: StoreKind.allCases)
    func outOfOrder(_ kind: StoreKind) async throws {
        // The live reading 10 arrives first, then the backlog 6…9 with 8 missing.
        let result = try await Self.run(kind, [[(10, 10)], [(6, 6), (7, 7), (9, 9)]])
        #expect(result.open == ["8-8"])
    }

    @Test("a counter that starts again (a gauge restarted) is no gap", arguments: StoreKind.allCases)
    func restartedCounter(_ kind: StoreKind) async throws {
        let result = try await Self.run(kind, [[(0, 40), (1, 41), (2, 0), (3, 1)]])
        #expect(result.open.isEmpty)
        #expect(result.changes.isEmpty)
    }

    @Test(
        "after a restart (no sensor's newest reading in memory) the stored readings decide, as before it",
        arguments: StoreKind.allCases)
    func afterRestart(_ kind: StoreKind) async throws {
        try await kind.withStore { database in
            try await database.store(F.batch([Self.level(0, 0), Self.level(1, 1)]))
            try await database.reopen()
            let first = try await database.store(F.batch([Self.level(2, 5)]))
            let second = try await database.store(F.batch([Self.level(3, 6), Self.level(4, 9)]))
            #expect(first.gaps.map { "\($0.firstSeq)-\($0.lastSeq)" } == ["2-4"])
            #expect(second.gaps.map { "\($0.firstSeq)-\($0.lastSeq)" } == ["7-8"])
            // The first batch after another restart holds a backlog reading older than the newest stored one: the
            // stored neighbours decide, as before a restart. 10 at minute 8 shrinks the gap 10…11 to 11.
            try await database.reopen()
            let third = try await database.store(F.batch([Self.level(12, 12)]))
            #expect(third.gaps.map { "\($0.firstSeq)-\($0.lastSeq)" } == ["10-11"])
            try await database.reopen()
            let backlog = try await database.store(F.batch([Self.level(13, 13), Self.level(8, 10)]))
            #expect(backlog.gaps.isEmpty)
            #expect(try await Self.openGaps(database) == ["2-4", "7-8", "11-11"])
        }
    }

    @Test(
        "a batch whose transaction fails leaves no trace: the next reading is judged against what is stored",
        arguments: StoreKind.allCases)
    func failedTransaction(_ kind: StoreKind) async throws {
        try await kind.withStore { database in
            // The failure comes last in the transaction, after the gap was found: writing the warning it raises.
            let raise = { (_: [Reading], changes: [GapChange]) in
                EngineResult(
                    events: changes.map { change in
                        WarningEvent(
                            station: change.gap.station, sensor: .level, rule: .gap, kind: .raised, level: 1,
                            timestamp: 0, messageVI: "", messageEN: "")
                    })
            }
            try await database.store(F.batch([Self.level(0, 0)]), evaluate: raise)
            try await database.refuse("INSERT", on: "warnings", saying: "refused")
            let refused = await #expect(throws: (any Error).self) {
                try await database.store(F.batch([Self.level(2, 5)]), evaluate: raise)
            }
            #expect(database.isRefusal(refused, saying: "refused"), "\(String(describing: refused))")
            try await database.allow("warnings")

            // Stored: 0 only. So 1…5 are missing before 6, not nothing after a 5 that was never stored.
            let next = try await database.store(F.batch([Self.level(3, 6)]), evaluate: raise)
            #expect(next.gaps.map { "\($0.firstSeq)-\($0.lastSeq)" } == ["1-5"])
        }
    }

    @Test("readings without a counter are ignored", arguments: StoreKind.allCases)
    func withoutSeq(_ kind: StoreKind) async throws {
        try await kind.withStore { database in
            let outcome = try await database.store(
                F.batch([F.level(1_700_000_000_000, 1), F.level(1_700_000_060_000, 1)]))
            #expect(outcome.gaps.isEmpty && outcome.stored == 2)
        }
    }
}
