import TestSupport
import Testing

@testable import PostgresStore

/// The suites of this target, run one test at a time: each test starts a PostgreSQL server of its own, and a dozen
/// clusters initialised at once on a 2-core machine slowed the rest of the run (once, an integration test's 500
/// readings took more than 20 s to arrive). Their bodies block (`initdb`, `psql`), so they run off the cooperative
/// pool (`.blockingAllowed`): a test holding one of its two threads for three minutes starved the services that
/// other suites started.
@Suite(.serialized, .blockingAllowed) enum PostgresStoreSuite {}

extension PostgresStoreSuite {
    /// The store on `server`, migrated as of `now` (its months of readings created around it).
    static func migratedStore(on server: TestPostgres, now: Int64) async throws -> PostgresDatabase {
        let database = PostgresDatabase(try PostgresLocation(url: server.url))
        try await database.migrate(now: now)
        return database
    }
}
