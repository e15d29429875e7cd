import Foundation
import GRDB
import Synchronization
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Nothing acknowledged is lost: readings queued while FloodWatch is down arrive when it is back, and
/// killing it at random moments loses and duplicates nothing.
@Suite("Durability of the floodwatch binary", .serialized, .timeLimit(.minutes(5)), .blockingAllowed, .takingTurns)
struct DurabilityTests {
    /// Readings with a gauge counter, spread over the level sensors of four stations; each counts its own
    /// readings (0, 1, 2, …), so a reading is known by its station and counter.
    static func payload(_ i: Int) -> (topic: String, text: String) {
        let stations = ["ai-nghia", "giao-thuy", "cau-lau", "hoi-an"]
        let ts = 1_700_000_000 + i * 60  // from 2023-11-14, one a minute per reading
        return (
            "gauges/\(stations[i % 4])/level", #"{"ts":\#(ts),"value":\#(Double(i % 300) / 100),"seq":\#(i / 4)}"#
        )
    }

    /// Distinct readings by their gauge counters: (station, seq) pairs.
    static let distinctCounted = "COUNT(DISTINCT station || '/' || seq)"

    @Test("5,000 readings published while the service is stopped are all stored after it starts; SIGTERM exits 0")
    func outage() async throws {
        let broker = try TestBroker()
        let service = try ServiceProcess(broker: broker)

        // First run creates the persistent session, then a clean stop.
        let first = try await service.start()
        first.signal(SIGTERM)
        #expect(first.waitForExit(timeoutSeconds: 20) == 0, "SIGTERM ends floodwatch with status 0")
        #expect(first.output.contains("Ingest stopped"))

        let publisher = try broker.publisher()
        for i in 0..<5000 {
            let (topic, text) = Self.payload(i)
            try publisher.publish(topic: topic, text: text)
        }
        #expect(publisher.waitForAcknowledgements(timeoutSeconds: 60), "the broker took all 5,000")
        publisher.disconnect()

        let second = try await service.start()
        let all = try await eventually(timeoutSeconds: 60) { try service.readingCount() >= 5000 }
        second.signal(SIGINT)
        #expect(second.waitForExit(timeoutSeconds: 20) == 0, "Ctrl-C (SIGINT) ends floodwatch with status 0")
        #expect(all)
        #expect(try service.readingCount() == 5000)
        #expect(try service.query { try Int.fetchOne($0, sql: "SELECT \(Self.distinctCounted) FROM readings") } == 5000)
    }

    /// The crash test's size: 20,000 readings and 8 kills in the normal suite; `scripts/faults --size full` sets
    /// FLOODWATCH_CRASH_READINGS=100000 and FLOODWATCH_CRASH_KILLS=20.
    static let crashReadings = Int(ProcessInfo.processInfo.environment["FLOODWATCH_CRASH_READINGS"] ?? "") ?? 20_000
    static let crashKills = Int(ProcessInfo.processInfo.environment["FLOODWATCH_CRASH_KILLS"] ?? "") ?? 8
    /// How far past a kill's point the publisher may go before that kill: the half second of its random moment at
    /// 1,500 readings a second.
    static let pastKillPoint = 750

