import BlockingWork
import Foundation
import Gauges
import Storage
import TestSupport
import Testing
import Warnings

@testable import PostgresStore

extension PostgresStoreSuite {
    /// Leases with fencing (issue 17): one owner at a time, by the database's clock; each taking raises the epoch;
    /// a write under a lease lost stores nothing.
    @Suite("PostgreSQL leases", .timeLimit(.minutes(2)))
    struct PostgresLeasesTests {
        static let start = PostgresOutageTests.start

        @Test("a free lease is taken at epoch 1; while held, another owner is refused; released, it is taken at 2")
        func takeAndRelease() async throws {
            let server = try TestPostgres()
            let database = try await PostgresStoreSuite.migratedStore(on: server, now: Self.start)
            let first = try #require(try await database.acquire("slot-0", owner: "a", for: .seconds(30)))
            #expect(first == Lease(name: "slot-0", owner: "a", epoch: 1))
            #expect(try await database.acquire("slot-0", owner: "b", for: .seconds(30)) == nil)
            #expect(try await database.acquire("slot-1", owner: "b", for: .seconds(30))?.epoch == 1, "leases are apart")
            #expect(try await database.renew(first, for: .seconds(30)))

            try await database.release(first)
            #expect(try await database.renew(first, for: .seconds(30)) == false, "a released lease is not renewed")
            #expect(try await database.acquire("slot-0", owner: "b", for: .seconds(30))?.epoch == 2)
            let holders = try await database.leaseHolders()
            #expect(holders.map(\.name) == ["slot-0", "slot-1"])
            #expect(holders.map(\.owner) == ["b", "b"])
            #expect(holders.allSatisfy { $0.remainingMilliseconds > 20_000 })
            await database.shutDown()
        }

        @Test("an expired lease is taken over at a higher epoch, and its old owner can no longer renew it")
        func expiry() async throws {
            let server = try TestPostgres()
            let database = try await PostgresStoreSuite.migratedStore(on: server, now: Self.start)
            let old = try #require(try await database.acquire("slot-0", owner: "a", for: .milliseconds(500)))
            #expect(try await database.acquire("slot-0", owner: "b", for: .seconds(30)) == nil)
            try await Task.sleep(for: .milliseconds(700))
            #expect(try await database.renew(old, for: .seconds(30)) == false, "expired: its owner should have stopped")
            let taken = try #require(try await database.acquire("slot-0", owner: "b", for: .seconds(30)))
            #expect(taken.epoch == old.epoch + 1)
            #expect(try await database.renew(old, for: .seconds(30)) == false)
            #expect(try await database.renew(taken, for: .seconds(30)))
            await database.shutDown()
        }

        @Test("a slot's batch commits under its lease; after a takeover, its old owner's batch stores nothing")
        func fencedBatch() async throws {
            let server = try TestPostgres()
            let database = try await PostgresStoreSuite.migratedStore(on: server, now: Self.start)
            let old = try #require(try await database.acquire("slot-0", owner: "a", for: .milliseconds(500)))
            let paused = SlotStore(database, lease: old)
            try await BlockingWork.onOwnThread(name: "slot-a") {
                _ = try paused.store(PostgresOutageTests.batch(0)) { _, _, _ in EngineResult() }
            }
            // Instance a pauses past its lease (SIGSTOP); b takes the slot over and stores.
            try await Task.sleep(for: .milliseconds(700))
            let taken = try #require(try await database.acquire("slot-0", owner: "b", for: .seconds(30)))
            let successor = SlotStore(database, lease: taken)
            try await BlockingWork.onOwnThread(name: "slot-b") {
                _ = try successor.store(PostgresOutageTests.batch(1)) { _, _, _ in EngineResult() }
            }

            // a wakes and writes a batch and a finding of its engine: neither is stored.
            let refused = await #expect(throws: LeaseLost.self) {
                try await BlockingWork.onOwnThread(name: "slot-a") {
                    _ = try paused.store(PostgresOutageTests.batch(2)) { _, _, _ in EngineResult() }
                }
            }
            #expect(refused?.lease == old)
            #expect(throws: LeaseLost.self) {
                try paused.store(EngineResult(suspect: [PostgresOutageTests.reading(1)]), createdAt: Self.start)
            }
            #expect(try server.psql("SELECT string_agg(seq::text, ',' ORDER BY seq) FROM readings") == "0,1")
            #expect(try server.psql("SELECT count(*) FROM readings WHERE quality <> 0") == "0")
            await paused.close()
            await successor.close()
            await database.shutDown()
        }

        @Test("a takeover waits for a batch in flight under the old lease, which commits first")
        func takeoverWaitsForTheWriteInFlight() async throws {
            let server = try TestPostgres()
            let database = try await PostgresStoreSuite.migratedStore(on: server, now: Self.start)
            let old = try #require(try await database.acquire("slot-0", owner: "a", for: .milliseconds(500)))
            let slow = SlotStore(database, lease: old)
            // The batch's fence is checked while the lease holds; its engine then takes a second, past the expiry.
            let writing = Self.slowBatch(on: slow, engineSeconds: 1)
            try await Task.sleep(for: .milliseconds(700))
            let asked = ContinuousClock.now
            let taken = try await database.acquire("slot-0", owner: "b", for: .seconds(30))
            let waited = ContinuousClock.now - asked
            #expect(try await writing.value == 1, "the write in flight committed")
            #expect(taken?.epoch == 2, "then the lease was taken over")
            #expect(waited >= .milliseconds(150), "the taking waited for the write's commit: \(waited)")
            await slow.close()
            await database.shutDown()
        }

        @Test("its owner renews a lease at once while a batch is in flight under it, however long the batch takes")
        func renewalDoesNotWaitForTheWrite() async throws {
            let server = try TestPostgres()
            let database = try await PostgresStoreSuite.migratedStore(on: server, now: Self.start)
            let lease = try #require(try await database.acquire("slot-0", owner: "a", for: .seconds(30)))
            let slow = SlotStore(database, lease: lease)
            // The batch holds its fence for 3 s, three times the renewal's lock timeout.
            let writing = Self.slowBatch(on: slow, engineSeconds: 3)
            try await Task.sleep(for: .milliseconds(500))
            let asked = ContinuousClock.now
            let renewed = try await database.renew(lease, for: .seconds(30))
            let took = ContinuousClock.now - asked
            #expect(renewed, "renewed while the batch writes")
            #expect(took < .milliseconds(900), "without waiting for the batch: \(took)")
            #expect(try await writing.value == 1, "and the batch committed under the renewed lease")
            await slow.close()
            await database.shutDown()
        }

        /// One reading stored through `slot` on a thread of its own, its warning engine taking `engineSeconds`:
        /// the batch's transaction, fence checked, stays open that long. Gives the readings stored.
        static func slowBatch(on slot: SlotStore, engineSeconds: UInt32) -> Task<Int, any Error> {
            Task {
                try await BlockingWork.onOwnThread(name: "slot-a") {
                    try slot.store(PostgresOutageTests.batch(0)) { _, _, _ in
                        sleep(engineSeconds)
                        return EngineResult()
                    }.stored
                }
            }
        }
    }
}
