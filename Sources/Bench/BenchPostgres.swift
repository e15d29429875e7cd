import TestSupport

/// A PostgreSQL 15 server of the benchmark's own, started as the tests start theirs (`TestPostgres`: Debian's
/// binaries, a temporary cluster, a free loopback port, `fsync` on), with a new database for each drain.
final class BenchPostgres {
    private let server: TestPostgres
    private var made = 0

    init() throws {
        server = try TestPostgres()
    }

    /// The URL of a new, empty database.
    func newDatabase() throws -> String {
        try newNamedDatabase().url
    }

    /// A new, empty database: its name (for `psql`) and URL.
    func newNamedDatabase() throws -> (name: String, url: String) {
        made += 1
        let name = "drain_\(made)"
        try server.psql("CREATE DATABASE \(name)", database: "postgres")
        return (name, "postgres://postgres@127.0.0.1:\(server.port)/\(name)")
    }

    /// The answer of `sql` in database `name`, as `psql` prints it unaligned.
    func psql(_ sql: String, database name: String) throws -> String {
        try server.psql(sql, database: name)
    }

    func stop() {
        server.stop(.fast)
    }
}
