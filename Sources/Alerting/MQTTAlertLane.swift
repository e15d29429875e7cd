import Alerts
import Foundation
import Gauges
import Logging
import MQTT
import Storage
import Synchronization

/// Publishes notices to `alerts/<station>/<rule>` (and `alerts/area/<area>/<rule>` for each commune concerned) at
/// QoS 1 and keeps the retained `alerts/<station>` summary of each station and `alerts/area/<area>` of each commune
/// current, over a broker connection of its own.
///
/// A delivery counts as sent when the broker acknowledged it. After every (re)connection all summaries are
/// published again, so a client that connects late, or a broker that lost its retained store, sees the current
/// state at once.
final class MQTTAlertLane: DeliveryLane, Sendable {
    private struct State {
        var started = false
        /// The service is stopping: a wait for acknowledgements that ends now was cut short, not timed out.
        var interrupted = false
        var lastAttempt: ContinuousClock.Instant?
        var connectionsPublished = 0
    }

    let publisher: MQTTPublisher
    let database: any AlertStore
    let catalogue: StationCatalogue
    let configuration: AlertConfiguration
    let logger: Logger
    let clock: WallClock
    private let state = Mutex(State())
    /// Wakes the lane's thread (set by `start`): a reconnection means summaries to publish again.
    private let wake = WakeHook()

    var channel: AlertChannel { .mqtt }
    var retryMaximumMilliseconds: Int64? { configuration.mqttRetryMaximumMilliseconds }

    init(
        configuration: AlertConfiguration, database: any AlertStore, catalogue: StationCatalogue, logger: Logger,
        clock: WallClock
    ) throws {
        let wake = self.wake
        self.publisher = try MQTTPublisher(configuration: configuration.broker, maxInflight: 100) { wake.call() }
        self.database = database
        self.catalogue = catalogue
        self.configuration = configuration
        self.logger = logger
        self.clock = clock
    }

    func start(wake: @escaping @Sendable () -> Void) {
        self.wake.set(wake)
        idle()
    }

    /// Until the first connection is open, the lane tries every 2 s; afterwards libmosquitto reconnects by itself
    /// and each connection wakes the lane (`onConnect`).
    var idleSeconds: Double? {
        state.withLock { $0.started } ? nil : 2
    }

    func interrupt() {
        state.withLock { $0.interrupted = true }
        publisher.interruptWaits()
    }

    func idle() {
        let now = ContinuousClock.now
        let shouldConnect = state.withLock { state in
            guard !state.started, state.lastAttempt.map({ now - $0 >= .seconds(2) }) ?? true else { return false }
            state.lastAttempt = now
            return true
        }
        if shouldConnect {
            do {
                try publisher.connect(timeoutSeconds: 5)
                state.withLock { $0.started = true }
                logger.info("Alert connection to broker open", metadata: ["broker": "\(configuration.broker.endpoint)"])
            } catch {
                logger.warning(
                    "Cannot open the alert connection to the broker; retrying",
                    metadata: ["broker": "\(configuration.broker.endpoint)", "error": "\(error)"])
                return
            }
        }
        let connections = publisher.connections
        if publisher.isConnected, connections != state.withLock({ $0.connectionsPublished }) {
            if publishSummaries(stations: catalogue.stations.map(\.id))
                && publishAreaSummaries(areas: catalogue.areas.map(\.id))
            {
                state.withLock { $0.connectionsPublished = connections }
            }
        }
    }

    func deliver(_ notice: Notice, to topic: String) -> DeliveryOutcome {
        deliver([(notice, topic)])[0]
    }

    /// Alerts go out together: all published, the summaries of their stations once, then one wait for the
    /// broker's acknowledgements. A storm of alerts then costs one round trip and one commit per batch.
    var batchSize: Int { 100 }

    func deliver(_ batch: [(notice: Notice, target: String)]) -> [DeliveryOutcome] {
        guard publisher.isConnected else { return batch.map { _ in .failed("no connection to the broker") } }
        var outcomes = batch.map { _ in DeliveryOutcome.delivered }
        for (index, item) in batch.enumerated() {
            do {
                try publisher.publish(
                    topic: item.target,
                    payload: AlertBody.payload(item.notice, catalogue: catalogue, settings: configuration.settings))
            } catch {
                outcomes[index] = .failed("\(error)")
            }
        }
        _ = publishSummaries(stations: Set(batch.flatMap(\.notice.stations)).sorted())
        _ = publishAreaSummaries(areas: Set(batch.flatMap { $0.notice.areas(in: catalogue) }).sorted())
        if !publisher.waitForAcknowledgements(timeoutSeconds: 5) {
            let reason =
                state.withLock { $0.interrupted }
                ? "the service stopped before the broker acknowledged; tried again at the next start"
                : "the broker did not acknowledge within 5 s"
            outcomes = outcomes.map { outcome in
                outcome == .delivered ? .failed(reason) : outcome
            }
        }
        return outcomes
    }

    /// Publishes the retained summaries of these stations. - Returns: false when one could not be published.
    private func publishSummaries(stations: [String]) -> Bool {
        var byStation: [String: [ActiveWarning]]
        do {
            // A few stations (one batch of alerts): each its own indexed query. Every station (after a connection):
            // one query over all.
            if stations.count <= 20 {
                byStation = try database.activeWarnings(stations: stations)
            } else {
                byStation = Dictionary(grouping: try database.activeWarnings(), by: \.latest.event.station)
            }
        } catch {
            logger.error("Cannot read active warnings for the MQTT summaries", metadata: ["error": "\(error)"])
            return false
        }
        let now = clock()
        for station in stations {
            let summary = StationSummary(
                station: station, active: byStation[station] ?? [], catalogue: catalogue,
                settings: configuration.settings, now: now)
            do {
                try publisher.publish(
                    topic: configuration.routing.summaryTopic(station: station), payload: summary.json(), retain: true)
            } catch {
                logger.warning(
                    "Cannot publish a station summary", metadata: ["station": "\(station)", "error": "\(error)"])
                return false
            }
        }
        return true
    }

    /// Publishes the retained summaries of these communes. - Returns: false when one could not be published.
    private func publishAreaSummaries(areas: [String]) -> Bool {
        guard !areas.isEmpty else { return true }
        let active: [ActiveWarning]
        do {
            // A district has a few communes and a few active warnings: one query over all, filtered per commune.
            active = try database.activeWarnings()
        } catch {
            logger.error("Cannot read active warnings for the MQTT area summaries", metadata: ["error": "\(error)"])
            return false
        }
        let now = clock()
        for area in areas {
            let summary = AreaSummary(
                area: area, active: active, catalogue: catalogue, settings: configuration.settings, now: now)
            do {
                try publisher.publish(
                    topic: configuration.routing.areaTopic(area: area), payload: summary.json(), retain: true)
            } catch {
                logger.warning("Cannot publish an area summary", metadata: ["area": "\(area)", "error": "\(error)"])
                return false
            }
        }
        return true
    }

    func stop() {
        _ = publisher.waitForAcknowledgements(timeoutSeconds: 2)
        publisher.disconnect()
    }
}

/// A wake-up call set after the object that makes it exists: the publisher's connection callback is made before
/// the lane's thread (whose wake-up it calls) starts.
private final class WakeHook: Sendable {
    private let hook = Mutex<(@Sendable () -> Void)?>(nil)

    func set(_ call: @escaping @Sendable () -> Void) {
        hook.withLock { $0 = call }
    }

    func call() {
        hook.withLock { $0 }?()
    }
}
