import Alerts
import BlockingWork
import CoreMetrics
import Foundation
import Gauges
import Logging
import ServiceLifecycle
import Storage
import Synchronization

/// Sends every warning event to the people and systems that act on it, from the durable outbox in SQLite.
///
/// The ingest transaction writes a notice with each warning event (`alert_notices`). This service then, on threads
/// of its own (database calls and receivers block):
/// - the router turns new notices into deliveries (`alert_deliveries`), one per channel and receiver, folds
///   storms of silent gauges into one notice, and adds reminders for unacknowledged warnings;
/// - one lane per channel (MQTT, e-mail) and per webhook sends due deliveries and records the outcome, retrying
///   failures with exponential backoff for up to a day.
/// A delivery is marked sent only after the receiver accepted it, so a restart re-sends nothing already delivered
/// and loses nothing pending; a crash between "accepted" and "marked" re-sends that one delivery, with the same
/// idempotency key.
public final class AlertService: Service, Sendable {
    let configuration: AlertConfiguration
    let catalogue: StationCatalogue
    /// Notices, deliveries and their outcomes: the SQLite file (`FloodDatabase`) or another `AlertStore`.
    let database: any AlertStore
    let logger: Logger
    let clock: WallClock
    let metrics: AlertMetrics
    private let lanes: [any DeliveryLane]
    /// The router's pause between polls of the outbox, ended early by `wake()`.
    private let routerWakeup = Wakeup()
    /// Each lane's pause, ended early when the router has made deliveries.
    private let laneWakeups: [Wakeup]
    /// What the threads sleep on after an error: a stop ends the sleep at once.
    private let stopRequest = StopRequest()
    /// Asked before each sending: false once this dispatcher may no longer send (its lease ran out).
    private let mayDeliver: @Sendable () -> Bool

    public init(
        configuration: AlertConfiguration,
        catalogue: StationCatalogue,
        database: any AlertStore,
        logger: Logger,
        metricsFactory: any MetricsFactory = MetricsSystem.factory,
        clock: WallClock = .system,
        mayDeliver: @escaping @Sendable () -> Bool = { true }
    ) throws {
        self.configuration = configuration
        self.mayDeliver = mayDeliver
        self.catalogue = catalogue
        self.database = database
        self.logger = logger
        self.clock = clock
        self.metrics = AlertMetrics(factory: metricsFactory)
        var lanes: [any DeliveryLane] = []
        if configuration.routing.mqtt {
            lanes.append(
                try MQTTAlertLane(
                    configuration: configuration, database: database, catalogue: catalogue, logger: logger,
                    clock: clock))
        }
        for webhook in configuration.routing.webhooks {
            lanes.append(WebhookLane(webhook: webhook, catalogue: catalogue, settings: configuration.settings))
        }
        if let email = configuration.routing.email {
            lanes.append(EmailLane(email: email, catalogue: catalogue, settings: configuration.settings))
        }
        self.laneWakeups = lanes.map { _ in Wakeup() }
        self.lanes = lanes
    }

    var isStopping: Bool { stopRequest.isRequested }

    /// Stops at once: deliveries in hand are ended and recorded as failed attempts, and with what is pending they
    /// stay in the outbox for the next start.
    public func stop() {
        stopRequest.request()
        routerWakeup.signal()
        laneWakeups.forEach { $0.signal() }
        lanes.forEach { $0.interrupt() }
    }

    /// Says that new notices are in the outbox (the ingest service calls it after a commit that raised warning
    /// events), so they are routed and sent now rather than at the next poll: an officer's alert should not wait
    /// `pollSeconds` for nothing. Without it notices still go out, one poll later.
    public func wake() {
        routerWakeup.signal()
    }

