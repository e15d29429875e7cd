import Alerts
import Foundation
import GRDB
import Gauges
import Storage
import TestSupport
import Testing

/// What a store keeps and gives back, on both stores (`StoreKind`): the SQLite file and PostgreSQL.
@Suite("Storage")
struct FloodDatabaseTests {
    static let station = StoreFixtures.cauLau
    /// A second station, level only.
    static let hoiAn = StoreFixtures.hoiAn

    /// A batch of one message holding the given readings, as the decoder would produce it.
    static func batch(_ readings: [Reading], payload: String = "{}", rejections: [Rejection] = []) -> IngestBatch {
        StoreFixtures.batch(readings, payload: payload, rejections: rejections)
    }

    static func level(_ ts: Int64, _ value: Double, seq: Int64? = nil) -> Reading {
        Reading(station: "cau-lau", sensor: .level, timestamp: ts, value: value, seq: seq)
    }

    // SQLite only: its catalogue (`sqlite_master`, `PRAGMA table_info`) and WAL mode; PostgresSchemaTests checks
    // the same tables and columns on PostgreSQL.
    @Test("a new database has the documented tables and the readings view, in WAL mode")
    func schema() throws {
        let folder = try TestPaths.temporaryDirectory("storage")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let database = try FloodDatabase(path: folder + "/floodwatch.sqlite")
        let (tables, views, journal) = try database.reader.read { db in
            (
                try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"),
                try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'view' ORDER BY name"),
                try String.fetchOne(db, sql: "PRAGMA journal_mode")
            )
        }
        for table in ["rejected", "sensors", "series", "series_hourly", "series_readings", "stations"] {
            #expect(tables.contains(table))
        }
        for view in ["readings", "readings_daily", "readings_hourly"] {
            #expect(views.contains(view))
        }
        #expect(journal == "wal")
        let (columns, keyColumns) = try database.reader.read { db in
            (
                try Row.fetchAll(db, sql: "PRAGMA table_info(readings)").map { $0["name"] as String },
                try Row.fetchAll(db, sql: "PRAGMA table_info(series_readings)").filter { ($0["pk"] as Int) > 0 }
                    .sorted { ($0["pk"] as Int) < ($1["pk"] as Int) }.map { $0["name"] as String }
            )
        }
        #expect(columns == ["station", "sensor", "ts", "value", "quality", "seq", "received_at"])
        #expect(keyColumns == ["series", "ts"])
    }

