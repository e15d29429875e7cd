import Catalogue
import Foundation
import GRDB
import Gauges
import Ingestion
import Logging
import MetricsTestKit
import PostgresStore
import Storage
import Synchronization
import TestSupport

/// The bundled station catalogue, loaded once.
let bundledCatalogue: StationCatalogue = {
    do {
        return try CatalogueLoader.load(path: TestPaths.catalogue)
    } catch {
        fatalError("bundled catalogue does not load: \(error)")
    }
}()

/// FloodWatch's ingest service running in this process against a test broker, with its own database and metrics,
/// so a test can look at all three. The database is a SQLite file, or a PostgreSQL database of the test's own
/// (`init(on:broker:)`); the query helpers (`rows`, `count`, `readingCount`, `rejectedRows`, `rejectedCount`) read
/// either, `query` only the file.
final class InProcessService: @unchecked Sendable {
    /// Where the service stores.
    enum Store {
        case sqlite(FloodDatabase)
        /// The store and its database on the shared test server, held as long as the service.
        case postgres(PostgresDatabase, PostgresTestDatabase)
    }

    let store: Store
    let metrics = TestMetrics()
    let service: IngestService
    private var task: Task<Void, any Error>?
    /// PostgreSQL's connections were closed (`stop`): PostgresNIO requires it before a connection is let go.
    private var closed = false

    /// The service on a SQLite file: a new one, or the file at `databasePath` (a restart of the service).
    convenience init(
        broker: TestBroker, clientID: String = "floodwatch-test", databasePath: String? = nil,
        catalogue: StationCatalogue = bundledCatalogue, configure: (inout IngestConfiguration) -> Void = { _ in }
    ) throws {
        let path = try databasePath ?? (TestPaths.temporaryDirectory("db") + "/floodwatch.sqlite")
        let database = try FloodDatabase(path: path)
        try database.synchronizeStations(catalogue, now: WallClock.system())
        self.init(
            store: .sqlite(database), broker: broker, clientID: clientID, catalogue: catalogue, configure: configure)
    }

    /// The service on a new database of `store`: a SQLite file, or a PostgreSQL database migrated and loaded with
    /// the catalogue as `serve` does it.
    convenience init(
        on store: TestStore, broker: TestBroker, clientID: String = "floodwatch-test",
        catalogue: StationCatalogue = bundledCatalogue, configure: (inout IngestConfiguration) -> Void = { _ in }
    ) async throws {
        switch store {
        case .sqlite:
            try self.init(broker: broker, clientID: clientID, catalogue: catalogue, configure: configure)
        case .postgres:
            let server = try await PostgresTestDatabase.make()
            var logger = Logger(label: "floodwatch-test-postgres")
            logger.logLevel = .critical
            let database = PostgresDatabase(try PostgresLocation(url: server.url), logger: logger)
            do {
                try await database.migrate(now: WallClock.system())
                try await database.synchronizeStations(catalogue, now: WallClock.system())
            } catch {
                await database.shutDown()
                throw error
            }
            self.init(
                store: .postgres(database, server), broker: broker, clientID: clientID, catalogue: catalogue,
                configure: configure)
        }
    }

    private init(
        store: Store, broker: TestBroker, clientID: String, catalogue: StationCatalogue,
        configure: (inout IngestConfiguration) -> Void
    ) {
        self.store = store
        var logger = Logger(label: "floodwatch-test")
        logger.logLevel = .critical
        var configuration = IngestConfiguration(broker: broker.configuration(clientID: clientID))
        configure(&configuration)
        let database: any IngestStore =
            switch store {
            case .sqlite(let database): database
            case .postgres(let database, _): database
            }
        service = IngestService(
            configuration: configuration,
            catalogue: catalogue, database: database, logger: logger, metricsFactory: metrics)
    }

    /// A test that ended before `stop` (a failed `#require`, a thrown error) still closes PostgreSQL's connections,
    /// after the service stopped, and only then lets its database, and so perhaps the server, go: each wait bounded,
    /// so that the server is stopped before the run ends whatever happened.
    deinit {
        guard case .postgres(let database, let server) = store, !closed else { return }
        let service = self.service
        let task = self.task
        Task {
            service.stop()
            _ = await Self.within(seconds: 20) { _ = try? await task?.value }
            _ = await Self.within(seconds: 20) { await database.shutDown() }
            withExtendedLifetime(server) {}
        }
    }

    /// The SQLite file, for tests that run on it only.
    var database: FloodDatabase {
        get throws {
            guard case .sqlite(let database) = store else {
                throw TestFailure("this test reads the SQLite file, and the service stores in PostgreSQL")
            }
            return database
        }
    }

