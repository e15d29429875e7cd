import CSQLiteSetup
import GRDB
import Synchronization
import Warnings

/// The FloodWatch SQLite database: one file, WAL mode, schema migrated at open.
///
/// Writes are blocking and meant for the ingest thread; reads (the dashboard, tests, `sqlite3`) never block the
/// writer, thanks to WAL. The tables are a public interface documented in docs/storage.md: change them only through
/// a new migration.
public final class FloodDatabase: Sendable {
    public let path: String
    let pool: DatabasePool
    /// Each sensor's newest stored (ts, seq), as of the last commit: gap tracking's shortcut for in-order readings.
    /// Only the ingest path stores readings with counters; its transaction changes these in place and undoes the
    /// changes when it fails (`SeriesTails`).
    let seriesTails = Mutex(SeriesTails())
    /// Each series' number (`series`), as committed: see `seriesNumbers(in:)`.
    let seriesNumbers = Mutex<[SensorKey: Int64]>([:])
    /// The same by catalogue index, filled as readings come (`CatalogueSeries`); taken out by each ingest
    /// transaction and put back, whatever its end.
    let catalogueSeries = Mutex(CatalogueSeries())
    /// Each series' open hour, as committed: the hourly rollups it has not written yet (`HourlyRollups`).
    let openHours = Mutex(OpenHours())
    /// Checkpoints the log off the commit path; see `Checkpointer`.
    private let checkpointer: Checkpointer

    /// Opens (creating if needed) and migrates the database at `path`.
    public init(path: String) throws {
        _ = Self.processSetup
        var configuration = Configuration()
        configuration.label = "floodwatch"
        // Another process holding a write lock (a backup, an operator's sqlite3 session) makes us wait a little
        // instead of failing the batch at once; a failed batch is retried anyway and nothing is acknowledged.
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            // FULL: every commit reaches the disk before it returns, so a reading acknowledged after its commit
            // survives a power cut too, not only a crash of the process (with NORMAL, WAL mode may lose the
            // last commits on power loss, and typhoon nights bring power cuts).
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try db.execute(sql: "PRAGMA wal_autocheckpoint = \(Checkpointer.writerPages)")
        }
        self.path = path
        self.pool = try DatabasePool(path: path, configuration: configuration)
        try Self.migrator.migrate(pool)
        let (numbers, hours) = try pool.read { (try Self.seriesNumbers(in: $0), try Self.openHours(in: $0)) }
        seriesNumbers.withLock { $0 = numbers }
        openHours.withLock { $0 = hours }
        // The writer only (readers keep SQLite's 2 MiB each). Every batch touches the newest leaf page of each
        // sensor it carries, in `readings`, the rollups and `engine_state`: with 1,000 gauges that is thousands of
        // pages, which the default cache could not hold, so each batch read them again from the OS, a `pread` per
        // page. Measured with `bench ingest --parts drain` and perf: the kernel's share of the ingest thread fell
        // from 38 % to 24 %. The cache fills only as far as the file's hot pages need.
        let checkpointer = Checkpointer(path: path)
        try pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA cache_size = -\(Self.writerCacheKiB)")
            // Every commit of this process wakes the checkpoint thread; with nothing written it sleeps.
            db.add(transactionObserver: CommitObserver(checkpointer), extent: .databaseLifetime)
        }
        self.checkpointer = checkpointer
    }

    /// SQLite's settings for the whole process, made once, before the first database opens (`CSQLiteSetup`).
    /// In a process that used SQLite before (a test that opened a file with GRDB first), they stay SQLite's own.
    private static let processSetup: Void = {
        _ = floodwatch_sqlite_memory_statistics_off()
    }()

    /// The writer's page cache, KiB.
    static let writerCacheKiB = 16 * 1024

    deinit {
        checkpointer.stop()
    }

    /// Leaves one self-contained file: stops the checkpoint thread, copies the whole log into the database file
    /// and empties it. For the end of `serve`, once nothing writes any more: an operator who then copies the file
    /// alone (without `-wal`) copies everything. Best effort; SQLite recovers from the log anyway.
    public func shutDown() {
        checkpointer.stop()
        truncateLog()
    }

    /// Copies the whole log into the database file and empties it. `serve` does this once it has opened, migrated
    /// and synchronised the database: the log then grows only with readings, and on a full disk a write needs new
    /// space at once instead of filling a log left large by the migrations. Best effort.
    public func truncateLog() {
        _ = try? pool.writeWithoutTransaction { try $0.checkpoint(.truncate) }
    }

    /// Read access for queries and tests. Never blocks the ingest writer.
    public var reader: any DatabaseReader { pool }

    /// `PRAGMA integrity_check`: "ok" when the file is sound.
    public func integrityCheck() throws -> String {
        try pool.read { db in
            try String.fetchAll(db, sql: "PRAGMA integrity_check").joined(separator: "\n")
        }
    }
}

/// Tells the checkpoint thread of each commit of the writer connection. Observes no row changes, so it adds no
/// work per statement (GRDB installs SQLite's update hook only for observers that ask for changes).
private final class CommitObserver: TransactionObserver {
    private let checkpointer: Checkpointer

    init(_ checkpointer: Checkpointer) {
        self.checkpointer = checkpointer
    }

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { false }
    func databaseDidChange(with event: DatabaseEvent) {}
    func databaseDidCommit(_ db: Database) { checkpointer.committed() }
    func databaseDidRollback(_ db: Database) {}
}
