import GRDB
import GRDBSQLite
import Gauges
import Warnings

/// The `INSERT` of each reading (ingest and import), bound through SQLite's C API: the hot path's largest step.
///
/// Through GRDB's `execute(arguments:)` every reading built an array of seven `DatabaseValue`s and went through
/// GRDB's argument checks and execution bookkeeping; here the values are bound straight from the `Reading`.
/// The statement is still GRDB's cached one, and stays usable by GRDB: it is reset after each row.
/// Rows go to `series_readings` under their series number (`readings` is a view of it, schema v13), a value with
/// at most three decimals as an integer of thousandths (2 or 3 bytes on disk instead of 8) and the arrival as
/// milliseconds after the reading's time.
struct ReadingInsert {
    private let statement: Statement
    private let db: Database
    /// Series numbers committed when the transaction began.
    private let numbers: [SensorKey: Int64]
    /// Those looked up or given in this transaction: a number given in one that then fails does not exist.
    private var given: [SensorKey: Int64] = [:]
    /// Committed numbers by catalogue index, kept by the caller across transactions.
    var byCatalogue: CatalogueSeries

    init(in db: Database, numbers: [SensorKey: Int64], byCatalogue: CatalogueSeries = CatalogueSeries()) throws {
        statement = try db.cachedStatement(
            sql: """
                INSERT INTO series_readings (series, ts, value, quality, seq, arrival_ms)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (series, ts) DO NOTHING
                """)
        self.db = db
        self.numbers = numbers
        self.byCatalogue = byCatalogue
    }

    /// Inserts the reading unless its (station, sensor, ts) is stored.
    /// - Parameter catalogueIndex: the reading's `DecodedReading.catalogueIndex`, when it has one.
    /// - Returns: the number of its series when a row was added (for the rollups); nil when it was stored already.
    mutating func callAsFunction(_ reading: Reading, catalogueIndex: Int? = nil, receivedAt: Int64) throws -> Int64? {
        let series = try number(of: reading, catalogueIndex: catalogueIndex)
        let handle = statement.sqliteStatement
        defer { sqlite3_reset(handle) }
        sqlite3_bind_int64(handle, 1, series)
        sqlite3_bind_int64(handle, 2, reading.timestamp)
        if let thousandths = Self.thousandths(reading.value) {
            sqlite3_bind_int64(handle, 3, thousandths)
        } else {
            sqlite3_bind_double(handle, 3, reading.value)
        }
        sqlite3_bind_int64(handle, 4, Int64(reading.quality.rawValue))
        if let seq = reading.seq {
            sqlite3_bind_int64(handle, 5, seq)
        } else {
            sqlite3_bind_null(handle, 5)
        }
        sqlite3_bind_int64(handle, 6, receivedAt &- reading.timestamp)
        try statement.stepBound(in: db)
        return sqlite3_changes(db.sqliteConnection) > 0 ? series : nil
    }

    /// The value as a whole number of thousandths when that is exact: `FloodDatabase.storedValue` divides it
    /// back by 1000 into the same Double. Nil for a value with more decimals (kept as a REAL).
    static func thousandths(_ value: Double) -> Int64? {
        let scaled = (value * 1000).rounded()
        guard scaled.magnitude < 1e12 else { return nil }
        let whole = Int64(scaled)
        return Double(whole) / 1000 == value ? whole : nil
    }

    private mutating func number(of reading: Reading, catalogueIndex: Int?) throws -> Int64 {
        if let catalogueIndex,
            let number = byCatalogue.series(at: catalogueIndex, station: reading.station, sensor: reading.sensor)
        {
            return number
        }
        let key = SensorKey(station: reading.station, sensor: reading.sensor)
        if let number = numbers[key] {
            if let catalogueIndex {
                byCatalogue.remember(number, at: catalogueIndex, station: reading.station, sensor: reading.sensor)
            }
            return number
        }
        if let number = given[key] { return number }
        let number = try FloodDatabase.seriesNumber(station: reading.station, sensor: reading.sensor.rawValue, in: db)
        given[key] = number
        return number
    }
}
