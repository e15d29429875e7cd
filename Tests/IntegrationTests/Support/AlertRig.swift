import Alerting
import Alerts
import Foundation
import GRDB
import Gauges
import Ingestion
import Logging
import MQTT
import MetricsTestKit
import Storage
import TestSupport

/// FloodWatch's ingest and alert services in this process, with a real broker, real receivers and a real
/// database file; either service can be stopped and started again on the same file, as a restart would.
final class AlertRig: @unchecked Sendable {
    let broker: TestBroker
    let receivers: AlertReceivers
    let databasePath: String
    let catalogue: StationCatalogue
    let configureIngest: (inout IngestConfiguration) -> Void
    var configuration: AlertConfiguration
    /// The alert service's counters, kept across restarts of the rig.
    let alertMetrics = TestMetrics()
    private(set) var ingest: InProcessService?
    private var alerts: AlertService?
    private var alertsTask: Task<Void, any Error>?

    init(
        failFirst: Int = 0, catalogue: StationCatalogue = bundledCatalogue,
        configureIngest: @escaping (inout IngestConfiguration) -> Void = { _ in }
    ) throws {
        broker = try TestBroker()
        receivers = try AlertReceivers(failFirst: failFirst)
        databasePath = try TestPaths.temporaryDirectory("alerts-db") + "/floodwatch.sqlite"
        self.catalogue = catalogue
        self.configureIngest = configureIngest
        configuration = AlertConfiguration(
            settings: AlertSettings(sender: "floodwatch@bactramy.example"),
            routing: AlertRouting(
                webhooks: [
                    WebhookSettings(
                        name: "sms-gateway", url: receivers.webhookURL, secret: AlertReceivers.secret, timeoutSeconds: 5
                    )
                ],
                email: EmailSettings(
                    command: receivers.sendmailCommand, from: "floodwatch@bactramy.example",
                    recipients: ["*": ["duty@bactramy.example"]])),
            broker: broker.configuration(clientID: "floodwatch-alerts-test", cleanSession: true))
        configuration.retry = RetryPolicy(firstMilliseconds: 200, maximumMilliseconds: 400)
        configuration.pollSeconds = 0.05
    }

    var database: FloodDatabase {
        get throws {
            guard let ingest else { throw TestFailure("start the rig first") }
            return try ingest.database
        }
    }

    func start() async throws {
        try await startIngest()
        try startAlerts()
    }

    func startIngest() async throws {
        let ingest = try InProcessService(
            broker: broker, databasePath: databasePath, catalogue: catalogue, configure: configureIngest)
        try await ingest.start()
        self.ingest = ingest
    }

    func startAlerts() throws {
        var logger = Logger(label: "floodwatch-alerts-test")
        // FLOODWATCH_TEST_LOG=debug shows what the alert service does while a test runs.
        logger.logLevel =
            ProcessInfo.processInfo.environment["FLOODWATCH_TEST_LOG"].flatMap { Logger.Level(rawValue: $0) }
            ?? .critical
        let alerts = try AlertService(
            configuration: configuration, catalogue: catalogue, database: try database, logger: logger,
            metricsFactory: alertMetrics)
        self.alerts = alerts
        alertsTask = Task { try await alerts.run() }
    }

    func stop() async throws {
        alerts?.stop()
        try await alertsTask?.value
        alerts = nil
        alertsTask = nil
        try await ingest?.stop()
    }

    /// Publishes water levels of a station, one every 5 minutes ending at `end` (Unix seconds), at QoS 1.
    func publishLevels(
        _ values: [Double], station: String = "cau-lau", end: Int64 = Int64(Date().timeIntervalSince1970)
    )
        throws
    {
        let publisher = try broker.publisher()
        let start = end - Int64(values.count - 1) * 300
        for (index, value) in values.enumerated() {
            try publisher.publish(
                topic: "gauges/\(station)/level", text: #"{"ts":\#(start + Int64(index) * 300),"value":\#(value)}"#)
        }
        guard publisher.waitForAcknowledgements(timeoutSeconds: 10) else {
            throw TestFailure("the broker did not take the readings")
        }
    }

    func query<T>(_ body: (Database) throws -> T) throws -> T {
        try DatabaseQueue(path: databasePath).read(body)
    }

    /// The outbox and warnings, for failure messages.
    func dump() -> String {
        (try? query { db in
            let warnings = try Row.fetchAll(db, sql: "SELECT id, warning_id, station, rule, event, level FROM warnings")
            let notices = try Row.fetchAll(db, sql: "SELECT * FROM alert_notices")
            let deliveries = try Row.fetchAll(db, sql: "SELECT * FROM alert_deliveries")
            return "warnings: \(warnings)\nnotices: \(notices)\ndeliveries: \(deliveries)"
        }) ?? "no database"
    }

    /// Deliveries in the outbox by status, e.g. ["sent": 12].
    func deliveryStatuses(channel: String? = nil) throws -> [String: Int] {
        try query { db in
            var result: [String: Int] = [:]
            for row in try Row.fetchAll(
                db,
                sql:
                    "SELECT status, COUNT(*) AS n FROM alert_deliveries WHERE ? IS NULL OR channel = ? GROUP BY status",
                arguments: [channel, channel])
            {
                result[row["status"]] = row["n"]
            }
            return result
        }
    }
}
