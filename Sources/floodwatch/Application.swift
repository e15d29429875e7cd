import Alerting
import Alerts
import Catalogue
import Foundation
import Gauges
import HTTPAPI
import Ingestion
import Logging
import MQTT
import ServiceLifecycle
import Storage
import UnixSignals

/// The running service: every long-running part in one `ServiceGroup`, ordered by data flow so that SIGTERM
/// stops intake first.
struct Application {
    let group: ServiceGroup
    let ingest: IngestService
    let alerts: AlertService

    /// Loads the catalogue, opens and migrates the database and wires the services. Throws a `StartupError`
    /// that tells the operator what to fix.
    static func build(_ settings: ServeSettings, logger: Logger) throws -> Application {
        let catalogue = try CatalogueLoader.load(path: settings.stations)
        try settings.checkAlerts(against: catalogue)
        let database: FloodDatabase
        do {
            database = try FloodDatabase(path: settings.database)
            try database.synchronizeStations(catalogue, now: IngestService.systemClock())
        } catch {
            throw StartupError(
                "cannot open the database \(settings.database): \(error)",
                fix: "check that the folder exists and is writable, or choose another file with --database PATH")
        }
        var configuration = IngestConfiguration(
            broker: MQTTConfiguration(
                host: settings.broker.host, port: settings.broker.port, clientID: settings.clientID))
        configuration.topicFilter = GaugeTopic.filter
        let ingest = IngestService(
            configuration: configuration, catalogue: catalogue, database: database,
            logger: logger.with(metadata: ["service": "ingest"]))
        var alertConfiguration = AlertConfiguration(
            settings: settings.alerts.settings, routing: settings.alerts.routing,
            broker: MQTTConfiguration(
                host: settings.broker.host, port: settings.broker.port, clientID: settings.alerts.clientID,
                cleanSession: true))
        alertConfiguration.reminderIntervalMilliseconds = Int64(settings.alerts.reminderSeconds) * 1000
        alertConfiguration.reminderMinimumLevel = settings.alerts.reminderMinimumLevel
        alertConfiguration.storm = settings.alerts.storm
        alertConfiguration.retry = settings.alerts.retry
        let alerts: AlertService
        do {
            alerts = try AlertService(
                configuration: alertConfiguration, catalogue: catalogue, database: database,
                logger: logger.with(metadata: ["service": "alerts"]))
        } catch {
            throw StartupError("cannot set up the alert connection: \(error)", fix: "check the broker settings")
        }
        let http = APIServer.application(
            APIServer.Context(database: database, catalogue: catalogue, alertSettings: alertConfiguration.settings),
            host: settings.http.host, port: settings.http.port, logger: logger.with(metadata: ["service": "http"]))
        logger.info(
            "FloodWatch starting",
            metadata: [
                "stations": "\(catalogue.stations.count) from \(settings.stations)",
                "database": "\(settings.database)",
                "broker": "\(settings.broker.host):\(settings.broker.port)",
                "http": "\(settings.http.host):\(settings.http.port)",
                "libmosquitto": "\(libmosquittoVersion)",
                "alerts": "\(Self.describe(alertConfiguration))",
            ])
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                // Graceful shutdown runs from the last service to the first: intake stops before alerting.
                services: [.init(service: http), .init(service: alerts), .init(service: ingest)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        return Application(group: group, ingest: ingest, alerts: alerts)
    }

    /// "mqtt, 2 webhooks, e-mail to 3 addresses (exercise)" for the start-up log line.
    static func describe(_ configuration: AlertConfiguration) -> String {
        var parts: [String] = []
        if configuration.routing.mqtt { parts.append("mqtt") }
        if !configuration.routing.webhooks.isEmpty { parts.append("\(configuration.routing.webhooks.count) webhooks") }
        if let email = configuration.routing.email {
            parts.append("e-mail to \(Set(email.recipients.values.joined()).count) addresses")
        }
        return (parts.isEmpty ? "none" : parts.joined(separator: ", "))
            + (configuration.settings.exercise ? " (exercise)" : "")
    }

    func run() async throws {
        try await group.run()
    }
}

/// A start-up problem: what is wrong and how to fix it.
struct StartupError: Error, CustomStringConvertible {
    let problem: String
    let fix: String

    init(_ problem: String, fix: String) {
        self.problem = problem
        self.fix = fix
    }

    var description: String { "\(problem)\n  fix: \(fix)" }
}

extension Logger {
    func with(metadata: Logger.Metadata) -> Logger {
        var copy = self
        for (key, value) in metadata { copy[metadataKey: key] = value }
        return copy
    }
}
