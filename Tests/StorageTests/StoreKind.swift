import Gauges
import TestSupport
import Testing

/// The store a storage test runs on (issue 16): the SQLite file, or PostgreSQL on the server the suite shares
/// (`SharedPostgres`). A test of behaviour both stores promise takes it as an argument,
/// `@Test(arguments: StoreKind.allCases)`, so that one body checks both.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    var testDescription: String {
        switch self {
        case .sqlite: "SQLite"
        case .postgres: "PostgreSQL"
        }
    }

    /// The stations every test's store starts with, as `serve` synchronises its catalogue at start.
    static let catalogue = StationCatalogue(stations: [StoreFixtures.cauLau, StoreFixtures.hoiAn])

    /// Runs `body` with a fresh store of this kind, migrated and given `catalogue`'s stations, and shuts it down
    /// after (`TestedStore.close`), whether `body` threw or not.
    func withStore<Result>(
        catalogue: StationCatalogue = StoreKind.catalogue, _ body: (TestedStore) async throws -> Result
    ) async throws -> Result {
        if self == .postgres { await SharedPostgres.turnstile.enter() }
        let store: TestedStore
        do {
            store = try await TestedStore.open(self, catalogue: catalogue)
        } catch {
            if self == .postgres { await SharedPostgres.turnstile.leave() }
            throw error
        }
        let result: Swift.Result<Result, any Error>
        do {
            result = .success(try await body(store))
        } catch {
            result = .failure(error)
        }
        await store.close()
        if self == .postgres { await SharedPostgres.turnstile.leave() }
        return try result.get()
    }

    /// The SQL for this store, where the two differ (SQLite's `typeof`, PostgreSQL's `bytea`).
    func sql(sqlite: String, postgres: String) -> String {
        switch self {
        case .sqlite: sqlite
        case .postgres: postgres
        }
    }
}
