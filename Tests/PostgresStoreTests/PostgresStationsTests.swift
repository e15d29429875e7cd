import Gauges
import TestSupport
import Testing

@testable import PostgresStore

extension PostgresStoreSuite {
    /// The catalogue in the PostgreSQL store, as in the SQLite file: on a real PostgreSQL 15 server of the test's own.
    @Suite("PostgreSQL stations", .timeLimit(.minutes(2)))
    struct PostgresStationsTests {
        static let cauLau = StoreFixtures.cauLau
        static let hoiAn = StoreFixtures.hoiAn

        @Test("the catalogue is written to stations and sensors, its series numbered; removed stations stay, marked")
        func stations() async throws {
            let server = try TestPostgres()
            let database = PostgresDatabase(try PostgresLocation(url: server.url))
            try await database.migrate(now: 1)
            try await database.synchronizeStations(StationCatalogue(stations: [Self.cauLau, Self.hoiAn]), now: 1)
            try await database.synchronizeStations(StationCatalogue(stations: [Self.cauLau]), now: 2)
            let numbers = database.seriesNumbers.withLock { $0 }
            await database.shutDown()
            #expect(
                try server.psql(
                    "SELECT id, name, in_catalogue, alarm_3, record_level, record_year, updated_at "
                        + "FROM stations ORDER BY id"
                )
                    == "cau-lau|Câu Lâu|1|4|5.61|2025|2\nhoi-an|Hội An|0|2|||1")
            #expect(
                try server.psql(
                    "SELECT station, sensor, unit, interval_s, min_value, max_value FROM sensors ORDER BY sensor")
                    == "cau-lau|level|m|300|-1|9\ncau-lau|rain|mm|300|0|150")
            // Hội An's series keeps its number: its readings stay.
            #expect(try server.psql("SELECT count(*) FROM series") == "3")
            #expect(numbers.count == 3)
            #expect(Set(numbers.values).count == 3)
        }
    }
}
