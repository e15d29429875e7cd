import Foundation
import Gauges
import TestSupport
import Testing

@testable import PostgresStore

extension PostgresStoreSuite {
    /// The PostgreSQL store's schema on a real PostgreSQL 15 server of the test's own (`TestPostgres`).
    @Suite("PostgreSQL schema", .timeLimit(.minutes(2)))
    struct PostgresSchemaTests {
        /// 2026-12-06T12:00:00Z.
        static let now: Int64 = 1_796_558_400_000

        /// Every version of the schema, in order.
        static let versions = PostgresSchema.migrations.map(\.version)

        static func open(_ server: TestPostgres) throws -> PostgresDatabase {
            PostgresDatabase(try PostgresLocation(url: server.url))
        }

        @Test("a new database gets the documented tables and the readings view, partitioned by month around now")
        func newDatabase() async throws {
            let server = try TestPostgres()
            let database = try Self.open(server)
            #expect(Self.versions == Array(1...Self.versions.count), "versions numbered from 1, none skipped")
            #expect(try await database.migrate(now: Self.now) == Self.versions)
            await database.shutDown()

            let tables = try server.psql(
                "SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables WHERE schemaname = 'public'")
            for table in [
                "alert_deliveries", "alert_notices", "bulletins", "engine_state", "installation", "rejected",
                "schema_migrations", "sensors", "sequence_gaps", "series", "series_readings", "stations", "warnings",
            ] {
                #expect(tables.split(separator: ",").contains(Substring(table)), "\(tables)")
            }
            #expect(
                try server.psql(
                    """
                    SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns
                    WHERE table_name = 'readings'
                    """) == "station,sensor,ts,value,quality,seq,received_at")
            // November 2026 to February 2027: one month behind, the current one, two ahead.
            #expect(
                try server.psql(
                    """
                    SELECT string_agg(c.relname, ',' ORDER BY c.relname) FROM pg_inherits i
                    JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
                    WHERE p.relname = 'series_readings'
                    """)
                    == "series_readings_2026_11,series_readings_2026_12,series_readings_2027_01,series_readings_2027_02"
            )
        }

        @Test("migrating again applies nothing; two instances migrating at once apply each version once")
        func migrationsOnce() async throws {
            let server = try TestPostgres()
            let first = try Self.open(server)
            let second = try Self.open(server)
            async let one = first.migrate(now: Self.now)
            async let two = second.migrate(now: Self.now)
            let applied = try await [one, two]
            #expect(applied.sorted { $0.count < $1.count } == [[], Self.versions])
            #expect(try await first.migrate(now: Self.now + 40 * 86_400_000) == [])
            await first.shutDown()
            await second.shutDown()
            #expect(try server.psql("SELECT count(*) FROM schema_migrations") == "\(Self.versions.count)")
            // A month later: March 2027 was created ahead, nothing dropped.
            #expect(
                try server.psql(
                    "SELECT count(*) FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent "
                        + "WHERE p.relname = 'series_readings'") == "5")
        }

        @Test("two instances starting together write the catalogue in turn, and both start")
        func catalogueTogether() async throws {
            let server = try TestPostgres()
            let first = try Self.open(server)
            let second = try Self.open(server)
            try await first.migrate(now: Self.now)
            let catalogue = StationCatalogue(stations: [StoreFixtures.cauLau, StoreFixtures.hoiAn])
            for _ in 0..<3 {
                async let one: Void = first.synchronizeStations(catalogue, now: Self.now)
                async let two: Void = second.synchronizeStations(catalogue, now: Self.now)
                _ = try await (one, two)
            }
            let sensors = catalogue.stations.reduce(0) { $0 + $1.sensors.count }
            #expect(try server.psql("SELECT count(*) FROM sensors") == "\(sensors)")
            #expect(try server.psql("SELECT count(*) FROM series") == "\(sensors)")
            await first.shutDown()
            await second.shutDown()
        }

        @Test("a reading goes to its month; its key tells a new row from a duplicate, and the view reads it back")
        func exactlyOnceKey() async throws {
            let server = try TestPostgres()
            let database = try Self.open(server)
            try await database.migrate(now: Self.now)
            await database.shutDown()
            try server.psql("INSERT INTO series (station, sensor) VALUES ('cau-lau', 'level')")
            let insert = """
                INSERT INTO series_readings (series, ts, value, quality, seq, arrival_ms)
                VALUES (1, \(Self.now), 4.02, 0, 7, 1500), (1, \(Self.now + 300_000), 4.05, 0, 8, 900)
                ON CONFLICT (series, ts) DO NOTHING RETURNING ts
                """
            #expect(try server.psql(insert) == "\(Self.now)\n\(Self.now + 300_000)")
            #expect(try server.psql(insert) == "", "the same readings again: no new row")
            #expect(
                try server.psql("SELECT station, sensor, ts, value, seq, received_at FROM readings ORDER BY ts LIMIT 1")
                    == "cau-lau|level|\(Self.now)|4.02|7|\(Self.now + 1500)")
            #expect(try server.psql("SELECT count(*) FROM series_readings_2026_12") == "2")
            #expect(throws: (any Error).self, "no month for a reading of 2030: refused, not lost silently") {
                try server.psql(
                    "INSERT INTO series_readings (series, ts, value, arrival_ms) VALUES (1, 1893456000000, 1, 0)")
            }
        }

        @Test("a database URL is read, and a wrong one says what to write, never its password")
        func locations() throws {
            let location = try PostgresLocation(url: "postgres://floodwatch:s3cret@db.example:6432/quangnam")
            #expect(
                location
                    == PostgresLocation(
                        host: "db.example", port: 6432, user: "floodwatch", password: "s3cret", database: "quangnam"))
            #expect(location.description == "postgres://floodwatch@db.example:6432/quangnam")
            #expect(try PostgresLocation(url: "postgresql://fw@127.0.0.1/fw").port == 5432)
            for (text, problem) in [
                ("postgres://fw:hidden@127.0.0.1:5432/", "names no database"),
                ("postgres://127.0.0.1/fw", "names no user"),
                ("/var/lib/floodwatch/floodwatch.sqlite", "is not a postgres:// URL"),
            ] {
                #expect {
                    try PostgresLocation(url: text)
                } throws: { error in
                    let message = "\(error)"
                    return message.contains(problem) && !message.contains("hidden")
                        && message.hasSuffix("write postgres://user[:password]@host[:port]/database")
                }
            }
        }
    }
}
