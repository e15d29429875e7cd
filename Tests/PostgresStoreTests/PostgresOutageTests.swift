import BlockingWork
import Foundation
import Gauges
import Storage
import Synchronization
import TestSupport
import Testing
import Warnings

@testable import PostgresStore

extension PostgresStoreSuite {
    /// PostgreSQL gone in the middle of the stream, as after a crash of its machine: the ingest path's call fails
    /// in bounded time with an error that says what is wrong (so the service retries and tells why), and the store
    /// works again, by itself, once the server is back.
    @Suite("PostgreSQL stopped and started", .timeLimit(.minutes(2)))
    struct PostgresOutageTests {
        static let start: Int64 = 1_796_558_400_000

        /// Cẩu Lâu's level at `step` five-minute steps from `start`, counted `step`.
        static func reading(_ step: Int64) -> Reading {
            Reading(station: "cau-lau", sensor: .level, timestamp: start + step * 300_000, value: 2, seq: step)
        }

        static func batch(_ step: Int64) -> IngestBatch {
            StoreFixtures.batch([reading(step)], receivedAt: start + step * 300_000 + 1000)
        }

        /// Ends every session on the test database but `psql`'s own, as an operator's `pg_terminate_backend` or a
        /// server going away between two queries does.
        static func endSessions(on server: TestPostgres) throws {
            _ = try server.psql(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    + "WHERE datname = current_database() AND pid <> pg_backend_pid()")
        }

        @Test("a batch while the server is down fails within seconds, saying so; after its restart batches commit")
        func outage() async throws {
            let server = try TestPostgres()
            let store = try await PostgresStoreSuite.migratedStore(on: server, now: Self.start)
            let ingest: any IngestStore = store
            try await BlockingWork.onOwnThread(name: "ingest") {
                _ = try ingest.store(Self.batch(0)) { _, _, _ in EngineResult() }
            }

            server.stop(.immediate)
            let began = ContinuousClock.now
            let failure = await #expect(throws: (any Error).self) {
                try await BlockingWork.onOwnThread(name: "ingest") {
                    _ = try ingest.store(Self.batch(1)) { _, _, _ in EngineResult() }
                }
            }
            let waited = ContinuousClock.now - began
            #expect(waited < .seconds(10), "failed after \(waited), not after the pool's minute")
            #expect(
                "\(failure.map { "\($0)" } ?? "")".contains("connection"),
                "says what failed: \(String(describing: failure))")

            try server.start()
            // Retried as the ingest path does, from half a second on: the first retry after the restart commits.
            let restarted = ContinuousClock.now
            var stored = false
            for _ in 0..<40 where !stored {
                do {
                    try await BlockingWork.onOwnThread(name: "ingest") {
                        _ = try ingest.store(Self.batch(1)) { _, _, _ in EngineResult() }
                    }
                    stored = true
                } catch {
                    try await Task.sleep(for: .milliseconds(500))
                }
            }
            #expect(stored)
            #expect(ContinuousClock.now - restarted < .seconds(5), "back at once, not at the pool's next attempt")
            await store.shutDown()
            #expect(try server.psql("SELECT count(*) FROM readings") == "2")
        }

        @Test("the server ends the session between two queries of a batch: the batch fails at once, the next commits")
        func sessionEndedMidTransaction() async throws {
            let server = try TestPostgres()
            let store = try await PostgresStoreSuite.migratedStore(on: server, now: Self.start)
            let ingest: any IngestStore = store
            try await BlockingWork.onOwnThread(name: "ingest") {
                _ = try ingest.store(Self.batch(0)) { _, _, _ in EngineResult() }
            }

            // The engine evaluates the batch with its transaction open; meanwhile an operator ends the session
            // (as a failover or a server restart does). Its next query was lost, and the batch waited for ever.
            let evaluated = Mutex<ContinuousClock.Instant?>(nil)
            let failure = await #expect(throws: (any Error).self) {
                try await BlockingWork.onOwnThread(name: "ingest") {
                    _ = try ingest.store(Self.batch(1)) { _, _, _ in
                        try? Self.endSessions(on: server)
                        usleep(500_000)  // the connection sees its end and closes before the next query
                        evaluated.withLock { $0 = .now }
                        return EngineResult()
                    }
                }
            }
            // At once, by `checkedQuery`; not `OwnConnection.strandedAfter` later, when the wait gives it up.
            let waited = ContinuousClock.now - (evaluated.withLock { $0 } ?? .now)
            #expect(waited < .seconds(1), "the next query failed after \(waited)")
            #expect("\(failure.map { "\($0)" } ?? "")".contains("connection closed"), "\(String(describing: failure))")

            try await BlockingWork.onOwnThread(name: "ingest") {
                _ = try ingest.store(Self.batch(1)) { _, _, _ in EngineResult() }
            }
            await store.shutDown()
            #expect(try server.psql("SELECT count(*) FROM readings") == "2")
        }

        @Test("a query lost on a closed connection is given up within seconds; the connection's next caller goes on")
        func lostQueryIsGivenUp() async throws {
            let server = try TestPostgres()
            let store = try await PostgresStoreSuite.migratedStore(on: server, now: Self.start)
            let own = store.ingestConnection
            let began = ContinuousClock.now
            let failure = await #expect(throws: (any Error).self) {
                try await BlockingWork.onOwnThread(name: "ingest") {
                    try waitForAsync(watching: own) {
                        // The stranded task keeps what this closure holds for ever: not the server, which must
                        // stop when the test lets it go. The session ends itself.
                        try await own.withTransaction { [logger = store.logger] connection in
                            _ = try? await connection.query(
                                "SELECT pg_terminate_backend(pg_backend_pid())", logger: logger)
                            while !connection.isClosed { try await Task.sleep(for: .milliseconds(20)) }
                            try await Task.sleep(for: .milliseconds(200))
                            // What `checkedQuery` cannot rule out: the close coming between its check and the
                            // write. PostgresNIO's own `query` on the closed connection is such a lost query.
                            try await connection.query("SELECT 1", logger: logger)
                        }
                    }
                }
            }
            let waited = ContinuousClock.now - began
            #expect(waited < .seconds(6), "given up after \(waited)")
            // Had PostgresNIO failed the query, its caller would have had the answer at once: this says the query
            // was lost, and the wait given up, as it is meant to exercise.
            #expect(waited >= OwnConnection.strandedAfter, "the query got an answer after \(waited)")
            #expect("\(failure.map { "\($0)" } ?? "")".contains("connection closed"), "\(String(describing: failure))")

            let answer = try await BlockingWork.onOwnThread(name: "ingest") {
                try waitForAsync(watching: own) {
                    try await own.withTransaction { connection in
                        try await connection.checkedQuery("SELECT 41 + 1", logger: store.logger).decode(Int.self)
                            .reduce(0, +)
                    }
                }
            }
            #expect(answer == 42, "the turn was handed on and a new connection opened")
            await store.shutDown()
        }
    }
}
