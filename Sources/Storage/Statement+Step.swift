import GRDB
import GRDBSQLite

extension Statement {
    /// Runs this statement, whose arguments were bound through SQLite's C API (`ReadingInsert`, `HourlyRollups`),
    /// once: it must finish without a row, or its error is thrown as GRDB would throw it.
    func stepBound(in db: Database) throws {
        let code = sqlite3_step(sqliteStatement)
        guard code == SQLITE_DONE else { throw error(code, in: db) }
    }

    /// Steps this query, bound through SQLite's C API, to its next row: true with a row to read through
    /// `sqlite3_column_*`, false once there are no more. Its error is thrown as GRDB would throw it.
    func stepRow(in db: Database) throws -> Bool {
        let code = sqlite3_step(sqliteStatement)
        if code == SQLITE_ROW { return true }
        guard code == SQLITE_DONE else { throw error(code, in: db) }
        return false
    }

    private func error(_ code: Int32, in db: Database) -> DatabaseError {
        DatabaseError(
            resultCode: ResultCode(rawValue: code),
            message: db.sqliteConnection.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }, sql: sql)
    }
}
