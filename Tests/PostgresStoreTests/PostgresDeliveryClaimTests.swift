import Alerts
import Storage
import TestSupport
import Testing
import Warnings

@testable import PostgresStore

extension PostgresStoreSuite {
    /// Deliveries claimed by the alert dispatcher that sends them (issue 17): on a store several instances share, two
    /// dispatchers (the one that took the `alerts` lease over, and one that slept through losing it) never hold the
    /// same delivery.
    @Suite("PostgreSQL delivery claims", .timeLimit(.minutes(2)))
    struct PostgresDeliveryClaimTests {
        static let claim: Int64 = 30_000

        @Test(
            "a claimed delivery is not due to another dispatcher until its outcome is recorded or its claim ends; rows being claimed are skipped, not waited for"
        )
        func claims() async throws {
            let server = try TestPostgres()
            let database = try await PostgresStoreSuite.migratedStore(on: server, now: 1_796_558_400_000)
            let events = ["cau-lau", "hoi-an", "tra-my"].map {
                PostgresAlertsTests.event($0, .raised, level: 2)
            }
            try await onOwnThread {
                try database.store(EngineResult(events: events), createdAt: 0)
                let notices = try database.newNotices()
                try database.route(notices.map { ($0.id, [DeliveryTarget(.webhook, "sms")]) }, now: 0)
            }
            let all = try await onOwnThread { try database.dueDeliveries(.webhook, now: 0).map(\.id) }
            #expect(all.count == 3)

            // One dispatcher is claiming the first delivery at this moment (its row locked, uncommitted): another
            // claims the rest at once, without waiting for it.
            let other = try await database.pooledTransaction { connection in
                try await connection.checkedQuery(
                    "SELECT id FROM alert_deliveries WHERE id = \(all[0]) FOR UPDATE", logger: database.logger)
                return try await database.claimDueDeliveries(
                    .webhook, target: nil, now: 0, limit: 200, claimMilliseconds: Self.claim
                ).map(\.id)
            }
            #expect(other == Array(all.dropFirst()), "the locked row is skipped")

            let first = try await database.claimDueDeliveries(
                .webhook, target: nil, now: 1_000, limit: 200, claimMilliseconds: Self.claim)
            #expect(first.map(\.id) == [all[0]], "claimed deliveries are not due again while claimed")
            #expect(first.first?.attempts == 0)
            #expect(
                try await database.claimDueDeliveries(
                    .webhook, target: nil, now: 2_000, limit: 200, claimMilliseconds: Self.claim
                ).isEmpty)
            #expect(try await database.nextAttempt(.webhook, target: nil) == Self.claim)

            // The first claimer sends and records one; it dies with the others in hand: they are due again when
            // their claim ends, the one recorded is not.
            try await database.record([.sent(delivery: all[1], at: 3_000)])
            let again = try await database.claimDueDeliveries(
                .webhook, target: nil, now: Self.claim, limit: 200, claimMilliseconds: Self.claim)
            #expect(again.map(\.id) == [all[2]])
            let last = try await database.claimDueDeliveries(
                .webhook, target: nil, now: 1_000 + Self.claim, limit: 200, claimMilliseconds: Self.claim)
            #expect(last.map(\.id) == [all[0]])
            await database.shutDown()
        }
    }
}
