import GRDB
import GRDBSQLite

extension Statement {
    /// Runs this statement once with arguments bound through SQLite's C API by `bind`, then resets it: for the
    /// statements of the ingest transaction that run for many rows. It must finish without a row.
    ///
    /// GRDB's `execute(arguments:)` builds an array of `DatabaseValue`s for each run and goes through its argument
    /// checks and observation bookkeeping: for a warning's row and its alert notice that was about 4 % of the samples
    /// of the 10,000-station sweep point, where 5,000 gauges raise a warning at their first reading.
    func run(in db: Database, binding bind: (Arguments) -> Void) throws {
        let handle = sqliteStatement
        defer { sqlite3_reset(handle) }
        bind(Arguments(handle: handle))
        try stepBound(in: db)
    }

    /// Binds the arguments of one run: parameter numbers start at 1, as in SQLite. Nil binds NULL; text is copied
    /// by SQLite (`SQLITE_TRANSIENT`), so it may be released as soon as it is bound.
    struct Arguments {
        let handle: SQLiteStatement

        func set(_ index: Int32, _ value: Int64?) {
            if let value { sqlite3_bind_int64(handle, index, value) } else { sqlite3_bind_null(handle, index) }
        }

        func set(_ index: Int32, _ value: Int?) {
            set(index, value.map(Int64.init))
        }

        func set(_ index: Int32, _ value: Double?) {
            if let value { sqlite3_bind_double(handle, index, value) } else { sqlite3_bind_null(handle, index) }
        }

        func set(_ index: Int32, _ value: Bool) {
            sqlite3_bind_int64(handle, index, value ? 1 : 0)
        }

        func set(_ index: Int32, _ value: String?) {
            guard var text = value else {
                sqlite3_bind_null(handle, index)
                return
            }
            // An empty string may have no storage to point at, and a null pointer would bind NULL.
            guard !text.isEmpty else {
                sqlite3_bind_text(handle, index, "", 0, Self.transient)
                return
            }
            text.withUTF8 { bytes in
                _ = sqlite3_bind_text(
                    handle, index, bytes.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) },
                    Int32(bytes.count), Self.transient)
            }
        }

        /// `SQLITE_TRANSIENT`, which the C header defines as a cast of -1 that Swift does not import.
        private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
    }
}
