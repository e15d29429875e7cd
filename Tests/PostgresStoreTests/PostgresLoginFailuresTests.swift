import HTTPAPI
import TestSupport
import Testing

@testable import PostgresStore

extension PostgresStoreSuite {
    /// Failed HTTP authentications counted in the shared database: two instances on one PostgreSQL refuse together.
    @Suite("PostgreSQL failed logins", .timeLimit(.minutes(2)))
    struct PostgresLoginFailuresTests {
        @Test("failures on one instance block the address on the other; the window ends for both; others unaffected")
        func sharedBetweenInstances() async throws {
            let server = try TestPostgres()
            let now: Int64 = 1_796_558_400_000
            let store = try await PostgresStoreSuite.migratedStore(on: server, now: now)
            let second = try await PostgresStoreSuite.migratedStore(on: server, now: now)
            let one = FailedLogins(limit: 3, windowSeconds: 60, shared: store)
            let other = FailedLogins(limit: 3, windowSeconds: 60, shared: second)

            #expect(await one.recordFailure("203.0.113.9", now: now) == 1)
            #expect(await other.recordFailure("203.0.113.9", now: now + 1000) == 2)
            #expect(await other.blockedFor("203.0.113.9", now: now + 2000) == nil, "two failures: not yet")
            #expect(await one.recordFailure("203.0.113.9", now: now + 2000) == 3)
            #expect(await other.blockedFor("203.0.113.9", now: now + 3000) == 57, "blocked where it never failed")
            #expect(await one.blockedFor("198.51.100.7", now: now + 3000) == nil, "another address may try")
            #expect(await other.blockedFor("203.0.113.9", now: now + 61_000) == nil, "the window is over")
            await store.shutDown()
            await second.shutDown()
        }
    }
}
