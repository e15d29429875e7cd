import Catalogue
import Foundation
import GRDB
import Gauges
import Ingestion
import Logging
import MetricsTestKit
import Storage
import TestSupport

/// The bundled station catalogue, loaded once.
let bundledCatalogue: StationCatalogue = {
    do {
        return try CatalogueLoader.load(path: TestPaths.catalogue)
    } catch {
        fatalError("bundled catalogue does not load: \(error)")
    }
}()

/// FloodWatch's ingest service running in this process against a test broker, with its own database file
/// and metrics, so a test can look at all three.
final class InProcessService: @unchecked Sendable {
    let database: FloodDatabase
    let metrics = TestMetrics()
    let service: IngestService
    private var task: Task<Void, any Error>?

    init(
        broker: TestBroker, clientID: String = "floodwatch-test", databasePath: String? = nil,
        catalogue: StationCatalogue = bundledCatalogue, configure: (inout IngestConfiguration) -> Void = { _ in }
    ) throws {
        let path = try databasePath ?? (TestPaths.temporaryDirectory("db") + "/floodwatch.sqlite")
        database = try FloodDatabase(path: path)
        try database.synchronizeStations(catalogue, now: WallClock.system())
        var logger = Logger(label: "floodwatch-test")
        logger.logLevel = .critical
        var configuration = IngestConfiguration(broker: broker.configuration(clientID: clientID))
        configure(&configuration)
        service = IngestService(
            configuration: configuration,
            catalogue: catalogue, database: database, logger: logger, metricsFactory: metrics)
    }

    /// Starts the service and waits until it is subscribed.
    func start() async throws {
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
    }

    /// A read of the service's database (synchronous, so usable in test expressions).
    func query<T>(_ body: (Database) throws -> T) throws -> T {
        try database.reader.read(body)
    }

    func readingCount() throws -> Int {
        try query { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM readings") ?? 0 }
    }

    func rejectedRows() throws -> [Row] {
        try query { try Row.fetchAll($0, sql: "SELECT * FROM rejected ORDER BY id") }
    }

    func rejectedCount(code: String) throws -> Int {
        try query {
            try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM rejected WHERE reason_code = ?", arguments: [code]) ?? 0
        }
    }

    /// Value of `floodwatch_rejected_total{reason=code}`.
    func rejectedMetric(_ code: String) -> Int64 {
        metrics.counterTotal(label: "floodwatch_rejected_total", dimensions: [("reason", code)])
    }
}
