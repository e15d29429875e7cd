import Foundation
import Logging
import PostgresNIO
import Synchronization
import Warnings

/// FloodWatch's store on a PostgreSQL server (15 or later), for a FloodWatch past one machine: the same schema
/// contract as the SQLite file (docs/storage.md), migrated in place by versioned steps (`PostgresSchema`).
///
/// Holds one `PostgresClient` (a pool of connections), run for the life of this object. Several FloodWatch instances
/// may open the same database at once: migrations take an advisory lock, so one applies them and the others wait.
public final class PostgresDatabase: Sendable {
    public let location: PostgresLocation
    /// The password: the URL's, else PostgreSQL tools' usual variable PGPASSWORD (kept out of `ps` and unit files).
    let password: String?
    let client: PostgresClient
    let logger: Logger
    private let running: Task<Void, Never>
    /// The ingest path's connection and the alert service's: each works alone on a thread of its own, and must
    /// see a server that went away at once (`OwnConnection`). Reads for the HTTP API go through `client`'s pool.
    /// The ingest path's holds no lease: `serve` on PostgreSQL ingests through slots (`SlotStore`); this one serves
    /// the paths of one machine (replay, imports, tests).
    let ingestConnection: OwnConnection
    let alertConnection: OwnConnection
    /// The lease supervisor's (`LeaseStore`): not the pool, whose waits for a free connection (up to `poolWait`,
    /// while the page's readers hold them all), and whose quick failures after any caller found it without one
    /// (`poolAway`), a renewal must not depend on.
    let leaseConnection: OwnConnection
    /// How a connection that works under a lease is opened: a slot's (`SlotStore`), the alert service's, the lease
    /// supervisor's. The server
    /// ends its session when it idles inside a transaction (`idleInTransactionSeconds`).
    let leasedConfiguration: PostgresConnection.Configuration
    /// Each series' number, as committed (`store(_:evaluateNumbered:)`).
    let seriesNumbers = Mutex<[SensorKey: Int32]>([:])
    /// Months of `series_readings` known to have their partition, as committed.
    let createdMonths = Mutex<Set<PostgresSchema.Month>>([])
    /// Whether the last caller of the pool got no connection (`withPooledConnection`): the server is away.
    let poolAway = Atomic<Bool>(false)

    /// The server ends a session of the alert service or a slot that has sat this long inside a transaction
    /// without a query: its instance was paused (SIGSTOP, a stalled machine) in the middle of a batch.
    /// Its locks, the slot's lease row among them (`checkFence`), would otherwise keep the slot's next owner from
    /// taking the lease for as long as the pause lasts. A batch's own work between two queries (the warning
    /// engine) takes milliseconds. The ingest path's connection goes without: a process stalled for seconds by a
    /// loaded machine would lose its transaction for no lease at stake (seen in CI, SequenceGapStorageTests).
    static let idleInTransactionSeconds = 5

    /// Connects lazily: the first query opens a connection. Call `migrate()` before using the store.
    public init(_ location: PostgresLocation, logger: Logger = Logger(label: "floodwatch-postgres")) {
        self.location = location
        self.logger = logger
        password = location.password ?? ProcessInfo.processInfo.environment["PGPASSWORD"]
        let configuration = PostgresClient.Configuration(
            host: location.host, port: location.port, username: location.user, password: password,
            database: location.database, tls: .disable)
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        var own = PostgresConnection.Configuration(
            host: location.host, port: location.port, username: location.user, password: configuration.password,
            database: location.database, tls: .disable)
        ingestConnection = OwnConnection(own, logger: logger)
        own.options.additionalStartupParameters = [
            ("idle_in_transaction_session_timeout", "\(Self.idleInTransactionSeconds)s")
        ]
        leasedConfiguration = own
        alertConnection = OwnConnection(leasedConfiguration, logger: logger)
        leaseConnection = OwnConnection(leasedConfiguration, logger: logger)
        self.client = client
        let started = Started()
        self.started = started
        running = Task {
            started.flag.withLock { $0 = true }
            await client.run()
        }
    }

    /// Whether the client's `run()` was called: a query before it would wait, and the client logs a warning.
    private let started: Started
    private final class Started: Sendable {
        let flag = Mutex(false)
    }

    /// Waits until the client runs (its task has begun), so that the first query of a start-up finds it running.
    func clientStarted() async {
        while !started.flag.withLock({ $0 }) { await Task.yield() }
        // `run()` marks the client running before its first suspension: one more turn and it has.
        try? await Task.sleep(for: .milliseconds(1))
    }

    deinit {
        running.cancel()
    }

    /// Closes the connections; queries after this fail.
    public func shutDown() async {
        await ingestConnection.close()
        await alertConnection.close()
        await leaseConnection.close()
        running.cancel()
        _ = await running.value
    }

    /// Applies the migrations this database lacks, each in a transaction of its own, under an advisory lock held
    /// for the whole run, then creates the months of `series_readings` around `now` (`ensurePartitions`).
    /// - Returns: the versions applied now (empty when the schema was current).
    @discardableResult
    public func migrate(now: Int64) async throws -> [Int] {
        await clientStarted()
        let applied = try await pooledTransaction { [logger] connection in
            // Transaction-scoped: released at commit, even if this process dies.
            try await connection.checkedQuery(
                "SELECT pg_advisory_xact_lock(\(PostgresSchema.migrationLock))", logger: logger)
            try await connection.checkedQuery(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version integer PRIMARY KEY,
                    applied_at bigint NOT NULL
                )
                """, logger: logger)
            var done: Set<Int> = []
            for try await version in try await connection.checkedQuery(
                "SELECT version FROM schema_migrations", logger: logger
            ).decode(Int.self) {
                done.insert(version)
            }
            var applied: [Int] = []
            for migration in PostgresSchema.migrations where !done.contains(migration.version) {
                for statement in migration.statements {
                    try await connection.checkedQuery(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.checkedQuery(
                    "INSERT INTO schema_migrations (version, applied_at) VALUES (\(migration.version), \(now))",
                    logger: logger)
                applied.append(migration.version)
            }
            return applied
        }
        try await ensurePartitions(around: now)
        return applied
    }

    /// Creates the monthly partitions of `series_readings` from `PostgresSchema.monthsBehind` months before the
    /// month of `now` to `PostgresSchema.monthsAhead` after it, those missing only. Readings are stored under the
    /// month of their own time, so a month must exist before its first reading comes.
    ///
    /// Under the migrations' advisory lock: two instances creating the same month at once would otherwise race
    /// (`IF NOT EXISTS` does not guard against a creation in flight).
    public func ensurePartitions(around now: Int64) async throws {
        try await pooledTransaction { [logger] connection in
            try await connection.checkedQuery(
                "SELECT pg_advisory_xact_lock(\(PostgresSchema.migrationLock))", logger: logger)
            for month in PostgresSchema.months(around: now) {
                try await connection.checkedQuery(
                    PostgresQuery(unsafeSQL: PostgresSchema.createPartition(month)), logger: logger)
            }
        }
        createdMonths.withLock { $0.formUnion(PostgresSchema.months(around: now)) }
    }
}
