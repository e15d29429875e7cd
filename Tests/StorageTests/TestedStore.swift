import Alerts
import BlockingWork
import Foundation
import GRDB
import Gauges
import PostgresStore
import Storage
import TestSupport
import Warnings

/// One test's store, known through the protocols the services know it by (`IngestStore`, `AlertStore`,
/// `BulletinStore`), and what a test needs to look inside it: its tables read with SQL, a write refused on purpose,
/// a restart.
///
/// The blocking protocols' methods appear here as `async`: each runs on a thread of its own
/// (`BlockingWork.onOwnThread`), as on the ingest and alert threads, never on Swift's cooperative pool, where the
/// PostgreSQL store's wait for its own asynchronous work could starve. Made by `StoreKind.withStore`, used by one
/// test at a time.
final class TestedStore {
    typealias Store = any IngestStore & AlertStore & BulletinStore

    let kind: StoreKind
    /// The store now open: another one after `reopen()`.
    private(set) var underlying: Store
    let location: Location

    enum Location {
        case file(folder: String)
        case postgres(TestPostgres, database: String)
    }

    private init(kind: StoreKind, underlying: Store, location: Location) {
        self.kind = kind
        self.underlying = underlying
        self.location = location
    }

    /// A fresh store of `kind`: a new SQLite file, or a new database on the shared PostgreSQL server, migrated.
    static func open(_ kind: StoreKind, catalogue: StationCatalogue) async throws -> TestedStore {
        let tested: TestedStore
        switch kind {
        case .sqlite:
            let folder = try TestPaths.temporaryDirectory("storage")
            let database = try await BlockingWork.onOwnThread(name: "sqlite-open") {
                try FloodDatabase(path: folder + "/floodwatch.sqlite")
            }
            tested = TestedStore(kind: kind, underlying: database, location: .file(folder: folder))
        case .postgres:
            let (server, name) = try await BlockingWork.onOwnThread(name: "postgres-database") {
                try SharedPostgres.newDatabase()
            }
            tested = TestedStore(
                kind: kind, underlying: try await Self.openPostgres(name, on: server),
                location: .postgres(server, database: name))
        }
        do {
            try await tested.synchronizeStations(catalogue, now: 0)
        } catch {
            await tested.close()
            throw error
        }
        return tested
    }

    /// The store on database `name` of `server`, migrated (its months of readings created around now).
    private static func openPostgres(_ name: String, on server: TestPostgres) async throws -> PostgresDatabase {
        let database = PostgresDatabase(
            try PostgresLocation(url: "postgres://postgres@127.0.0.1:\(server.port)/\(name)"))
        do {
            try await database.migrate(now: Int64(Date().timeIntervalSince1970 * 1000))
        } catch {
            await database.shutDown()
            throw error
        }
        return database
    }

    /// The SQLite store, for what only it has (`deliveryLog`, how a value is kept); nil on PostgreSQL.
    var sqlite: FloodDatabase? { underlying as? FloodDatabase }

    /// Closes the store as at the end of `serve`, then opens the same file or database again, as a restart does.
    func reopen() async throws {
        switch location {
        case .file(let folder):
            let path = folder + "/floodwatch.sqlite"
            sqlite?.shutDown()
            underlying = try await BlockingWork.onOwnThread(name: "sqlite-open") { try FloodDatabase(path: path) }
        case .postgres(let server, let name):
            await (underlying as? PostgresDatabase)?.shutDown()
            underlying = try await Self.openPostgres(name, on: server)
        }
    }

    /// Shuts the store down and removes its file. A PostgreSQL database is left to go with the server's folder at
    /// the process's exit: dropping it forces a checkpoint, which cost each test more than its own work.
    func close() async {
        switch location {
        case .file(let folder):
            sqlite?.shutDown()
            try? FileManager.default.removeItem(atPath: folder)
        case .postgres:
            await (underlying as? PostgresDatabase)?.shutDown()
        }
    }

    // MARK: Writes not in the protocols

    /// The catalogue written to `stations` and `sensors`, as `serve` does at start.
    func synchronizeStations(_ catalogue: StationCatalogue, now: Int64) async throws {
        switch underlying {
        case let database as FloodDatabase:
            try await BlockingWork.onOwnThread(name: "sqlite-stations") {
                try database.synchronizeStations(catalogue, now: now)
            }
        case let database as PostgresDatabase:
            try await database.synchronizeStations(catalogue, now: now)
        default:
            preconditionFailure("a store of neither kind")
        }
    }

