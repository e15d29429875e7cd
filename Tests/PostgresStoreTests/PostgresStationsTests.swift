import Gauges
import TestSupport
import Testing

@testable import PostgresStore

/// The catalogue in the PostgreSQL store, as in the SQLite file: on a real PostgreSQL 15 server of the test's own.
@Suite("PostgreSQL stations", .timeLimit(.minutes(2)))
struct PostgresStationsTests {
    static let cauLau = Station(
        id: "cau-lau", name: "Câu Lâu", river: "Thu Bồn", basin: "Vu Gia – Thu Bồn", latitude: 15.85, longitude: 108.27,
        sensors: [
            Sensor(kind: .level, interval: 300, range: -1...9), Sensor(kind: .rain, interval: 300, range: 0...150),
        ],
        alarmLevels: AlarmLevels(levelI: 2, levelII: 3, levelIII: 4), record: FloodRecord(level: 5.61, year: 2025))
    static let hoiAn = Station(
        id: "hoi-an", name: "Hội An", river: "Thu Bồn", latitude: 15.88, longitude: 108.33,
        sensors: [Sensor(kind: .level, interval: 300, range: -1...6)],
        alarmLevels: AlarmLevels(levelI: 1, levelII: 1.5, levelIII: 2))

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
                "SELECT id, name, in_catalogue, alarm_3, record_level, record_year, updated_at FROM stations ORDER BY id"
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
