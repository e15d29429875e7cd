import Logging
import PostgresStore
import ServiceLifecycle
import Storage

#if canImport(Glibc)
    import Glibc
#endif

/// The store `serve` writes, chosen by `--database`: a path opens the SQLite file (one machine, nothing to run), a
/// `postgres://` URL a PostgreSQL database (several instances, a server that outlives a machine). The services see
/// only the storage protocols (`IngestStore`, `AlertStore`, `BulletinStore`), never which store they have.
public enum ServeStore: Sendable {
    case sqlite(FloodDatabase)
    case postgres(PostgresDatabase)

    public var ingest: any IngestStore {
        switch self {
        case .sqlite(let database): database
        case .postgres(let database): database
        }
    }

    public var alerts: any AlertStore {
        switch self {
        case .sqlite(let database): database
        case .postgres(let database): database
        }
    }

    public var history: any BulletinStore {
        switch self {
        case .sqlite(let database): database
        case .postgres(let database): database
        }
    }

    /// Where failed HTTP authentications are counted for every instance: PostgreSQL's table; none for the SQLite
    /// file, whose one instance counts them in memory.
    public var loginFailures: (any LoginFailureStore)? {
        switch self {
        case .sqlite: nil
        case .postgres(let database): database
        }
    }

    /// Where it is, for logs: the file, or the URL without its password.
    public var description: String {
        switch self {
        case .sqlite(let database): database.path
        case .postgres(let database): database.location.description
        }
    }

    /// What stops it being written now, that the ingest path has not found yet (it finds the rest when a batch
    /// fails): an SQLite file made read-only. A PostgreSQL server that went away is found by the next batch.
    func problem() -> String? {
        switch self {
        case .sqlite(let database):
            access(database.path, W_OK) != 0 ? "the file is not writable" : nil
        case .postgres:
            nil
        }
    }

    /// Closes it once every service stopped: the SQLite file left self-contained (its log copied in), the
    /// PostgreSQL connections closed.
    func shutDown() async {
        switch self {
        case .sqlite(let database): database.shutDown()
        case .postgres(let database): await database.shutDown()
        }
    }
}

/// The PostgreSQL store's connections in the service group: first in the group, so that graceful shutdown ends them
/// after every service that writes or reads (ingest, alerts, HTTP) has stopped.
///
/// The client's connection pool runs from the store's opening, not from this service's start: `serve` migrates the
/// database and loads the catalogue into it before the group runs, so that a database it cannot use stops start-up
/// with a message rather than a service that never becomes ready.
struct PostgresConnections: Service {
    let database: PostgresDatabase

    func run() async throws {
        try? await gracefulShutdown()
        await database.shutDown()
    }
}