    /// Readings put in without the warning engine, returning how many were new. On SQLite its bulk import
    /// (`importReadings`, which the benchmarks' histories use); PostgreSQL has none, so a batch stands in.
    @discardableResult
    func importReadings(_ readings: [Reading], receivedAt: Int64) async throws -> Int {
        if let database = sqlite {
            return try await BlockingWork.onOwnThread(name: "sqlite-import") {
                try database.importReadings(readings, receivedAt: receivedAt)
            }
        }
        return try await store(StoreFixtures.batch(readings, receivedAt: receivedAt)).stored
    }

    // MARK: IngestStore, off the cooperative pool

    private func blocking<Result: Sendable>(_ body: @escaping @Sendable (Store) throws -> Result) async throws
        -> Result
    {
        let store = underlying
        return try await BlockingWork.onOwnThread(name: "storage-test") { try body(store) }
    }

    /// `IngestStore.store(_:evaluateNumbered:)`, `evaluate` given the new readings and the gap changes.
    @discardableResult
    func store(
        _ batch: IngestBatch, evaluate: ([Reading], [GapChange]) -> EngineResult = { _, _ in EngineResult() }
    ) async throws -> IngestOutcome {
        try await withoutActuallyEscaping(evaluate) { evaluate in
            let lent = Lent(evaluate)
            defer { lent.takeBack() }
            return try await blocking { store in
                try store.store(batch) { readings, _, changes in lent.value(readings, changes) }
            }
        }
    }

    func store(_ result: EngineResult, createdAt: Int64) async throws {
        try await blocking { try $0.store(result, createdAt: createdAt) }
    }

    // MARK: AlertStore, off the cooperative pool

    func newNotices() async throws -> [Notice] {
        try await blocking { try $0.newNotices() }
    }

    /// A notice, through `notices(_:)`.
    func notice(_ id: Int64) async throws -> Notice? {
        try await blocking { try $0.notices([id])[id] }
    }

    func route(_ routes: [(notice: Int64, targets: [DeliveryTarget])], now: Int64) async throws {
        try await blocking { try $0.route(routes, now: now) }
    }

    func group(_ members: [Int64], now: Int64, targets: @escaping @Sendable (Notice) -> [DeliveryTarget])
        async throws -> Notice?
    {
        try await blocking { try $0.group(members, now: now, targets: targets) }
    }

    @discardableResult
    func addReminders(now: Int64, intervalMilliseconds: Int64, minimumLevel: Int) async throws -> Int {
        try await blocking {
            try $0.addReminders(now: now, intervalMilliseconds: intervalMilliseconds, minimumLevel: minimumLevel)
        }
    }

    func dueDeliveries(_ channel: AlertChannel, target: String? = nil, now: Int64) async throws -> [PendingDelivery] {
        try await blocking { try $0.dueDeliveries(channel, target: target, now: now) }
    }

    func record(_ outcomes: [DeliveryRecord]) async throws {
        try await blocking { try $0.record(outcomes) }
    }

    func activeWarnings() async throws -> [ActiveWarning] {
        try await blocking { try $0.activeWarnings() }
    }

    // MARK: HistoryStore and BulletinStore (asynchronous already)

    func readingBuckets(station: String, sensor: String, from: Int64, to: Int64, stepSeconds: Int) async throws
        -> [ReadingBucket]
    {
        try await underlying.readingBuckets(
            station: station, sensor: sensor, from: from, to: to, stepSeconds: stepSeconds)
    }

    func latest(station: String, sensor: String, at time: Int64) async throws
        -> (StoredReading, hourBefore: StoredReading?)?
    {
        try await underlying.latest(station: station, sensor: sensor, at: time)
    }

    func total(station: String, sensor: String, after: Int64, through: Int64) async throws -> (sum: Double, count: Int)
    {
        try await underlying.total(station: station, sensor: sensor, after: after, through: through)
    }

    func activeWarningsAsync() async throws -> [ActiveWarning] {
        try await underlying.activeWarningsAsync()
    }

    func activeWarnings(at time: Int64) async throws -> [ActiveWarning] {
        try await underlying.activeWarnings(at: time)
    }

    func acknowledgeAsync(warning: Int64, by officer: String, note: String?, from origin: String?, at now: Int64)
        async throws -> StoredWarningEvent
    {
        try await underlying.acknowledgeAsync(warning: warning, by: officer, note: note, from: origin, at: now)
    }

    func installationID() async throws -> String {
        try await underlying.installationID()
    }
}

/// The engine's `evaluate` closure handed to the thread that stores the batch, though it is not `Sendable`: sound
/// because the test's task waits for that thread, so the closure is never used from two threads at once, nor after
/// `store` returned (the lender takes it back).
private final class Lent<Value>: @unchecked Sendable {
    private var lent: Value?

    init(_ value: Value) { lent = value }

    var value: Value { lent! }

    func takeBack() { lent = nil }
}
