import GRDB
import GRDBSQLite

extension Statement {
    /// Runs this statement, whose arguments were bound through SQLite's C API (`ReadingInsert`, `HourlyRollups`),
    /// once: it must finish without a row, or its error is thrown as GRDB would throw it.
    func stepBound(in db: Database) throws {
        let code = sqlite3_step(sqliteStatement)
        guard code == SQLITE_DONE else {
            throw DatabaseError(
                resultCode: ResultCode(rawValue: code),
                message: db.sqliteConnection.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }, sql: sql)
        }
    }
}
