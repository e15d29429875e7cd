import BlockingWork
import Foundation
import Gauges
import Storage
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

        static func batch(_ step: Int64) -> IngestBatch {
            StoreFixtures.batch(
                [Reading(station: "cau-lau", sensor: .level, timestamp: start + step * 300_000, value: 2, seq: step)],
                receivedAt: start + step * 300_000 + 1000)
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
    }
}
