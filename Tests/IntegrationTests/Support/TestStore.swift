import TestSupport
import Testing

/// The store a test runs the service on (issue 16): the SQLite file, or PostgreSQL on a server the test starts.
/// Tests of promises both stores keep take it as an argument, `@Test(arguments: TestStore.allCases)`, so that one
/// body checks both.
enum TestStore: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    var testDescription: String {
        switch self {
        case .sqlite: "SQLite"
        case .postgres: "PostgreSQL"
        }
    }

    /// `floodwatch serve` on this store: on PostgreSQL, on a server of its own (`ServiceProcess.postgres`, which
    /// stops when the service value is let go), since these tests kill and restart the service, or the server.
    func serviceProcess(broker: TestBroker) throws -> ServiceProcess {
        switch self {
        case .sqlite: try ServiceProcess(broker: broker)
        case .postgres: try ServiceProcess(broker: broker, postgres: TestPostgres())
        }
    }

    /// The SQL for this store, where the two differ (`PRAGMA`, casts, `bytea`).
    func sql(sqlite: String, postgres: String) -> String {
        switch self {
        case .sqlite: sqlite
        case .postgres: postgres
        }
    }
}