    /// Starts the service and waits until it is subscribed. On PostgreSQL, a service stopped is not started again:
    /// its connections are closed.
    func start() async throws {
        guard !closed else { throw TestFailure("the service's PostgreSQL connections are closed") }
        let service = self.service
        task = Task { try await service.run() }
        // Generous: on a fresh clone's first run dozens of brokers and services start at once on two cores.
        guard try await eventually(timeoutSeconds: 30, { service.status.subscribed }) else {
            throw TestFailure("the ingest service did not subscribe at the broker")
        }
    }

    func stop() async throws {
        service.stop()
        try await task?.value
        task = nil
        if case .postgres(let database, _) = store, !closed {
            closed = true
            try await Self.shutDown(database)
        }
    }

    /// Closes PostgreSQL's connections, or fails the test after 20 s: a shutdown that never ends (the client's pool
    /// still retrying a connection) would otherwise keep the whole run waiting past every time limit.
    private static func shutDown(_ database: PostgresDatabase) async throws {
        guard await within(seconds: 20, { await database.shutDown() }) else {
            throw TestFailure("the PostgreSQL store's connections did not close within 20 s")
        }
    }

    /// Whether `work` ended within `seconds`; if not, it is left running and this returns false.
    private static func within(seconds: Int, _ work: @escaping @Sendable () async -> Void) async -> Bool {
        await withCheckedContinuation { continuation in
            let first = FirstAnswer(continuation)
            Task {
                await work()
                first.answer(true)
            }
            Task {
                try? await Task.sleep(for: .seconds(seconds))
                first.answer(false)
            }
        }
    }

    /// Resumes a continuation with the first of several answers.
    private final class FirstAnswer: Sendable {
        private let continuation: Mutex<CheckedContinuation<Bool, Never>?>

        init(_ continuation: CheckedContinuation<Bool, Never>) {
            self.continuation = Mutex(continuation)
        }

        func answer(_ value: Bool) {
            continuation.withLock { $0.take() }?.resume(returning: value)
        }
    }

    /// A read of the SQLite file (synchronous, so usable in test expressions); `rows` reads either store.
    func query<T>(_ body: (Database) throws -> T) throws -> T {
        try database.reader.read(body)
    }

    /// The rows of a query on whichever store the service writes: SQL both stores share (docs/storage.md).
    func rows(_ sql: String) throws -> [Row] {
        switch store {
        case .sqlite(let database): try database.reader.read { try Row.fetchAll($0, sql: sql) }
        case .postgres(_, let server): try server.rows(sql)
        }
    }

    /// The number a query of one number gives, on whichever store the service writes.
    func count(_ sql: String) throws -> Int {
        switch store {
        case .sqlite(let database):
            return try database.reader.read { try Int.fetchOne($0, sql: sql) ?? 0 }
        case .postgres(_, let server):
            let text = try server.psql(sql)
            guard let number = Int(text) else { throw TestFailure("\(sql) gave '\(text)'") }
            return number
        }
    }

    func readingCount() throws -> Int {
        try count("SELECT COUNT(*) FROM readings")
    }

    /// What was refused, oldest first, with SQLite's columns: on PostgreSQL `payload` is the text when the bytes
    /// are valid UTF-8 (`payload_text`), else the bytes (`payload`, `bytea`), as SQLite keeps TEXT or a BLOB.
    func rejectedRows() throws -> [Row] {
        guard case .postgres(_, let server) = store else {
            return try rows("SELECT * FROM rejected ORDER BY id")
        }
        return try server.rows(
            """
            SELECT id, received_at, topic, station, sensor, reason_code, reason, payload_text,
                   encode(payload, 'hex') AS payload_hex, payload_bytes
            FROM rejected ORDER BY id
            """
        ).map { row in
            var values: [String: (any DatabaseValueConvertible)?] = [:]
            for (column, value) in row where column != "payload_text" && column != "payload_hex" {
                values[column] = value
            }
            let hex: String? = row["payload_hex"]
            values["payload"] = row["payload_text"] as String? ?? hex.map(Self.bytes(hex:))
            return Row(values)
        }
    }

    func rejectedCount(code: String) throws -> Int {
        guard code.allSatisfy({ $0.isLetter || $0 == "_" }) else { throw TestFailure("not a reason code: \(code)") }
        return try count("SELECT COUNT(*) FROM rejected WHERE reason_code = '\(code)'")
    }

    /// Value of `floodwatch_rejected_total{reason=code}`.
    func rejectedMetric(_ code: String) -> Int64 {
        metrics.counterTotal(label: "floodwatch_rejected_total", dimensions: [("reason", code)])
    }

    /// The bytes of PostgreSQL's `encode(…, 'hex')`.
    private static func bytes(hex: String) -> Data {
        let digits = Array(hex.utf8)
        return Data(
            stride(from: 0, to: digits.count - 1, by: 2).map { index in
                UInt8(String(decoding: digits[index..<index + 2], as: UTF8.self), radix: 16) ?? 0
            })
    }
}
