import GRDB
import GRDBSQLite
import Gauges

/// The `INSERT` of each reading (ingest and import), bound through SQLite's C API: the hot path's largest step.
///
/// Through GRDB's `execute(arguments:)` every reading built an array of seven `DatabaseValue`s and went through
/// GRDB's argument checks and execution bookkeeping; here the values are bound straight from the `Reading`.
/// The statement is still GRDB's cached one, and stays usable by GRDB: it is reset after each row.
struct ReadingInsert {
    private let statement: Statement
    private let db: Database

    init(in db: Database) throws {
        statement = try db.cachedStatement(
            sql: """
                INSERT INTO readings (station, sensor, ts, value, quality, seq, received_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (station, sensor, ts) DO NOTHING
                """)
        self.db = db
    }

    /// Inserts the reading unless its (station, sensor, ts) is stored. - Returns: whether a row was added.
    func callAsFunction(_ reading: Reading, receivedAt: Int64) throws -> Bool {
        let handle = statement.sqliteStatement
        defer {
            sqlite3_reset(handle)
            // The texts were bound without a copy: leave no pointer to them in the statement.
            sqlite3_clear_bindings(handle)
        }
        var station = reading.station
        var sensor = reading.sensor.rawValue
        let code = station.withUTF8 { stationBytes in
            sensor.withUTF8 { sensorBytes in
                // SQLITE_STATIC (nil): the bytes outlive the step, which runs inside these closures.
                sqlite3_bind_text(handle, 1, stationBytes.baseAddress, Int32(stationBytes.count), nil)
                sqlite3_bind_text(handle, 2, sensorBytes.baseAddress, Int32(sensorBytes.count), nil)
                sqlite3_bind_int64(handle, 3, reading.timestamp)
                sqlite3_bind_double(handle, 4, reading.value)
                sqlite3_bind_int64(handle, 5, Int64(reading.quality.rawValue))
                if let seq = reading.seq {
                    sqlite3_bind_int64(handle, 6, seq)
                } else {
                    sqlite3_bind_null(handle, 6)
                }
                sqlite3_bind_int64(handle, 7, receivedAt)
                return sqlite3_step(handle)
            }
        }
        guard code == SQLITE_DONE else {
            throw DatabaseError(
                resultCode: ResultCode(rawValue: code),
                message: db.sqliteConnection.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) },
                sql: statement.sql)
        }
        return sqlite3_changes(db.sqliteConnection) > 0
    }
}
