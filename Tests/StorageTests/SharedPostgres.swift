import Foundation
import Synchronization
import TestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// The PostgreSQL server that the storage tests of one test process share, each store on a database of its own.
///
/// A server costs 2–3 s to start (`initdb`, then the server) and the suite opens some 35 PostgreSQL stores: one
/// server, started when the first store is asked for, and a `CREATE DATABASE` for each store (0.3 s), is far
/// cheaper. A static is never deinitialised, so `TestPostgres`'s deinit would never stop it: the first start
/// registers an `atexit` handler that stops the server and removes its folder, databases and all, when the test
/// process exits.
///
/// Stores are let in a few at a time (`turnstile`): each holds up to three connections (the client's pool, the ingest
/// and the alert connection) and the server takes 100; on two cores more at once would only wait for each other. One
/// test holds two places at once (`InstallationTests`), none more, so the places cannot all be held by waiters.
enum SharedPostgres {
    private static let server = Mutex<TestPostgres?>(nil)

    /// PostgreSQL stores open at once, at most.
    static let turnstile = Turnstile(places: 6)

    /// The server, started now if it is not running yet. Blocking: call it off the cooperative pool.
    static func running() throws -> TestPostgres {
        try server.withLock { server in
            if let server { return server }
            let started = try TestPostgres()
            server = started
            atexit { SharedPostgres.stop() }
            return started
        }
    }

    /// A new, empty database on the server, named for one store: its name (`t_` and 32 hex digits).
    static func newDatabase() throws -> (server: TestPostgres, name: String) {
        let server = try running()
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try server.psql("CREATE DATABASE \(name)", database: "postgres")
        return (server, name)
    }

    /// Stops the server at once and removes its folder (the `atexit` handler).
    private static func stop() {
        guard
            let stopped = server.withLock({ server in
                defer { server = nil }; return server
            })
        else { return }
        stopped.stop(.immediate)
        try? FileManager.default.removeItem(atPath: stopped.directory)
    }
}
