import Logging

/// Watches mosquitto's count of messages it dropped (`$SYS/broker/publish/messages/dropped`, sent every
/// `sys_interval` seconds, retained): a queue limit reached while FloodWatch was away, readings lost before they
/// could reach it. Gauges without a `seq` counter show such loss nowhere else.
struct BrokerDrops {
    static let topic = "$SYS/broker/publish/messages/dropped"
    private var last: Int64?

    /// Logs a warning when the count grows (or is above zero when first seen: drops since the broker started),
    /// and keeps the metric and status current.
    mutating func observe(
        _ payload: [UInt8], logger: Logger, metrics: IngestMetrics, update: (Int64) -> Void
    ) {
        guard let count = Int64(String(decoding: payload, as: UTF8.self)) else { return }
        defer { last = count }
        metrics.brokerDropped.record(count)
        update(count)
        // A smaller count than before: the broker restarted, and the whole count is new since then.
        let grown = count < (last ?? 0) ? count : count - (last ?? 0)
        guard grown > 0 else { return }
        logger.warning(
            last == nil
                ? "The broker has dropped messages since it started: readings may have been lost before FloodWatch"
                : "The broker dropped messages: readings may have been lost before FloodWatch",
            metadata: [
                "dropped": "\(grown)", "dropped_since_broker_start": "\(count)",
                "fix": "raise max_queued_messages in the broker's configuration (deploy/mosquitto.conf)",
            ])
    }
}