    public func run() async throws {
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                await withTaskGroup(of: Void.self) { group in
                    group.addTask {
                        try? await BlockingWork.onOwnThread(name: "floodwatch-alert-router") { self.routeLoop() }
                    }
                    for (lane, wakeup) in zip(lanes, laneWakeups) {
                        let name = "floodwatch-alert-\(lane.channel.rawValue)"
                        group.addTask {
                            try? await BlockingWork.onOwnThread(name: name) { self.laneLoop(lane, wakeup: wakeup) }
                        }
                    }
                }
            } onGracefulShutdown: {
                self.stop()
            }
        } onCancel: {
            self.stop()
        }
        logger.info("Alerts stopped")
    }

    // MARK: Router

    private func routeLoop() {
        var lastReminderCheck: Int64 = 0
        while !isStopping {
            let now = clock()
            do {
                try routeNewNotices(now: now)
                if now - lastReminderCheck >= configuration.reminderCheckMilliseconds {
                    lastReminderCheck = now
                    let added = try database.addReminders(
                        now: now, intervalMilliseconds: configuration.reminderIntervalMilliseconds,
                        minimumLevel: configuration.reminderMinimumLevel)
                    if added > 0 {
                        logger.notice("Reminders due for unacknowledged warnings", metadata: ["count": "\(added)"])
                        try routeNewNotices(now: now)
                    }
                }
            } catch {
                logger.error("Cannot route alerts; will retry", metadata: ["error": "\(error)"])
                stopRequest.sleep(1)
            }
            routerWakeup.wait(seconds: configuration.pollSeconds)
        }
    }

    /// Routes what is new: each notice to its deliveries, storms of silent gauges into one grouped notice.
    private func routeNewNotices(now: Int64) throws {
        let notices = try database.newNotices()
        guard !notices.isEmpty else { return }
        defer { laneWakeups.forEach { $0.signal() } }
        let byID = Dictionary(uniqueKeysWithValues: notices.map { ($0.id, $0) })
        let (routing, catalogue) = (configuration.routing, catalogue)
        let targets = { (notice: Notice) in routing.targets(for: notice, areas: notice.areas(in: catalogue)) }
        for decision in configuration.storm.decide(notices, now: now) {
            switch decision {
            case .route(let ids):
                try database.route(
                    ids.compactMap { id in byID[id].map { (id, targets($0)) } }, now: now)
                for id in ids { metrics.notices[byID[id]?.kind ?? .event]?.increment() }
            case .group(let ids):
                if let grouped = try database.group(ids, now: now, targets: targets) {
                    metrics.notices[.grouped]?.increment()
                    logger.warning(
                        "Many gauges at once: one grouped alert instead of one each",
                        metadata: [
                            "notice": "\(grouped.id)", "gauges": "\(grouped.members.count)",
                            "stations": "\(grouped.stations.sorted().joined(separator: ","))",
                        ])
                }
            }
        }
    }

    // MARK: Lanes

    private func laneLoop(_ lane: any DeliveryLane, wakeup: Wakeup) {
        lane.start { wakeup.signal() }
        defer { lane.stop() }
        let name = lane.target.map { "\(lane.channel.rawValue):\($0)" } ?? lane.channel.rawValue
        while !isStopping {
            lane.idle()
            guard mayDeliver() else {
                // A dispatcher that slept through losing its lease: another one sends from now on.
                logger.warning(
                    "This alert dispatcher may no longer send (its lease ran out); stopping",
                    metadata: ["lane": "\(name)"])
                stop()
                break
            }
            // One batch at a time, claimed just before it is sent: a claim outlasts the sending of its batch, not
            // of everything due.
            let due: [PendingDelivery]
            do {
                due = try database.claimDueDeliveries(
                    lane.channel, target: lane.target, now: clock(), limit: max(1, lane.batchSize),
                    claimMilliseconds: configuration.deliveryClaimMilliseconds)
            } catch {
                logger.error(
                    "Cannot read the alert outbox; will retry", metadata: ["lane": "\(name)", "error": "\(error)"])
                stopRequest.sleep(1)
                continue
            }
            if due.isEmpty {
                // Until the router makes deliveries (it wakes the lane) or the next retry falls due.
                wakeup.wait(seconds: idleWait(lane))
                continue
            }
            attempt(due, on: lane)
        }
    }

    /// How long a lane with nothing due sleeps: until its next retry, its own idle limit, or at most a minute (a
    /// safety net: every delivery it could have is made by the router, which wakes it).
    private func idleWait(_ lane: any DeliveryLane) -> Double {
        var seconds = lane.idleSeconds ?? 60
        if let next = try? database.nextAttempt(lane.channel, target: lane.target) {
            seconds = min(seconds, Double(max(next - clock(), 0)) / 1000)
        }
        return seconds
    }

    /// Delivers a batch and records every outcome in one transaction; then counts and logs them.
    private func attempt(_ batch: [PendingDelivery], on lane: any DeliveryLane) {
        var records: [DeliveryRecord] = []
        var sending: [(delivery: PendingDelivery, notice: Notice)] = []
        do {
            let notices = try database.notices(batch.map(\.noticeID))
            for delivery in batch {
                if let notice = notices[delivery.noticeID] {
                    sending.append((delivery, notice))
                } else {
                    records.append(.failed(delivery: delivery.id, error: "the notice is missing", nextAttemptAt: nil))
                }
            }
        } catch {
            logger.error("Cannot read alert notices; will retry", metadata: ["error": "\(error)"])
            stopRequest.sleep(1)
            return
        }
        let outcomes = lane.deliver(sending.map { ($0.notice, $0.delivery.target) })
        let now = clock()
        var policy = configuration.retry
        if let maximum = lane.retryMaximumMilliseconds {
            policy.maximumMilliseconds = min(policy.maximumMilliseconds, maximum)
            policy.firstMilliseconds = min(policy.firstMilliseconds, maximum)
        }
        for ((delivery, _), outcome) in zip(sending, outcomes) {
            switch outcome {
            case .delivered:
                records.append(.sent(delivery: delivery.id, at: now))
            case .failed(let reason):
                let next = policy.nextAttempt(
                    failedAttempts: delivery.attempts + 1, createdAt: delivery.createdAt, now: now)
                records.append(.failed(delivery: delivery.id, error: reason, nextAttemptAt: next))
            }
        }
        do {
            try database.record(records)
        } catch {
            logger.error(
                "Cannot record alert deliveries; will retry",
                metadata: ["channel": "\(lane.channel.rawValue)", "deliveries": "\(batch.count)", "error": "\(error)"])
            stopRequest.sleep(1)
            return
        }
        let byID = Dictionary(uniqueKeysWithValues: batch.map { ($0.id, $0) })
        for record in records {
            report(record, byID)
        }
    }

    /// Counts and logs a recorded attempt.
    private func report(_ record: DeliveryRecord, _ deliveries: [Int64: PendingDelivery]) {
        let id: Int64
        switch record {
        case .sent(let delivery, _), .failed(let delivery, _, _): id = delivery
        }
        guard let delivery = deliveries[id] else { return }
        let metadata: Logger.Metadata = [
            "channel": "\(delivery.channel.rawValue)", "target": "\(delivery.target)", "notice": "\(delivery.noticeID)",
            "attempt": "\(delivery.attempts + 1)",
        ]
        switch record {
        case .sent:
            metrics.delivery(delivery.channel, "sent")
            logger.info("Alert sent", metadata: metadata)
        case .failed(_, let reason, let next?):
            metrics.delivery(delivery.channel, "retry")
            logger.warning(
                "Alert delivery failed; will retry",
                metadata: metadata.merging(
                    ["error": "\(reason)", "retry_at": "\(UnixTime.vietnam(next))"], uniquingKeysWith: { $1 }))
        case .failed(_, let reason, nil):
            metrics.delivery(delivery.channel, "failed")
            logger.error(
                "Alert delivery failed for good; giving up after the retry period",
                metadata: metadata.merging(["error": "\(reason)"], uniquingKeysWith: { $1 }))
        }
    }
}
