import Alerting
import Alerts
import Catalogue
import Gauges
import HTTPAPI
import Ingestion
import Logging
import MQTT
import ServiceLifecycle
import Storage
import Synchronization
import UnixSignals

#if canImport(Glibc)
    import Glibc
#endif

/// The running service: every long-running part in one `ServiceGroup`, ordered by data flow so that SIGTERM
/// stops intake first and storage last.
///
/// `floodwatch serve` builds it from its flags and configuration file; tests build it the same way, in-process,
/// on a broker and database of their own.
public struct ServerApplication: Sendable {
    public let group: ServiceGroup
    public let ingest: IngestService
    public let alerts: AlertService
    public let database: FloodDatabase
    private let boundHTTPPort: BoundPort

    /// The HTTP server's port once it listens (the one the kernel chose for `--http HOST:0`); nil before.
    public var httpPort: Int? { boundHTTPPort.value }

    /// Loads the catalogue, opens and migrates the database and wires the services; connects to nothing yet.
    /// Throws what tells the operator what to fix: a `CatalogueError` or `ConfigurationFileError` (file, line and
    /// fix of every problem), or a `StartupError`.
    /// - Parameters:
    ///   - clock: the one clock of every part (ingestion, warnings, alerts, the API).
    ///   - signals: the signals that stop the service gracefully; a test running it in-process passes none and
    ///     awaits `group.triggerGracefulShutdown()`.
    ///   - metricsText: the Prometheus text of every metric, for `GET /metrics`.
    public static func build(
        _ settings: ServeSettings, logger: Logger, clock: WallClock = .system,
        signals: [UnixSignal] = [.sigterm, .sigint], metricsText: @escaping @Sendable () -> String = { "" }
    ) throws -> ServerApplication {
        let catalogue = try CatalogueLoader.load(path: settings.stations)
        try settings.checkAlerts(against: catalogue)
        try settings.checkSender()
        let database = try settings.openDatabase(catalogue: catalogue, now: clock())
        var configuration = IngestConfiguration(
            broker: settings.brokerConfiguration(clientID: settings.clientID))
        configuration.topicFilter = GaugeTopic.filter
        var alertConfiguration = settings.alertConfiguration()
        alertConfiguration.settings.installation = try database.installationID()
        let alerts: AlertService
        do {
            alerts = try AlertService(
                configuration: alertConfiguration, catalogue: catalogue, database: database,
                logger: logger.with(metadata: ["service": "alerts"]), clock: clock)
        } catch {
            throw StartupError("cannot set up the alert connection: \(error)", fix: "check the broker settings")
        }
        let live = LiveEvents()
        let ingest = IngestService(
            configuration: configuration, catalogue: catalogue, database: database,
            logger: logger.with(metadata: ["service": "ingest"]), clock: clock,
            onCommit: { outcome in
                live.publish(readings: outcome.newReadings)
                live.publish(warnings: outcome.warnings)
                // Their notices are committed with them: send them now, not at the alert service's next poll.
                if !outcome.warnings.isEmpty { alerts.wake() }
            })
        let databasePath = settings.database
        let brokerAddress = "\(settings.broker.host):\(settings.broker.port)"
        let httpLogger = logger.with(metadata: ["service": "http"])
        let boundPort = BoundPort()
        let httpHost = settings.http.host
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
                metricsText: metricsText, clock: clock, logger: httpLogger,
                brokerDropped: { ingest.status.brokerDroppedMessages },
                // The acknowledgement's notice goes out now, not at the alert service's next look at the outbox.
                acknowledged: { alerts.wake() }),
            host: settings.http.host, port: settings.http.port, logger: httpLogger,
            onListening: { port in
                boundPort.set(port)
                httpLogger.info("HTTP server listening", metadata: ["http": "\(httpHost):\(port)"])
            })
        logger.info(
            "FloodWatch starting",
            metadata: [
                "stations": "\(catalogue.stations.count) from \(settings.stations)",
                "database": "\(settings.database)",
                "broker": "\(settings.broker.host):\(settings.broker.port)",
                "http": "\(settings.http.host):\(settings.http.port)",
                "libmosquitto": "\(libmosquittoVersion)",
                "alerts": "\(describe(alertConfiguration))",
            ])
        let unzoned = catalogue.areas.filter { $0.landslideRisk == nil }
        if !unzoned.isEmpty {
            // Said at every start, so the gap stays visible until a sourced risk map fills it.
            logger.notice(
                "No landslide risk zone for these areas: the flash-flood and landslide rule does not run there",
                metadata: [
                    "areas": "\(unzoned.map(\.fullName).joined(separator: ", "))",
                    "fix":
                        "set landslide_risk (low, medium, high, very_high) from the official risk map in the catalogue",
                ])
        }
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: http), .init(service: live), .init(service: alerts),
        ]
        if let every = settings.bulletinSeconds {
            services.append(
                .init(
                    service: BulletinSchedule(
                        everySeconds: every, exercise: alertConfiguration.settings.exercise, database: database,
                        catalogue: catalogue, clock: clock,
                        logger: logger.with(metadata: ["service": "bulletin"]), wake: { alerts.wake() })))
        }
        services.append(.init(service: ingest))
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                // Graceful shutdown runs from the last service to the first: intake stops before alerting.
                // The live event streams end before the HTTP server stops, which waits for open connections.
                services: services,
                gracefulShutdownSignals: signals,
                logger: logger))
        return ServerApplication(
            group: group, ingest: ingest, alerts: alerts, database: database, boundHTTPPort: boundPort)
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

    /// Runs every service until SIGTERM or SIGINT (or `group.triggerGracefulShutdown()`), then leaves the database
    /// as one self-contained file.
    public func run() async throws {
        defer { database.shutDown() }
        try await group.run()
    }
}

/// The HTTP port, written once by the server's start and read by whoever asks.
private final class BoundPort: Sendable {
    private let port = Mutex<Int?>(nil)

    var value: Int? { port.withLock { $0 } }

    func set(_ value: Int) {
        port.withLock { $0 = value }
    }
}
