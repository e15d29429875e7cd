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
        made += 1
        let name = "drain_\(made)"
        try server.psql("CREATE DATABASE \(name)", database: "postgres")
        return "postgres://postgres@127.0.0.1:\(server.port)/\(name)"
    }

    func stop() {
        server.stop(.fast)
    }
}
