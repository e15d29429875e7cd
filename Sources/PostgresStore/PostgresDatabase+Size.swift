import PostgresNIO

extension PostgresDatabase {
    /// The readings stored and the size of the whole database on disk (tables and indexes, not the server's log),
    /// for the benchmark's bytes per reading beside the SQLite file's.
    public func readingCountAndSize() async throws -> (readings: Int, bytes: Int) {
        try await read("SELECT (SELECT count(*) FROM series_readings), pg_database_size(current_database())") {
            rows in
            for try await (count, bytes) in rows.decode((Int, Int).self) { return (count, bytes) }
            return (0, 0)
        }
    }
}
