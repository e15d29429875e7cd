import Gauges
import Storage
import TestSupport
import Testing
import Warnings

@testable import PostgresStore

extension PostgresStoreSuite {
    /// The warning engine's findings in the PostgreSQL store, as in the SQLite file: on a real PostgreSQL 15 server.
    @Suite("PostgreSQL warnings", .timeLimit(.minutes(2)))
    struct PostgresWarningsTests {
        static let now: Int64 = 1_796_558_400_000

        static func event(_ kind: WarningEventKind, level: Int, at ts: Int64, rule: WarningRule = .level)
            -> WarningEvent
        {
            WarningEvent(
                station: "cau-lau", sensor: .level, rule: rule, kind: kind, level: level, timestamp: ts,
                value: 2.0 + Double(level), threshold: 1.0 + Double(level), messageVI: "Câu Lâu: \(level)",
                messageEN: "Câu Lâu: \(level)")
        }

        @Test("an event belongs to the warning its raise opened, with a notice telling the level before it")
        func eventsAndNotices() async throws {
            let server = try TestPostgres()
            let database = try await PostgresStoreSuite.migratedStore(on: server, now: Self.now)
            try await database.store(
                EngineResult(events: [
                    Self.event(.raised, level: 1, at: Self.now),
                    Self.event(.raised, level: 1, at: Self.now, rule: .rise),
                ]), createdAt: Self.now + 1)
            try await database.store(
                EngineResult(events: [Self.event(.escalated, level: 2, at: Self.now + 300_000)]),
                createdAt: Self.now + 2)
            try await database.store(
                EngineResult(events: [Self.event(.cleared, level: 0, at: Self.now + 600_000)]), createdAt: Self.now + 3)
            await database.shutDown()
            #expect(
                try server.psql("SELECT id, warning_id, rule, event, level, message_en FROM warnings ORDER BY id")
                    == """
                    1|1|level|raised|1|Câu Lâu: 1
                    2|2|rise|raised|1|Câu Lâu: 1
                    3|1|level|escalated|2|Câu Lâu: 2
                    4|1|level|cleared|0|Câu Lâu: 0
                    """)
            #expect(
                try server.psql(
                    "SELECT kind, event_id, warning_id, previous_level, status, created_at "
                        + "FROM alert_notices ORDER BY id"
                )
                    == """
                    event|1|1|0|new|\(Self.now + 1)
                    event|2|2|0|new|\(Self.now + 1)
                    event|3|1|1|new|\(Self.now + 2)
                    event|4|1|2|new|\(Self.now + 3)
                    """)
            #expect(try server.psql("SELECT rule FROM active_warnings") == "rise")
        }

        @Test("what the engine makes of a batch's new readings commits with them, and only with new readings")
        func evaluatedInTheBatch() async throws {
            let server = try TestPostgres()
            let database = try await PostgresStoreSuite.migratedStore(on: server, now: Self.now)
            let reading = Reading(station: "cau-lau", sensor: .level, timestamp: Self.now, value: 3.5)
            var seen: [[Reading]] = []
            for delivery in 0..<2 {
                let outcome = try await database.store(StoreFixtures.batch([reading], receivedAt: Self.now)) {
                    readings, series, _ in
                    seen.append(readings)
                    #expect(series.count == readings.count)
                    return EngineResult(events: [Self.event(.raised, level: 2, at: Self.now)])
                }
                #expect(outcome.warnings.count == (delivery == 0 ? 1 : 0))
            }
            await database.shutDown()
            #expect(seen == [[reading]], "the redelivery is a duplicate: the engine is not asked again")
            #expect(try server.psql("SELECT count(*) FROM warnings") == "1")
            #expect(try server.psql("SELECT count(*) FROM alert_notices") == "1")
        }

        @Test("a reading marked suspect is marked in the table; a sensor's engine state is kept, then replaced")
        func suspectAndState() async throws {
            let server = try TestPostgres()
            let database = try await PostgresStoreSuite.migratedStore(on: server, now: Self.now)
            let spike = Reading(station: "cau-lau", sensor: .level, timestamp: Self.now, value: 9.5)
            _ = try await database.store(StoreFixtures.batch([spike], receivedAt: Self.now))
            let key = SensorKey(station: "cau-lau", sensor: .level)
            // A snapshot with something in it: the engine's after a first reading far above BĐ III.
            var engine = WarningEngine(catalogue: StationCatalogue(stations: [StoreFixtures.cauLau]))
            _ = engine.evaluate([spike], arrivedAt: Self.now)
            let snapshot = try #require(engine.takeChangedSnapshots()[key])
            #expect(snapshot != SensorSnapshot())
            try await database.store(EngineResult(suspect: [spike], snapshots: [key: SensorSnapshot()]), createdAt: 1)
            try await database.store(EngineResult(snapshots: [key: snapshot]), createdAt: 2)
            await database.shutDown()
            #expect(try server.psql("SELECT quality FROM readings") == "1")
            #expect(try server.psql("SELECT count(*), max(updated_at) FROM engine_state") == "1|2")
            #expect(try server.psql("SELECT state = '\(snapshot.json)'::jsonb FROM engine_state") == "t")
        }
    }
}