    @Test(
        "daily rollups (a view over the hourly ones) match the readings by Vietnam day, last value included",
        arguments: StoreKind.allCases)
    func dailyRollups(_ kind: StoreKind) async throws {
        try await kind.withStore { database in
            try await database.synchronizeStations(StationCatalogue(stations: [Self.station]), now: 0)
            // 2 Nov 2025 00:00 +07:00, then three days of 5-minute readings that wander, so that a day's last value
            // is neither its first, its minimum nor its maximum.
            let start: Int64 = 1_762_016_400_000
            let readings: [Reading] = (0..<(3 * 288)).map { (i: Int) -> Reading in
                let value = Double((i * 37) % 101) / 20
                return Self.level(start + Int64(i) * 300_000, value)
            }
            _ = try await database.importReadings(readings, receivedAt: start)
            let days = try await database.rows(
                "SELECT * FROM readings_daily WHERE station = 'cau-lau' ORDER BY bucket")
            #expect(days.count == 3)
            for (index, day) in days.enumerated() {
                let own: [Reading] = Array(readings[(index * 288)..<((index + 1) * 288)])
                let values: [Double] = own.map { $0.value }
                #expect(day["bucket"] as Int64 == start + Int64(index) * 86_400_000, "days start at 00:00 +07:00")
                #expect(day["samples"] as Int == 288)
                #expect(day["min_value"] as Double == values.min())
                #expect(day["max_value"] as Double == values.max())
                #expect(abs((day["sum_value"] as Double) - values.reduce(0, +)) < 1e-9)
                #expect(day["last_ts"] as Int64 == own.last?.timestamp)
                #expect(day["last_value"] as Double == own.last?.value)
            }
            let buckets = try await database.readingBuckets(
                station: "cau-lau", sensor: "level", from: start, to: start + 3 * 86_400_000, stepSeconds: 86_400)
            #expect(buckets.map(\.count) == [288, 288, 288])
            #expect(buckets.map(\.last) == (1...3).map { readings[$0 * 288 - 1].value })
            #expect(buckets.map(\.max) == days.map { $0["max_value"] as Double })
            #expect(zip(buckets, days).allSatisfy { abs($0.sum - ($1["sum_value"] as Double)) < 1e-9 })
            // In hours, the newest (the open hour, summed from its readings) a bucket of its own.
            let hours = try await database.readingBuckets(
                station: "cau-lau", sensor: "level", from: start, to: start + 3 * 86_400_000, stepSeconds: 3600)
            #expect(hours.map(\.count) == Array(repeating: 12, count: 72))
            #expect(hours.map(\.last) == (1...72).map { readings[$0 * 12 - 1].value })
            #expect(
                hours.map(\.min)
                    == (0..<72).map { hour in readings[(hour * 12)..<(hour * 12 + 12)].map(\.value).min() })
        }
    }

    @Test(
        "hourly rollups equal the good readings summed per hour, across batches, duplicates and suspect marks",
        arguments: StoreKind.allCases)
    func hourlyRollupsFollowTheReadings(_ kind: StoreKind) async throws {
        try await kind.withStore { database in
            let start: Int64 = 1_762_016_400_000  // on the hour
            func reading(_ minute: Int64, _ value: Double, quality: Quality = .good) -> Reading {
                Reading(
                    station: "cau-lau", sensor: .level, timestamp: start + minute * 60_000, value: value,
                    quality: quality)
            }
            // Several readings of one hour in a batch, an hour spread over two batches (the second older and newer
            // than the first), a duplicate, a reading sent as suspect, and one the engine marks suspect as it lands.
            try await database.store(
                Self.batch([reading(5, 2.0), reading(10, 2.5), reading(65, 3.0), reading(20, 9.0)])
            ) { readings, _ in EngineResult(suspect: readings.filter { $0.value == 9.0 }) }
            try await database.store(
                Self.batch([reading(0, 1.5), reading(15, 2.2), reading(10, 2.5), reading(70, 3.1, quality: .suspect)]))
            try await database.importReadings(
                [reading(130, 4.0), reading(125, 3.9), reading(5, 2.0)], receivedAt: start)

            // Hour 0: 1.5, 2.0, 2.2, 2.5 (not the 9.0 marked suspect, nor the duplicates); hour 1: 3.0; hour 2: 3.9,
            // 4.0.
            #expect(try await Self.expectRollupsFollowReadings(database) == [4, 1, 2])
        }
    }

    @Test(
        "hourly rollups stay exact when a batch holds more sensor-hours than one upsert statement writes",
        arguments: StoreKind.allCases)
    func hourlyRollupsOfLargeBatches(_ kind: StoreKind) async throws {
        try await kind.withStore { database in
            let start: Int64 = 1_762_016_400_000  // on the hour
            // Two sensors: 214 sensor-hours a batch, more than four statements of 50
            // (`HourlyRollups.rowsPerStatement`).
            let hours = 107
            func readings(minute: Int64, offset: Double) -> [Reading] {
                (0..<hours).flatMap { hour in
                    ["cau-lau", "ai-nghia"].map { station in
                        Reading(
                            station: station, sensor: .level,
                            timestamp: start + Int64(hour) * 3_600_000 + minute * 60_000,
                            value: Double(hour % 17) / 10 + offset)
                    }
                }
            }
            // New hours in full statements and one at a time, then the same hours added to, and new ones.
            try await database.store(Self.batch(readings(minute: 5, offset: 1)))
            try await database.store(
                Self.batch(readings(minute: 35, offset: 0.5) + readings(minute: 50, offset: 2)))
            let samples = try await Self.expectRollupsFollowReadings(database)
            #expect(samples == Array(repeating: 3, count: 2 * hours))
        }
    }

    @Test(
        "a sensor's newest hour is summed when read and stored once a later reading closes it, through failed batches, restarts and suspect marks",
        arguments: StoreKind.allCases)
    func openHourRollups(_ kind: StoreKind) async throws {
        try await kind.withStore { database in
            let start: Int64 = 1_762_016_400_000  // on the hour
            func reading(
                _ minute: Int64, _ value: Double, station: String = "cau-lau", sensor: SensorKind = .level,
                quality: Quality = .good
            ) -> Reading {
                Reading(
                    station: station, sensor: sensor, timestamp: start + minute * 60_000, value: value,
                    quality: quality)
            }
            // The closed hours stored: an hour is closed once its sensor has a later reading. (SQLite stores no other
            // row, `expectRollupsFollowReadings` checks; PostgreSQL stores the open hours too, docs/storage.md.)
            func storedHours() async throws -> Int {
                try await database.value(
                    """
                    SELECT COUNT(*) FROM series_hourly AS h
                    WHERE h.bucket < (SELECT (MAX(ts) / 3600000) * 3600000 FROM series_readings
                                      WHERE series = h.series)
                    """) ?? 0
            }
            // Hour 0 of two sensors, still open: in the view, not yet stored.
            try await database.store(
                Self.batch([reading(5, 2.0), reading(10, 2.4), reading(7, 0.5, sensor: .rain)]))
            #expect(try await Self.expectRollupsFollowReadings(database) == [2, 1])
            #expect(try await storedHours() == 0)

            // A batch with a reading of hour 1 that fails after its rollups were written (the engine's suspect mark
            // refused, as a full disk would refuse it): hour 0 is still the open one, so the next reading closes it.
            try await database.refuse("UPDATE OF quality", on: "series_readings", saying: "disk full")
            let refused = await #expect(throws: (any Error).self) {
                try await database.store(Self.batch([reading(65, 3.0)])) { readings, _ in
                    EngineResult(suspect: readings)
                }
            }
            #expect(database.isRefusal(refused, saying: "disk full"), "\(String(describing: refused))")
            try await database.allow("series_readings")
            try await database.store(Self.batch([reading(70, 3.2)]))
            #expect(try await Self.expectRollupsFollowReadings(database) == [2, 1, 1])
            #expect(try await storedHours() == 1)

            // A late reading of the closed hour 0 is added to it; one of the open hour 1 is not stored yet.
            try await database.store(Self.batch([reading(20, 2.6), reading(80, 3.4)]))
            #expect(try await Self.expectRollupsFollowReadings(database) == [3, 1, 2])
            #expect(try await storedHours() == 1)
            // Both marked suspect: the closed hour is recomputed, the open one read without it.
            try await database.store(EngineResult(suspect: [reading(20, 2.6), reading(80, 3.4)]), createdAt: start)
            #expect(try await Self.expectRollupsFollowReadings(database) == [2, 1, 1])

            // After a restart, the open hours are read from the file: the rain's hour 0 closes three hours later, the
            // level's hour 1 closes with a reading of hour 2 sent as suspect (no rollup of hour 2 then).
            try await database.reopen()
            try await database.store(
                Self.batch([reading(185, 1.5, sensor: .rain), reading(125, 3.9, quality: .suspect)]))
            #expect(try await Self.expectRollupsFollowReadings(database) == [2, 1, 1, 1])
            #expect(try await storedHours() == 3)

            // A sensor's first readings, several hours at once (an import): every hour but the newest is stored.
            let backlog = (0..<30).map { reading(Int64($0) * 5, 1 + Double($0) / 100, station: "ai-nghia") }
            #expect(try await database.importReadings(backlog, receivedAt: start) == 30)
            #expect(try await Self.expectRollupsFollowReadings(database) == [12, 2, 1, 12, 1, 6, 1])
            #expect(try await storedHours() == 5)
        }
    }

    @Test(
        "an open hour closed from the sums kept in memory leaves out the readings marked suspect while it was open",
        arguments: StoreKind.allCases)
    func openHourSumsAfterSuspectMarks(_ kind: StoreKind) async throws {
        try await kind.withStore { database in
            let start: Int64 = 1_762_016_400_000  // on the hour
            func reading(_ minute: Int64, _ value: Double, sensor: SensorKind = .level) -> Reading {
                Reading(station: "cau-lau", sensor: sensor, timestamp: start + minute * 60_000, value: value)
            }
            // Hour 0 of both sensors opened by this process, over three batches: its sums are known. A spike the
            // engine marks as it lands, and an earlier reading marked later (the spike filter's second look).
            try await database.store(
                Self.batch([reading(5, 2.0), reading(10, 2.4), reading(5, 1.0, sensor: .rain)]))
            try await database.store(Self.batch([reading(15, 9.0), reading(10, 1.2, sensor: .rain)])) { readings, _ in
                EngineResult(suspect: readings.filter { $0.value == 9.0 })
            }
            try await database.store(EngineResult(suspect: [reading(10, 2.4)]), createdAt: start)
            // Hour 1 closes hour 0 of both: the level's with 2.0 alone, the rain's with both readings.
            try await database.store(Self.batch([reading(65, 3.0), reading(65, 0.4, sensor: .rain)]))
            #expect(try await Self.expectRollupsFollowReadings(database) == [1, 2, 1, 1])
            let stored = try await database.rows(
                "SELECT samples, sum_value FROM series_hourly WHERE bucket = \(start) ORDER BY series")
            #expect(stored.map { $0["samples"] as Int } == [1, 2])
            #expect(stored.map { $0["sum_value"] as Double } == [2.0, 2.2])
        }
    }

    /// Checks `readings_hourly` against the good readings summed per sensor and hour, and on SQLite that
    /// `series_hourly` holds no hour of a series from its open hour on (PostgreSQL stores every hour,
    /// docs/storage.md); returns the samples of each hour in time order.
    static func expectRollupsFollowReadings(_ database: TestedStore) async throws -> [Int] {
        if database.kind == .sqlite {
            let stored: Int? = try await database.value(Self.openHoursStored)
            #expect(stored == 0, "rows of open hours in series_hourly")
        }
        return expectRollups(
            try await database.rows(Self.rollups), equal: try await database.rows(Self.readingsSummedPerHour))
    }

    /// `expectRollupsFollowReadings` on a SQLite file opened by the test itself (MigrationTests).
    static func expectRollupsFollowReadings(_ database: FloodDatabase) throws -> [Int] {
        let (rollups, expected, stored) = try database.reader.read { db in
            (
                try Row.fetchAll(db, sql: Self.rollups), try Row.fetchAll(db, sql: Self.readingsSummedPerHour),
                try Int.fetchOne(db, sql: Self.openHoursStored)
            )
        }
        #expect(stored == 0, "rows of open hours in series_hourly")
        return expectRollups(rollups, equal: expected)
    }

    private static let rollups = """
        SELECT station, sensor, bucket, samples, min_value, max_value, sum_value, last_ts, last_value
        FROM readings_hourly ORDER BY bucket, station, sensor
        """

    private static let readingsSummedPerHour = """
        SELECT g.*, (SELECT value FROM readings AS r WHERE r.station = g.station AND r.sensor = g.sensor
                          AND r.ts = g.last_ts) AS last_value
        FROM (SELECT station, sensor, (ts / 3600000) * 3600000 AS bucket, COUNT(*) AS samples,
                     MIN(value) AS min_value, MAX(value) AS max_value, SUM(value) AS sum_value,
                     MAX(ts) AS last_ts
              FROM readings WHERE quality = 0 GROUP BY station, sensor, bucket) AS g
        ORDER BY bucket, station, sensor
        """

    /// Rows of `series_hourly` from their series' open hour on (the hour of its newest reading).
    private static let openHoursStored = """
        SELECT COUNT(*) FROM series_hourly AS h
        WHERE h.bucket >= (SELECT (MAX(ts) / 3600000) * 3600000 FROM series_readings WHERE series = h.series)
        """

    private static func expectRollups(_ rollups: [Row], equal expected: [Row]) -> [Int] {
        #expect(rollups.count == expected.count)
        for (rollup, truth) in zip(rollups, expected) {
            for column in ["bucket", "samples", "last_ts"] {
                #expect(rollup[column] as Int64 == truth[column] as Int64, "\(column) of \(truth)")
            }
            for column in ["min_value", "max_value", "sum_value", "last_value"] {
                #expect(abs((rollup[column] as Double) - (truth[column] as Double)) < 1e-9, "\(column) of \(truth)")
            }
        }
        return rollups.map { $0["samples"] as Int }
    }

    @Test(
        "values and arrival times read back exactly as stored, whether kept as thousandths or as a REAL",
        arguments: StoreKind.allCases)
    func compactValues(_ kind: StoreKind) async throws {
        try await kind.withStore { database in
            let values = [5.561, 9.26, 0.1, 0.3, 2.675, -2.5, 0, 1234.5, 1e-7, 123.4567, .pi, 1e13, 0.0005]
            let readings = values.enumerated().map {
                Self.level(1_700_000_000_000 + Int64($0.offset) * 60_000, $0.element)
            }
            let arrival: Int64 = 1_700_000_000_000 - 5_000  // a gauge clock ahead of ours: arrival before ts
            #expect(try await database.importReadings(readings, receivedAt: arrival) == values.count)
            let rows = try await database.rows("SELECT value, received_at FROM readings ORDER BY ts")
            #expect(rows.map { $0["value"] as Double } == values)
            #expect(rows.allSatisfy { ($0["received_at"] as Int64) == arrival })
            // SQLite only: how a value is kept (`series_readings.value` is a double precision on PostgreSQL).
            if database.kind == .sqlite {
                let kept = try await database.rows("SELECT typeof(value) AS kept FROM series_readings ORDER BY ts")
                #expect(kept.prefix(8).allSatisfy { ($0["kept"] as String) == "integer" }, "three decimals or fewer")
                #expect(kept.suffix(5).allSatisfy { ($0["kept"] as String) == "real" }, "more decimals, or too large")
            }
        }
    }

    @Test("reopening keeps the data and applies no migration twice", arguments: StoreKind.allCases)
    func reopen(_ kind: StoreKind) async throws {
        try await kind.withStore { database in
            try await database.store(Self.batch([Self.level(1_000, 2.5)]))
            try await database.reopen()
            #expect(try await database.value("SELECT COUNT(*) FROM readings") == 1)
        }
    }

    @Test("a reading is stored once; the same value again is a duplicate", arguments: StoreKind.allCases)
    func duplicates(_ kind: StoreKind) async throws {
        try await kind.withStore { database in
            let first = try await database.store(Self.batch([Self.level(1_000, 2.5, seq: 7)]))
            let again = try await database.store(
                Self.batch([Self.level(1_000, 2.5, seq: 7), Self.level(1_000, 2.5, seq: 7)]))
            #expect(first.stored == 1)
            #expect(again.stored == 0)
            #expect(again.duplicates == 2)
            let row = try #require(try await database.rows("SELECT * FROM readings").first)
            #expect(row["station"] as String == "cau-lau")
            #expect(row["sensor"] as String == "level")
            #expect(row["ts"] as Int64 == 1_000)
            #expect(row["value"] as Double == 2.5)
            #expect(row["quality"] as Int == 0)
            #expect(row["seq"] as Int64 == 7)
            #expect(row["received_at"] as Int64 == 1_700_000_000_000)
        }
    }

    @Test(
        "another value for a stored key keeps the first and rejects the newcomer with its bytes",
        arguments: StoreKind.allCases)
    func conflict(_ kind: StoreKind) async throws {
        try await kind.withStore { database in
            try await database.store(Self.batch([Self.level(1_000, 2.5)]))
            let outcome = try await database.store(
                Self.batch([Self.level(1_000, 2.75)], payload: #"{"ts":1,"value":2.75}"#))
            #expect(outcome.stored == 0)
            #expect(outcome.rejected.map(\.code) == ["conflict"])
            // A PostgreSQL column has one type: the bytes in `payload` (bytea), valid UTF-8 also in `payload_text`.
            let payload = kind.sql(sqlite: "payload", postgres: "payload_text")
            let row = try #require(try await database.rows("SELECT reason, \(payload) AS payload FROM rejected").first)
            #expect((row["reason"] as String).hasPrefix("conflicts with stored value: 2.5"))
            #expect(row["payload"] as String == #"{"ts":1,"value":2.75}"#)
            #expect(try await database.value("SELECT value FROM readings") == 2.5)
        }
    }

    @Test(
        "two values for one key in one batch: the first is stored, the second rejected as a conflict, a third the same a duplicate",
        arguments: StoreKind.allCases)
    func conflictInOneBatch(_ kind: StoreKind) async throws {
        try await kind.withStore { database in
            let outcome = try await database.store(
                Self.batch([Self.level(1_000, 2.5), Self.level(1_000, 2.75), Self.level(1_000, 2.5)]))
            #expect(outcome.stored == 1)
            #expect(outcome.newReadings.map(\.value) == [2.5])
            #expect(outcome.rejected.map(\.code) == ["conflict"])
            #expect(outcome.duplicates == 1)
            #expect(try await database.value("SELECT value FROM readings") == 2.5)
            let row = try #require(try await database.rows("SELECT reason FROM rejected").first)
            #expect((row["reason"] as String).hasPrefix("conflicts with stored value: 2.5"))
        }
    }

    @Test(
        "rejected payloads keep valid UTF-8 as text and anything else as a blob, at most 256 KiB",
        arguments: StoreKind.allCases)
    func rejectedPayloads(_ kind: StoreKind) async throws {
        try await kind.withStore { database in
            let text = IngestBatch(
                receivedAt: 1,
                messages: [
                    IngestBatch.Message(
                        topic: "gauges/x/level", payload: Array("hello".utf8),
                        decoded: DecodedMessage(rejections: [
                            Rejection(reason: .unknownStation("x"), payloadRange: 0..<5)
                        ])),
                    IngestBatch.Message(
                        topic: "gauges/cau-lau/level", payload: [0x7B, 0xFF, 0x7D],
                        decoded: DecodedMessage(rejections: [
                            Rejection(reason: .invalidUTF8(offset: 1), payloadRange: 0..<3)
                        ])),
                    IngestBatch.Message(
                        topic: "gauges/cau-lau/level", payload: Array(repeating: 0x20, count: 300_000),
                        decoded: DecodedMessage(rejections: [
                            Rejection(
                                reason: .payloadTooLarge(bytes: 300_000, limit: 262_144), payloadRange: 0..<300_000)
                        ])),
                ])
            try await database.store(text)
            // On PostgreSQL the bytes are always in `payload` (bytea), and text is what also has `payload_text`.
            let rows = try await database.rows(
                kind.sql(
                    sqlite: """
                        SELECT typeof(payload) AS kind, length(CAST(payload AS BLOB)) AS kept, payload_bytes
                        FROM rejected ORDER BY id
                        """,
                    postgres: """
                        SELECT CASE WHEN payload_text IS NULL THEN 'blob' ELSE 'text' END AS kind,
                               length(payload) AS kept, payload_bytes
                        FROM rejected ORDER BY id
                        """))
            #expect(rows.map { $0["kind"] as String } == ["text", "blob", "text"])
            #expect(rows.map { $0["kept"] as Int } == [5, 3, 262_144])
            #expect(rows.map { $0["payload_bytes"] as Int } == [5, 3, 300_000])
        }
    }

    @Test("a batch that fails half way stores nothing of it", arguments: StoreKind.allCases)
    func atomicBatch(_ kind: StoreKind) async throws {
        try await kind.withStore { database in
            // Make the database refuse rejected rows, as a full disk would refuse any write.
            try await database.refuse("INSERT", on: "rejected", saying: "disk full")
            let batch = Self.batch(
                [Self.level(6, 1)], payload: "x",
                rejections: [Rejection(reason: .notJSON(detail: "x"), payloadRange: 0..<1)])
            let refused = await #expect(throws: (any Error).self) { try await database.store(batch) }
            #expect(database.isRefusal(refused, saying: "disk full"), "\(String(describing: refused))")
            #expect(try await database.value("SELECT COUNT(*) FROM readings") == 0)
        }
    }

    @Test(
        "a reading goes to its own sensor's series whichever catalogue numbered it (catalogue index)",
        arguments: StoreKind.allCases)
    func catalogueIndexChecked(_ kind: StoreKind) async throws {
        try await kind.withStore { database in
            try await database.synchronizeStations(StationCatalogue(stations: [Self.station, Self.hoiAn]), now: 1)
            // Index 0 is Câu Lâu's level in one catalogue and Hội An's in another (an edited catalogue, reloaded);
            // index 1 is Câu Lâu's rain in the first. Each reading must land under its own station and sensor.
            let readings = [
                (Self.level(1_000, 2.5), 0),
                (Reading(station: "hoi-an", sensor: .level, timestamp: 2_000, value: 1.2), 0),
                (Reading(station: "cau-lau", sensor: .rain, timestamp: 3_000, value: 4), 1),
                (Reading(station: "hoi-an", sensor: .level, timestamp: 4_000, value: 1.3), 0),
                (Self.level(5_000, 2.6), 0),
            ]
            for (reading, index) in readings {
                var batch = Self.batch([reading])
                batch.messages[0].decoded.readings[0].catalogueIndex = index
                #expect(try await database.store(batch).stored == 1)
            }
            let rows = try await database.rows("SELECT station, sensor, ts FROM readings ORDER BY ts")
            #expect(
                rows.map { "\($0["station"] as String) \($0["sensor"] as String) \($0["ts"] as Int64)" } == [
                    "cau-lau level 1000", "hoi-an level 2000", "cau-lau rain 3000", "hoi-an level 4000",
                    "cau-lau level 5000",
                ])
        }
    }

    @Test(
        "the catalogue is written to stations and sensors; removed stations stay, marked",
        arguments: StoreKind.allCases)
    func stations(_ kind: StoreKind) async throws {
        try await kind.withStore { database in
            try await database.synchronizeStations(StationCatalogue(stations: [Self.station, Self.hoiAn]), now: 1)
            try await database.synchronizeStations(StationCatalogue(stations: [Self.station]), now: 2)
            let rows = try await database.rows("SELECT * FROM stations ORDER BY id")
            #expect(rows.map { $0["id"] as String } == ["cau-lau", "hoi-an"])
            #expect(rows.map { $0["in_catalogue"] as Int } == [1, 0])
            #expect(rows[0]["name"] as String == "Câu Lâu")
            #expect(rows[0]["alarm_3"] as Double == 4)
            #expect(rows[0]["record_level"] as Double == 5.61)
            let sensors = try await database.rows("SELECT sensor, unit, interval_s FROM sensors ORDER BY sensor")
            #expect(sensors.map { $0["sensor"] as String } == ["level", "rain"])
            #expect(sensors.map { $0["unit"] as String } == ["m", "mm"])
        }
    }
}

@Suite("Installation id")
struct InstallationTests {
    @Test(
        "two databases draw different installation ids, so their CAP identifiers never collide; a reopen keeps it",
        arguments: StoreKind.allCases)
    func distinctAcrossDatabases(_ kind: StoreKind) async throws {
        try await kind.withStore { first in
            try await kind.withStore { second in
                let (a, b) = (try await first.installationID(), try await second.installationID())
                #expect(a.wholeMatch(of: /[0-9a-f]{12}/) != nil, "\(a)")
                #expect(a != b)
                let settings = (AlertSettings(installation: a), AlertSettings(installation: b))
                #expect(settings.0.identifier(notice: 1) == "floodwatch-\(a)-notice-1")
                #expect(settings.0.identifier(notice: 1) != settings.1.identifier(notice: 1))
                try await first.reopen()
                #expect(try await first.installationID() == a, "the same after a reopen")
            }
        }
    }
}
