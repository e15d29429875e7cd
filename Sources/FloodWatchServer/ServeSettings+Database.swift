import Catalogue
import Gauges
import Storage

#if canImport(Glibc)
    import Glibc
#endif

extension ServeSettings {
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
        guard Glibc.access(database, F_OK) == 0 else {
            throw StartupError(
                "there is no database at \(database)",
                fix: "give the file `serve` writes with --database PATH or --config FILE")
        }
        return try FloodDatabase(path: database)
    }
}
