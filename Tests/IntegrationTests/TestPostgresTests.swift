import Foundation
import TestSupport
import Testing

/// The PostgreSQL server the tests of the PostgreSQL store start (`TestPostgres`): a real server of its own, on a
/// free loopback port, that keeps what it committed through a crash of the server.
@Suite("Test PostgreSQL server", .timeLimit(.minutes(2)), .blockingAllowed, .takingTurns)
struct TestPostgresTests {
    @Test("a server of its own on a free loopback port keeps a committed row through an immediate stop")
    func committedRowSurvivesImmediateStop() throws {
        let server = try TestPostgres()
        #expect(try server.psql("SELECT current_database()") == TestPostgres.database)
        #expect(try server.psql("SHOW server_version").hasPrefix("15."))
        try server.psql("CREATE TABLE readings (ts bigint PRIMARY KEY, value double precision NOT NULL)")
        try server.psql("INSERT INTO readings VALUES (1700000000000, 4.02)")

        // SIGQUIT: the server exits without a checkpoint, as in a crash; the next start replays its log.
        server.stop(.immediate)
        #expect(!server.isRunning)
        #expect(!server.ready())
        try server.start()
        #expect(try server.psql("SELECT ts, value FROM readings") == "1700000000000|4.02")
        #expect(server.log.contains("database system was interrupted"))
    }

    @Test("two servers run side by side, each with its own port and data")
    func twoServers() throws {
        let first = try TestPostgres()
        let second = try TestPostgres()
        #expect(first.port != second.port)
        try first.psql("CREATE TABLE only_here (id int)")
        #expect(try first.psql("SELECT count(*) FROM pg_tables WHERE tablename = 'only_here'") == "1")
        #expect(try second.psql("SELECT count(*) FROM pg_tables WHERE tablename = 'only_here'") == "0")
        #expect(first.url == "postgres://postgres@127.0.0.1:\(first.port)/floodwatch")
    }
}
