import Foundation
import Gauges
import Storage
import TestSupport
import Testing
import Warnings

@testable import PostgresStore

extension PostgresStoreSuite {
    /// The hourly rollups on PostgreSQL (`series_hourly`, behind `readings_hourly` and `readings_daily`): the same rows
    /// as the SQLite file's views, kept by each batch's transaction, right when several instances write at once.
    @Suite("PostgreSQL hourly rollups", .timeLimit(.minutes(2)))
    struct PostgresRollupsTests {
        /// 2026-12-06T00:00:00+07:00.
        static let start: Int64 = 1_796_490_000_000
        static let now: Int64 = 1_796_558_400_000
        static let minute: Int64 = 60_000
        static let catalogue = StationCatalogue(stations: [StoreFixtures.cauLau, StoreFixtures.hoiAn])

        static func reading(
            _ station: String, _ sensor: SensorKind, minute: Int64, _ value: Double, quality: Quality = .good
        ) -> Reading {
            Reading(
                station: station, sensor: sensor, timestamp: start + minute * Self.minute, value: value,
                quality: quality)
        }

        /// A row of `readings_hourly` or `readings_daily`.
        struct Rollup: Equatable, CustomStringConvertible {
            var station: String
            var sensor: String
            var bucket: Int64
            var samples: Int
            var low, high, sum: Double
            var lastTimestamp: Int64
            var last: Double

            var description: String {
                "\(station)/\(sensor) \(bucket): \(samples) \(low)…\(high) Σ\(sum) last \(last) at \(lastTimestamp)"
            }
        }

        static func sqliteRollups(_ database: FloodDatabase, view: String) async throws -> [Rollup] {
            try await database.reader.read { db in
                try String.fetchAll(
                    db,
                    sql: """
                        SELECT station || '|' || sensor || '|' || bucket || '|' || samples || '|' || min_value || '|'
                               || max_value || '|' || sum_value || '|' || last_ts || '|' || last_value
                        FROM \(view) ORDER BY station, sensor, bucket
                        """)
            }.map { line in
                let field = line.split(separator: "|").map(String.init)
                return Rollup(
                    station: field[0], sensor: field[1], bucket: Int64(field[2])!, samples: Int(field[3])!,
                    low: Double(field[4])!, high: Double(field[5])!, sum: Double(field[6])!,
                    lastTimestamp: Int64(field[7])!, last: Double(field[8])!)
            }
        }

        static func postgresRollups(_ database: PostgresDatabase, view: String) async throws -> [Rollup] {
            var rollups: [Rollup] = []
            for try await (station, sensor, bucket, samples, low, high, sum, lastTimestamp, last)
                in try await database
                .client.query(
                    """
                    SELECT station, sensor, bucket, samples, min_value, max_value, sum_value, last_ts, last_value
                    FROM \(unescaped: view) ORDER BY station COLLATE "C", sensor COLLATE "C", bucket
                    """
                ).decode((String, String, Int64, Int, Double, Double, Double, Int64, Double).self)
            {
                rollups.append(
                    Rollup(
                        station: station, sensor: sensor, bucket: bucket, samples: samples, low: low, high: high,
                        sum: sum, lastTimestamp: lastTimestamp, last: last))
            }
            return rollups
        }

        /// Rows of `series_hourly` that differ from the good readings summed again, in either direction.
        static let driftSQL = """
            SELECT count(*) FROM (
                (SELECT * FROM series_hourly
                 EXCEPT
                 SELECT series, (ts / 3600000) * 3600000, count(*), min(value), max(value), sum(value), max(ts),
                        (array_agg(value ORDER BY ts DESC))[1]
                 FROM series_readings WHERE quality = 0 GROUP BY 1, 2)
                UNION ALL
                (SELECT series, (ts / 3600000) * 3600000, count(*), min(value), max(value), sum(value), max(ts),
                        (array_agg(value ORDER BY ts DESC))[1]
                 FROM series_readings WHERE quality = 0 GROUP BY 1, 2
                 EXCEPT
                 SELECT * FROM series_hourly)) AS drift
            """

