import Alerting
import Alerts
import Catalogue
import Coordination
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
    /// The ingest path and the alert service on SQLite; nil on PostgreSQL, where each runs only while this instance
    /// holds its lease (`SharedDuties`, `LeaseSupervisor`).
    public let ingest: IngestService?
    public let alerts: AlertService?
    public let store: ServeStore
    private let boundHTTPPort: BoundPort

    /// The HTTP server's port once it listens (the one the kernel chose for `--http HOST:0`); nil before.
    public var httpPort: Int? { boundHTTPPort.value }

    /// Loads the catalogue, opens and migrates the store and wires the services; connects to no broker yet.
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
    ) async throws -> ServerApplication {
        let catalogue = try CatalogueLoader.load(path: settings.stations)
        try settings.checkAlerts(against: catalogue)
        try settings.checkSender()
        let store = try await settings.openStore(
            catalogue: catalogue, now: clock(), logger: logger.with(metadata: ["service": "store"]))
        var configuration = IngestConfiguration(
            broker: settings.brokerConfiguration(clientID: settings.clientID))
        configuration.topicFilters = [GaugeTopic.filter]
        var alertConfiguration = settings.alertConfiguration()
        alertConfiguration.settings.installation = try await store.history.installationID()
        // `mayDeliver`: on PostgreSQL, while the instance holds the `alerts` lease.
        let makeAlerts: @Sendable (_ mayDeliver: @escaping @Sendable () -> Bool) throws -> AlertService = {
            [alertConfiguration] mayDeliver in
            try AlertService(
                configuration: alertConfiguration, catalogue: catalogue, database: store.alerts,
                logger: logger.with(metadata: ["service": "alerts"]), clock: clock, mayDeliver: mayDeliver)
        }
        let alerts: AlertService
        do {
            alerts = try makeAlerts { true }
        } catch {
            throw StartupError("cannot set up the alert connection: \(error)", fix: "check the broker settings")
        }
        // On PostgreSQL the instances share the work by leases; the one above only proved the settings work.
        let shared: SharedDuties? = if case .postgres = store { SharedDuties() } else { nil }
        let wakeAlerts: @Sendable () -> Void = { shared?.wakeAlerts() ?? alerts.wake() }
        let live = LiveEvents()
        let relay: LiveEventsRelay?
        if case .postgres(let database) = store {
            relay = LiveEventsRelay(
                database: database, live: live, logger: logger.with(metadata: ["service": "live-events"]))
        } else {
            relay = nil
        }
        let onCommit: @Sendable (IngestOutcome) -> Void = { outcome in
            live.publish(readings: outcome.newReadings)
            live.publish(warnings: outcome.warnings)
            relay?.send(readings: outcome.newReadings, warnings: outcome.warnings)
            // Their notices are committed with them: send them now, not at the alert service's next poll.
            if !outcome.warnings.isEmpty { wakeAlerts() }
        }
        // The one ingest path of a single instance; on PostgreSQL each slot's lease runs its own (`SharedDuties`).
        let ingest: IngestService? =
            shared != nil
            ? nil
            : IngestService(
                configuration: configuration, catalogue: catalogue, database: store.ingest,
                logger: logger.with(metadata: ["service": "ingest"]), clock: clock, onCommit: onCommit)
        let brokerAddress = "\(settings.broker.host):\(settings.broker.port)"
        let httpLogger = logger.with(metadata: ["service": "http"])
        let boundPort = BoundPort()
        let httpHost = settings.http.host
        let http = APIServer.application(
            APIServer.Context(
                database: store.history, catalogue: catalogue, alertSettings: alertConfiguration.settings,
                access: settings.access.policy, live: live,
                readiness: {
                    var readiness = APIServer.Readiness()
                    if let shared {
                        (readiness.databaseProblem, readiness.brokerProblem) = shared.readiness(
                            brokerAddress: brokerAddress)
                    } else if let ingest {
                        let status = ingest.status
                        readiness.databaseProblem = status.storageError.map { "cannot write: \($0)" }
                        if !status.brokerConnected {
                            readiness.brokerProblem = "not connected to \(brokerAddress)"
                        } else if !status.subscribed {
                            readiness.brokerProblem = "connected, not yet subscribed"
                        }
                    }
                    if readiness.databaseProblem == nil {
                        readiness.databaseProblem = store.problem()
                    }
                    return readiness
                },
                metricsText: metricsText, clock: clock, logger: httpLogger,
                failedLogins: FailedLogins(shared: store.loginFailures),
                brokerDropped: { ingest?.status.brokerDroppedMessages ?? shared?.brokerDroppedMessages },
                // The acknowledgement's notice goes out now, not at the alert service's next look at the outbox.
                acknowledged: { wakeAlerts() }),
            host: settings.http.host, port: settings.http.port, logger: httpLogger,
            onListening: { port in
                boundPort.set(port)
                httpLogger.info("HTTP server listening", metadata: ["http": "\(httpHost):\(port)"])
            })
        logger.info(
            "FloodWatch starting",
            metadata: [
                "stations": "\(catalogue.stations.count) from \(settings.stations)",
                "database": "\(store.description)",
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
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        if case .postgres(let database) = store {
            services.append(.init(service: PostgresConnections(database: database)))
        }
        services += [.init(service: http), .init(service: live)]
        if let relay { services.append(.init(service: relay)) }
        let bulletins = settings.bulletinSeconds.map { every in
            BulletinSchedule(
                everySeconds: every, exercise: alertConfiguration.settings.exercise, database: store.history,
                catalogue: catalogue, clock: clock, logger: logger.with(metadata: ["service": "bulletin"]),
                wake: wakeAlerts)
        }
        if case .postgres(let database) = store, let shared {
            var (slots, singles) = shared.duties(
                slots: SlotMap(count: settings.slots), catalogue: catalogue, database: database,
                ingest: configuration, makeAlerts: makeAlerts, logger: logger,
                onCommit: onCommit
            )
            if let bulletins {
                singles.append(
                    LeaseSupervisor.Duty(name: "bulletins") { _, _ in
                        LeaseSupervisor.Work(run: { try await bulletins.run() }, stop: {})
                    })
            }
            services.append(
                .init(
                    service: LeaseSupervisor(
                        store: database, instance: InstanceID(), terms: LeaseTerms(duration: settings.leaseDuration),
                        slots: slots, singles: singles, status: shared.leases,
                        logger: logger.with(metadata: ["service": "leases"]))))
        } else {
            services.append(.init(service: alerts))
            if let bulletins { services.append(.init(service: bulletins)) }
            if let ingest { services.append(.init(service: ingest)) }
        }
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                // Graceful shutdown runs from the last service to the first: intake stops before alerting.
                // The live event streams end before the HTTP server stops, which waits for open connections.
                services: services,
                gracefulShutdownSignals: signals,
                logger: logger))
        return ServerApplication(
            group: group, ingest: ingest, alerts: shared == nil ? alerts : nil, store: store,
            boundHTTPPort: boundPort)
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

    /// Runs every service until SIGTERM or SIGINT (or `group.triggerGracefulShutdown()`), then closes the store:
    /// the SQLite file left self-contained, the PostgreSQL connections closed.
    public func run() async throws {
        do {
            try await group.run()
        } catch {
            await store.shutDown()
            throw error
        }
        await store.shutDown()
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
