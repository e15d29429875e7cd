import Foundation
import GRDB
import Synchronization
import TestSupport

/// A PostgreSQL database of one test's own, on a server that the tests running at the same time share.
///
/// Starting a server costs about a second and a half of the two cores (`initdb`, then the server), and the bad-input
/// suite alone runs 28 cases at once on each store: one server with a database for each case is cheaper than 28
/// servers. The server is held by the databases given out, never by a global: when the last of them is let go,
/// `TestPostgres`'s deinit stops it, so no server outlives the tests that used it (the next test starts another).
///
/// At most `limit` databases are in use at once, the other tests waiting their turn (`make()`): each in-process
/// service holds a few connections (its pool's, its ingest path's, the test's `psql`) and the server takes 100. With
/// the whole suite running, 30 services at once ran out of them: "too many clients", ingest stalled, and a pool
/// retrying its connections never finished shutting down.
final class PostgresTestDatabase: Sendable {
    let server: TestPostgres
    let name: String

    /// Databases in use at once.
    static let limit = 6

    /// `--database` of `floodwatch serve`, or `PostgresLocation(url:)`, for this database.
    var url: String { "postgres://postgres@127.0.0.1:\(server.port)/\(name)" }

    /// A new, empty database on the shared server (started now if none runs), once fewer than `limit` are in use.
    static func make() async throws -> PostgresTestDatabase {
        await turns.enter()
        do {
            return try PostgresTestDatabase()
        } catch {
            await turns.leave()
            throw error
        }
    }

    private init() throws {
        let (server, number) = try Self.shared.withLock { shared in
            shared.made += 1
            if let server = shared.server { return (server, shared.made) }
            let server = try TestPostgres()
            shared.server = server
            return (server, shared.made)
        }
        self.server = server
        name = "test_\(number)"
        try server.psql("CREATE DATABASE \(name)", database: "postgres")
    }

    deinit {
        Task { [turns = Self.turns] in await turns.leave() }
    }

    /// What `psql` prints for `sql` in this database (`TestPostgres.psql`).
    @discardableResult
    func psql(_ sql: String) throws -> String {
        try server.psql(sql, database: name)
    }

    /// The rows of a query in this database (`TestPostgres.rows`).
    func rows(_ sql: String) throws -> [Row] {
        try server.rows(sql, database: name)
    }

    /// The server while any database on it is held: a weak reference, so that letting the last one go stops it.
    private static let shared = Mutex(Shared())

    private struct Shared {
        weak var server: TestPostgres?
        /// Databases made so far, for unique names.
        var made = 0
    }

    private static let turns = Turnstile(places: limit)
}
