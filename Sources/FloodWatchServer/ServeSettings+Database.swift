import Catalogue
import Gauges
import Logging
import PostgresStore
import Storage

#if canImport(Glibc)
    import Glibc
#endif

extension ServeSettings {
    /// Opens the store `serve` writes (`--database`: a path, or a `postgres://` URL), migrated, with the catalogue's
    /// stations in it.
    /// - Throws: `StartupError` that says what to do.
    public func openStore(catalogue: StationCatalogue, now: Int64, logger: Logger) async throws -> ServeStore {
        guard PostgresLocation.isURL(database) else {
            return .sqlite(try openDatabase(catalogue: catalogue, now: now))
        }
        let location: PostgresLocation
        do {
            location = try PostgresLocation(url: database)
        } catch {
            throw StartupError("--database: \(error)", fix: "write postgres://user[:password]@host[:port]/database")
        }
        let store = PostgresDatabase(location, logger: logger)
        do {
            try await store.migrate(now: now)
            try await store.synchronizeStations(catalogue, now: now)
            return .postgres(store)
        } catch {
            await store.shutDown()
            throw StartupError(
                "cannot use the PostgreSQL database \(location.description): \(String(reflecting: error))",
                fix: """
                    check that PostgreSQL runs and listens on \(location.host):\(location.port), that the database \
                    \(location.database) exists (createdb -O \(location.user) \(location.database)) and that \
                    \(location.user) may connect (pg_hba.conf; the password in the URL or in PGPASSWORD)
                    """)
        }
    }

    /// Opens (creating and migrating) the database `serve` writes, with the catalogue's stations in it.
    /// - Throws: `StartupError` that says what to do: for a damaged file, the restore commands.
    public func openDatabase(catalogue: StationCatalogue, now: Int64) throws -> FloodDatabase {
        do {
            let database = try FloodDatabase(path: database)
            try database.synchronizeStations(catalogue, now: now)
            database.truncateLog()
            return database
        } catch  where FloodDatabase.isDamage(error) {
            let path = database
            throw StartupError(
                "the database \(path) is damaged: \(error)",
                fix: """
                    keep the damaged file aside and restore the latest backup (docs/operations.md, "Restoring a backup"):
                         mv \(path) \(path).damaged; mv \(path)-wal \(path).damaged-wal; rm -f \(path)-shm
                         cp /var/backups/floodwatch/floodwatch-<newest>.sqlite \(path)
                       readings since that backup may be salvaged from the damaged file:
                         sqlite3 \(path).damaged .recover | sqlite3 recovered.sqlite
                    """)
        } catch {
            throw StartupError(
                "cannot open the database \(database): \(error)",
                fix: "check that the folder exists and is writable, or choose another file with --database PATH")
        }
    }

    /// Opens the database of a running (or stopped) service for the tools beside it (`ack`, `alerts`, `cap`),
    /// migrating it as `serve` would. A missing file is an error, not a new database.
    public func openExistingDatabase() throws -> FloodDatabase {
        if let location = try? PostgresLocation(url: database) {
            throw StartupError(
                "this command reads the SQLite file; the database is PostgreSQL (\(location.description))",
                fix: """
                    use the HTTP API of a running service (acknowledge: POST /api/warnings/ID/ack; alerts, CAP and \
                    bulletins under /api and /cap), or psql on the documented tables (docs/storage.md)
                    """)
        }
        guard Glibc.access(database, F_OK) == 0 else {
            throw StartupError(
                "there is no database at \(database)",
                fix: "give the file `serve` writes with --database PATH or --config FILE")
        }
        return try FloodDatabase(path: database)
    }
}