        @Test("the hourly and daily views as on SQLite, duplicates once, late and suspect readings; v4's sums the same")
        func sameRowsAsSQLite() async throws {
            let stores = try await BothStores(catalogue: Self.catalogue, now: Self.now)
            // A batch of six hours of two sensors, two readings of one hour in it, and one sent suspect.
            var first: [Reading] = []
            for minute in stride(from: Int64(0), to: 360, by: 20) {
                first.append(Self.reading("cau-lau", .level, minute: minute, 2 + Double(minute % 60) / 8))
                first.append(Self.reading("cau-lau", .rain, minute: minute, Double(minute % 40) / 4))
            }
            first.append(Self.reading("hoi-an", .level, minute: 30, 1.25, quality: .suspect))
            try await stores.store(first, receivedAt: Self.start + 360 * Self.minute)
            // The same again with more: each reading counted once; a lone good reading of Hội An's hour 1, and a
            // spike of hour 5 that the engine marks as it lands.
            try await stores.store(
                first + [
                    Self.reading("hoi-an", .level, minute: 70, 1.5), Self.reading("cau-lau", .level, minute: 350, 9),
                ], receivedAt: Self.start + 361 * Self.minute
            ) { $0.value == 9 }
            // Late readings of closed hours, and the next hours, across local midnight (17:00 UTC) the next day.
            try await stores.store(
                [Self.reading("cau-lau", .level, minute: 10, 1.75), Self.reading("cau-lau", .level, minute: 130, 3.5)]
                    + (0..<30).map { Self.reading("cau-lau", .level, minute: 1_400 + $0 * 10, Double($0 % 7) / 2) },
                receivedAt: Self.start + 1_700 * Self.minute)
            // Marked suspect later: Hội An's only good reading of its hour (the hour goes), a reading of a closed
            // hour that was its maximum, and the newest.
            try await stores.store(
                EngineResult(suspect: [
                    Self.reading("hoi-an", .level, minute: 70, 1.5), Self.reading("cau-lau", .level, minute: 40, 7),
                    Self.reading("cau-lau", .level, minute: 1_690, 0),
                ]), createdAt: Self.start + 1_701 * Self.minute)

            for view in ["readings_hourly", "readings_daily"] {
                let expected = try await Self.sqliteRollups(stores.sqlite, view: view)
                let found = try await Self.postgresRollups(stores.postgres, view: view)
                #expect(found == expected, "\(view)")
                #expect(!expected.isEmpty)
            }
            let hours = try await Self.postgresRollups(stores.postgres, view: "readings_hourly")
            #expect(!hours.contains { $0.station == "hoi-an" }, "no good reading of Hội An left")
            let firstHour = try #require(hours.first { $0.sensor == "level" })
            // Minutes 0, 20, 40 (2, 4.5 and 7 m), 10 late (1.75 m), 40 marked suspect.
            #expect(firstHour.samples == 3 && firstHour.low == 1.75 && firstHour.high == 4.5 && firstHour.last == 4.5)
            #expect(try stores.server.psql(Self.driftSQL) == "0")

            // The upgrade to v4 sums the readings stored before it: the same rows.
            let migration = try #require(PostgresSchema.migrations.first { $0.version == 4 })
            let backfill = try #require(migration.statements.first { $0.hasPrefix("INSERT INTO series_hourly") })
            let before = try stores.server.psql("SELECT * FROM series_hourly ORDER BY series, bucket")
            try stores.server.psql("DELETE FROM series_hourly")
            try stores.server.psql(backfill)
            #expect(try stores.server.psql("SELECT * FROM series_hourly ORDER BY series, bucket") == before)
            await stores.close()
        }

        @Test("two instances storing readings of the same hours at once, one marking some suspect: no reading lost")
        func instancesAtOnce() async throws {
            let server = try TestPostgres()
            let one = try await PostgresStoreSuite.migratedStore(on: server, now: Self.now)
            let other = try await PostgresStoreSuite.migratedStore(on: server, now: Self.now)
            try await one.synchronizeStations(Self.catalogue, now: Self.now)
            // Every minute of four hours: the even ones from one instance, the odd ones from the other, each in 15
            // batches of eight readings spread over the four hours. While they store them, the other marks two
            // readings of the first batch, stored before, suspect again and again: their hours are summed again
            // while the first instance adds to them. The two later hours are kept by the batches alone.
            func batches(odd: Bool) -> [[Reading]] {
                (0..<15).map { batch in
                    (0..<8).map { index in
                        let minute = Int64(index * 15 + batch) * 2 + (odd ? 1 : 0)
                        return Self.reading("cau-lau", .level, minute: minute, Double(minute % 17) / 4)
                    }
                }
            }
            let evenBatches = batches(odd: false)
            let marked = [evenBatches[0][0], evenBatches[0][2]]
            _ = try await one.store(StoreFixtures.batch(evenBatches[0], receivedAt: Self.start))
            async let evens: Void = {
                for (index, readings) in evenBatches.enumerated().dropFirst() {
                    _ = try await one.store(StoreFixtures.batch(readings, receivedAt: Self.start + Int64(index)))
                }
            }()
            async let odds: Void = {
                for (index, readings) in batches(odd: true).enumerated() {
                    _ = try await other.store(StoreFixtures.batch(readings, receivedAt: Self.start + Int64(index)))
                    try await other.store(EngineResult(suspect: marked), createdAt: Self.start + Int64(index))
                }
            }()
            try await evens
            try await odds
            #expect(try server.psql("SELECT count(*) FROM series_readings") == "240")
            #expect(try server.psql("SELECT sum(samples) FROM series_hourly") == "\(240 - marked.count)")
            #expect(try server.psql(Self.driftSQL) == "0")

            // The race made sure of: a batch has added a reading to an hour and not committed yet when the other
            // instance marks a reading of that hour suspect. The hour is summed again only once the batch
            // committed, with its reading.
            let late = Self.reading("hoi-an", .level, minute: 20, 1.5)
            _ = try await one.store(
                StoreFixtures.batch(
                    [Self.reading("hoi-an", .level, minute: 0, 1), Self.reading("hoi-an", .level, minute: 10, 1.25)],
                    receivedAt: Self.start + 100))
            try await one.client.withConnection { connection in
                try await connection.query("BEGIN", logger: one.logger)
                try await connection.query(
                    """
                    INSERT INTO series_readings (series, ts, value, arrival_ms)
                    SELECT id, \(late.timestamp), \(late.value), 0 FROM series WHERE station = 'hoi-an'
                    """, logger: one.logger)
                let series = try server.psql("SELECT id FROM series WHERE station = 'hoi-an'")
                try await PostgresDatabase.addToHourlyRollups(
                    [late], series: [try #require(Int64(series))], on: connection, logger: one.logger)
                let marking = Task {
                    try await other.store(
                        EngineResult(suspect: [Self.reading("hoi-an", .level, minute: 0, 1)]),
                        createdAt: Self.start + 101)
                }
                try await Task.sleep(for: .milliseconds(300))
                try await connection.query("COMMIT", logger: one.logger)
                try await marking.value
            }
            await one.shutDown()
            await other.shutDown()
            #expect(
                try server.psql(
                    "SELECT samples, sum_value, last_value FROM readings_hourly WHERE station = 'hoi-an'")
                    == "2|2.75|1.5")
            #expect(try server.psql(Self.driftSQL) == "0")
        }
    }
}