    @Test(
        "SIGKILL at random moments while readings arrive: each stored exactly once, integrity ok",
        arguments: TestStore.allCases)
    func crashes(_ store: TestStore) async throws {
        let total = Self.crashReadings
        let broker = try TestBroker()
        let service = try store.serviceProcess(broker: broker)
        var process = try await service.start()

        // Each kill waits for a random point of the stream (5–95 % of it published), then a random moment of up to
        // half a second: random times, all while readings arrive.
        let points = (0..<Self.crashKills).map { _ in Int(Double(total) * Double.random(in: 0.05...0.95)) }.sorted()
        // The publisher paces itself at about 1,500 readings a second in small steady steps, so the kills land
        // while readings are in flight (a kill between acknowledgement and commit would show as a lost reading).
        // It goes no further than the next kill's point and half a second until that kill is done: on a loaded
        // machine restarts are slow, and without the gate the last kills came after the stream had ended.
        let gate = Mutex(points.first.map { $0 + Self.pastKillPoint } ?? total)
        let published = Mutex(0)
        let publisher = try broker.publisher()
        let publishing = Task {
            try await onOwnThread {
                for i in 0..<total {
                    while i >= gate.withLock({ $0 }) { usleep(10_000) }
                    let (topic, text) = Self.payload(i)
                    try publisher.publish(topic: topic, text: text)
                    published.withLock { $0 = i + 1 }
                    if i % 25 == 24 { usleep(16_000) }
                }
                return publisher.waitForAcknowledgements(timeoutSeconds: 120)
            }
        }

        var kills = 0
        var countsAtKill: [Int] = []
        for (k, point) in points.enumerated() {
            while published.withLock({ $0 }) < point { try await Task.sleep(for: .milliseconds(10)) }
            try await Task.sleep(for: .milliseconds(Int.random(in: 0...500)))
            process.killHard()
            kills += 1
            countsAtKill.append(try service.readingCount())
            process = try await service.start()
            let next = k + 1 < points.count ? points[k + 1] + Self.pastKillPoint : total
            gate.withLock { $0 = min(max(next, $0), total) }
        }
        let brokerTookAll = try await publishing.value
        #expect(brokerTookAll, "the broker acknowledged all \(total) readings")
        let stored = try await eventually(timeoutSeconds: 120) { try service.readingCount() >= total }
        process.signal(SIGTERM)
        #expect(process.waitForExit(timeoutSeconds: 20) == 0)

        #expect(stored)
        let killsInFlight = countsAtKill.filter { $0 < total }.count
        #expect(killsInFlight == kills, "every kill landed while readings were arriving: \(countsAtKill)")
        let summary = try service.rows(
            "SELECT COUNT(*) AS rows, \(Self.distinctCounted) AS seqs, MIN(seq) AS low, MAX(seq) AS high FROM readings"
        ).first
        let rows = summary?["rows"] as Int? ?? 0
        let distinct = summary?["seqs"] as Int? ?? 0
        print(
            "crash test (\(store.testDescription)): \(total) readings published, \(kills) kills (\(killsInFlight) while readings arrived; "
                + "stored at each: \(countsAtKill)), \(rows) stored, \(rows - distinct) duplicates, "
                + "\(total - distinct) lost")
        #expect(summary?["rows"] as Int? == total)
        #expect(summary?["seqs"] as Int? == total)
        #expect(summary?["low"] as Int? == 0)
        #expect(summary?["high"] as Int? == (total - 1) / 4)
        #expect(
            try service.count("SELECT COUNT(*) FROM sequence_gaps") == 0, "no reading is missing from any gauge's count"
        )
        #expect(try service.count("SELECT COUNT(*) FROM rejected") == 0)
        switch store {
        case .sqlite:
            #expect(try service.query { try String.fetchOne($0, sql: "PRAGMA integrity_check") } == "ok")
        case .postgres:
            // PRAGMA integrity_check is SQLite's. PostgreSQL's counterpart is amcheck: every table's pages and rows
            // (`verify_heapam`), and every B-tree index against its table (`bt_index_check` with `heapallindexed`),
            // the exactly-once key of each month's partition among them. It throws on a damaged index.
            let postgres = try #require(service.postgres)
            try postgres.psql("CREATE EXTENSION IF NOT EXISTS amcheck")
            #expect(try postgres.psql(Self.damagedTables).isEmpty)
            let indexes = Int(try postgres.psql(Self.indexCount)) ?? 0
            #expect(indexes > 0)
            #expect(try postgres.psql(Self.indexesChecked) == "\(indexes)")
        }
    }

    /// amcheck's findings in the tables of FloodWatch's schema, one line each: none on a sound database.
    static let damagedTables = """
        SELECT c.relname || ': ' || v.msg
        FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace,
             LATERAL verify_heapam(c.oid) AS v
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'm')
        """

    /// The B-tree indexes of FloodWatch's schema, each checked against its table (an error names a damaged one).
    static let indexesChecked = """
        SELECT COUNT(bt_index_check(c.oid, true)::text)
        FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace JOIN pg_am AS a ON a.oid = c.relam
        WHERE n.nspname = 'public' AND c.relkind = 'i' AND a.amname = 'btree'
        """
    static let indexCount = """
        SELECT COUNT(*)
        FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace JOIN pg_am AS a ON a.oid = c.relam
        WHERE n.nspname = 'public' AND c.relkind = 'i' AND a.amname = 'btree'
        """
}
