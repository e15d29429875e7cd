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

#if canImport(Glibc)
    import Glibc
#endif

/// The running service: every long-running part in one `ServiceGroup`, ordered by data flow so that SIGTERM
/// stops intake first.
struct Application {
    let group: ServiceGroup
    let ingest: IngestService
    let alerts: AlertService
    let database: FloodDatabase

    /// Loads the catalogue, opens and migrates the database and wires the services. Throws a `StartupError`
    /// that tells the operator what to fix.
    /// - Parameter metricsText: the Prometheus text of every metric, for `GET /metrics`.
    static func build(
        _ settings: ServeSettings, logger: Logger, metricsText: @escaping @Sendable () -> String = { "" }
    ) throws -> Application {
        let catalogue = try CatalogueLoader.load(path: settings.stations)
        try settings.checkAlerts(against: catalogue)
        let database: FloodDatabase
        do {
            database = try FloodDatabase(path: settings.database)
            try database.synchronizeStations(catalogue, now: IngestService.systemClock())
        } catch  where FloodDatabase.isDamage(error) {
            let path = settings.database
            throw StartupError(
                "the database \(path) is damaged: \(error)",
                fix: """
                    keep the damaged file aside and restore the latest backup (README, "Restoring a backup"):
                         mv \(path) \(path).damaged; mv \(path)-wal \(path).damaged-wal; rm -f \(path)-shm
                         cp /var/backups/floodwatch/floodwatch-<newest>.sqlite \(path)
                       readings since that backup may be salvaged from the damaged file:
                         sqlite3 \(path).damaged .recover | sqlite3 recovered.sqlite
                    """)
        } catch {
            throw StartupError(
                "cannot open the database \(settings.database): \(error)",
                fix: "check that the folder exists and is writable, or choose another file with --database PATH")
        }
        var configuration = IngestConfiguration(
            broker: settings.brokerConfiguration(clientID: settings.clientID))
        configuration.topicFilter = GaugeTopic.filter
        var alertBroker = settings.brokerConfiguration(clientID: settings.alerts.clientID)
        alertBroker.cleanSession = true
        var alertConfiguration = AlertConfiguration(
            settings: settings.alerts.settings, routing: settings.alerts.routing, broker: alertBroker)
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
        let live = LiveEvents()
        let ingest = IngestService(
            configuration: configuration, catalogue: catalogue, database: database,
            logger: logger.with(metadata: ["service": "ingest"]),
            onCommit: { outcome in
                live.publish(readings: outcome.newReadings)
                live.publish(warnings: outcome.warnings)
                // Their notices are committed with them: send them now, not at the alert service's next poll.
                if !outcome.warnings.isEmpty { alerts.wake() }
            })
        let databasePath = settings.database
        let brokerAddress = "\(settings.broker.host):\(settings.broker.port)"
        let http = APIServer.application(
            APIServer.Context(
                database: database, catalogue: catalogue, alertSettings: alertConfiguration.settings,
                access: settings.access.policy, live: live,
                readiness: {
                    let status = ingest.status
                    var readiness = APIServer.Readiness()
                    if let error = status.storageError {
                        readiness.databaseProblem = "cannot write: \(error)"
                    } else if access(databasePath, W_OK) != 0 {
                        readiness.databaseProblem = "the file is not writable"
                    }
                    if !status.brokerConnected {
                        readiness.brokerProblem = "not connected to \(brokerAddress)"
                    } else if !status.subscribed {
                        readiness.brokerProblem = "connected, not yet subscribed"
                    }
                    return readiness
                },
                metricsText: metricsText, logger: logger.with(metadata: ["service": "http"]),
                brokerDropped: { ingest.status.brokerDroppedMessages }),
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
                // The live event streams end before the HTTP server stops, which waits for open connections.
                services: [.init(service: http), .init(service: live), .init(service: alerts), .init(service: ingest)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        return Application(group: group, ingest: ingest, alerts: alerts, database: database)
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
        defer { database.shutDown() }
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
