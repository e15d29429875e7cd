import Alerts
import Storage

/// What happened to one delivery attempt.
enum DeliveryOutcome: Sendable, Hashable {
    case delivered
    /// Failed, with the reason shown to operators in `floodwatch alerts`.
    case failed(String)
}

/// One channel's sender (MQTT, one webhook, e-mail). Each runs on a thread of its own, so a receiver that hangs
/// delays only its own deliveries.
protocol DeliveryLane: Sendable {
    var channel: AlertChannel { get }
    /// The delivery target this lane serves; nil for every target of its channel.
    var target: String? { get }
    /// Longest wait between attempts for this lane.
    var retryMaximumMilliseconds: Int64? { get }
    /// Prepares the lane when its thread starts (connects, for MQTT). `wake` ends the lane's idle sleep, for a lane
    /// that learns of work by itself (the MQTT lane, on a reconnection).
    func start(wake: @escaping @Sendable () -> Void)
    /// Called every turn of the lane's loop, also when idle.
    func idle()
    /// Delivers a notice to a target; blocks until the receiver answered or the lane's timeout.
    func deliver(_ notice: Notice, to target: String) -> DeliveryOutcome
    /// Deliveries sent together, then recorded in one transaction. 1 (the default) for receivers taken one request
    /// at a time, so that a crash re-sends at most one of their deliveries.
    var batchSize: Int { get }
    /// Delivers each notice to its target; one outcome per item, in order.
    func deliver(_ batch: [(notice: Notice, target: String)]) -> [DeliveryOutcome]
    /// Releases what `start` took.
    func stop()
    /// Ends deliveries in hand at once, from another thread, when the service stops: they count as failed attempts
    /// and are tried again at the next start (webhooks with the same idempotency key).
    func interrupt()
    /// The longest the lane may sleep when it has nothing due: the MQTT lane, while it has no connection, tries
    /// again every few seconds. nil: only when woken (new deliveries) or when a retry falls due.
    var idleSeconds: Double? { get }
}

extension DeliveryLane {
    var target: String? { nil }
    var retryMaximumMilliseconds: Int64? { nil }
    var batchSize: Int { 1 }
    func deliver(_ batch: [(notice: Notice, target: String)]) -> [DeliveryOutcome] {
        batch.map { deliver($0.notice, to: $0.target) }
    }
    func start(wake: @escaping @Sendable () -> Void) {}
    func idle() {}
    func stop() {}
    func interrupt() {}
    var idleSeconds: Double? { nil }
}
