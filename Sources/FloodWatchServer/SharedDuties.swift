import Alerting
import Coordination
import Gauges
import Ingestion
import Logging
import PostgresStore
import Storage
import Synchronization

/// The work of a FloodWatch instance on a shared PostgreSQL store (issue 17), each piece run only while the instance
/// holds its lease (`LeaseSupervisor`):
/// - `slot-<k>`: the ingest path of the stations of slot k (`SlotMap`), on the persistent MQTT session
///   `<client id>-slot-<k>` subscribed to their topics only, storing under the slot's fence (`SlotStore`);
/// - `alerts`: the alert dispatcher;
/// - `rejects`: the session `<client id>-rejects` on every gauge topic at QoS 0, which keeps with their reason the
///   readings of stations in no slot (unknown stations, malformed topics) and lets every other message go: the
///   slots' sessions store those.
///
/// Also what the rest of the instance asks of the work running now: readiness, and waking the alert dispatcher.
final class SharedDuties: Sendable {
    /// The ingest paths running now, by lease name.
    private let running = Mutex<[String: IngestService]>([:])
    /// The alert dispatcher, while this instance holds its lease.
    private let dispatcher = Mutex<AlertService?>(nil)

    /// Wakes the alert dispatcher, if this instance runs it.
    func wakeAlerts() {
        dispatcher.withLock { $0 }?.wake()
    }

    /// Whether the lease supervisor could reach the leases at its last look (`LeaseSupervisor`'s `status`).
    let leases = LeaseStatus()

    /// What `/readyz` says of intake: the first storage error of a running ingest path, else the leases' problem
    /// (an instance that cannot renew them has stopped its work, and nothing else would say so); and whether each
    /// running ingest path is connected and subscribed. An instance that reaches the leases and holds no slot (a
    /// standby) is ready.
    func readiness(brokerAddress: String) -> (databaseProblem: String?, brokerProblem: String?) {
        let services = running.withLock { $0 }.sorted { $0.key < $1.key }
        let storageError = services.lazy.compactMap { $0.value.status.storageError }.first
        var brokerProblem: String?
        for (name, service) in services {
            let status = service.status
            if !status.brokerConnected {
                brokerProblem = "\(name): not connected to \(brokerAddress)"
                break
            }
            if !status.subscribed {
                brokerProblem = "\(name): connected, not yet subscribed"
                break
            }
        }
        return (storageError.map { "cannot write: \($0)" } ?? leases.problem, brokerProblem)
    }

    /// The broker's own count of messages it dropped, as the sessions running now last heard it (the largest: it
    /// is one count for the whole broker); nil when none runs or none heard it.
    var brokerDroppedMessages: Int64? {
        running.withLock { $0 }.values.compactMap { $0.status.brokerDroppedMessages }.max()
    }

    /// The leases' duties: one per slot, then the alert dispatcher and the rejects' keeper.
    /// - Parameters:
    ///   - ingest: the ingest configuration every slot starts from (broker, limits).
    ///   - makeAlerts: a new alert dispatcher (one per taking of the lease: a stopped one does not start again),
    ///     which sends only while `mayDeliver` says so.
    ///   - onCommit: told of every committed batch of every slot.
    func duties(
        slots map: SlotMap, catalogue: StationCatalogue, database: PostgresDatabase, ingest: IngestConfiguration,
        makeAlerts: @escaping @Sendable (_ mayDeliver: @escaping @Sendable () -> Bool) throws -> AlertService,
        logger: Logger,
        onCommit: @escaping @Sendable (IngestOutcome) -> Void
    ) -> (slots: [LeaseSupervisor.Duty], singles: [LeaseSupervisor.Duty]) {
        let stations = map.stations(catalogue.stations.map(\.id))
        let slots = stations.enumerated().map { slot, ids in
            LeaseSupervisor.Duty(name: "slot-\(slot)") { [self] lease, validity in
                var configuration = ingest
                configuration.broker.clientID = "\(ingest.broker.clientID)-slot-\(slot)"
                configuration.topicFilters = ids.map { GaugeTopic.filter(station: $0) }
                configuration.metricsSession = "slot-\(slot)"
                return ingestWork(
                    lease: lease, validity: validity, configuration: configuration, catalogue: catalogue.only(Set(ids)),
                    database: database, logger: logger.with(metadata: ["slot": "\(slot)"]), onCommit: onCommit)
            }
        }
        let alerts = LeaseSupervisor.Duty(name: "alerts") { [self] _, validity in
            let service: AlertService
            do {
                service = try makeAlerts { validity.isValid }
            } catch {
                // Work that fails at once: the lease is given up and taken again at the next renewal.
                return LeaseSupervisor.Work(run: { throw error }, stop: {})
            }
            return LeaseSupervisor.Work(
                run: { [self] in
                    dispatcher.withLock { $0 = service }
                    defer { dispatcher.withLock { if $0 === service { $0 = nil } } }
                    try await service.run()
                }, stop: { service.stop() })
        }
        let rejects = LeaseSupervisor.Duty(name: "rejects") { [self] lease, validity in
            var configuration = ingest
            configuration.broker.clientID = "\(ingest.broker.clientID)-rejects"
            configuration.topicFilters = [GaugeTopic.filter]
            // Not queued by the broker while this session is away: it would hold every gauge's traffic twice.
            configuration.subscriptionQoS = 0
            configuration.ignoredStations = Set(catalogue.stations.map(\.id))
            configuration.metricsSession = "rejects"
            return ingestWork(
                lease: lease, validity: validity, configuration: configuration, catalogue: catalogue.only([]),
                database: database,
                logger: logger.with(metadata: ["duty": "rejects"]), onCommit: onCommit)
        }
        return (slots, [alerts, rejects])
    }

    /// An ingest path writing under `lease`, registered while it runs. A slot without stations subscribes to
    /// nothing and only waits to be stopped.
    private func ingestWork(
        lease: Lease, validity: LeaseValidity, configuration: IngestConfiguration, catalogue: StationCatalogue,
        database: PostgresDatabase,
        logger: Logger, onCommit: @escaping @Sendable (IngestOutcome) -> Void
    ) -> LeaseSupervisor.Work {
        let store = SlotStore(database, lease: lease)
        let service = IngestService(
            configuration: configuration, catalogue: catalogue, database: store, logger: logger,
            mayConnect: { validity.isValid }, onCommit: onCommit)
        guard !configuration.topicFilters.isEmpty else {
            let stopped = AsyncStream<Void>.makeStream()
            return LeaseSupervisor.Work(
                run: { for await _ in stopped.stream {} }, stop: { stopped.continuation.finish() })
        }
        return LeaseSupervisor.Work(
            run: { [self] in
                running.withLock { $0[lease.name] = service }
                defer { running.withLock { if $0[lease.name] === service { $0[lease.name] = nil } } }
                do {
                    try await service.run()
                } catch {
                    await store.close()
                    throw error
                }
                await store.close()
            }, stop: { service.stop() })
    }
}
