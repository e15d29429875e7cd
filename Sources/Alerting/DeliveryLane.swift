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
    /// Prepares the lane when its thread starts (connects, for MQTT).
    func start()
    /// Called every turn of the lane's loop, also when idle.
    func idle()
    /// Delivers a notice to a target; blocks until the receiver answered or the lane's timeout.
    func deliver(_ notice: Notice, to target: String) -> DeliveryOutcome
    /// Releases what `start` took.
    func stop()
}

extension DeliveryLane {
    var target: String? { nil }
    var retryMaximumMilliseconds: Int64? { nil }
    func start() {}
    func idle() {}
    func stop() {}
}
