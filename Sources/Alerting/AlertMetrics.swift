import Alerts
import CoreMetrics

/// Counters of the alert service, exported by the process's metrics backend.
struct AlertMetrics {
    /// `floodwatch_alert_deliveries_total{channel, outcome}`: outcome `sent`, `retry` (an attempt failed and will
    /// be repeated) or `failed` (given up after the retry period).
    let deliveries: [AlertChannel: [String: Counter]]
    /// `floodwatch_alert_notices_total{kind}`: notices routed, by kind (event, reminder, grouped).
    let notices: [NoticeKind: Counter]

    init(factory: any MetricsFactory) {
        var deliveries: [AlertChannel: [String: Counter]] = [:]
        for channel in AlertChannel.allCases {
            var outcomes: [String: Counter] = [:]
            for outcome in ["sent", "retry", "failed"] {
                outcomes[outcome] = Counter(
                    label: "floodwatch_alert_deliveries_total",
                    dimensions: [("channel", channel.rawValue), ("outcome", outcome)], factory: factory)
            }
            deliveries[channel] = outcomes
        }
        self.deliveries = deliveries
        var notices: [NoticeKind: Counter] = [:]
        for kind in NoticeKind.allCases {
            notices[kind] = Counter(
                label: "floodwatch_alert_notices_total", dimensions: [("kind", kind.rawValue)], factory: factory)
        }
        self.notices = notices
    }

    func delivery(_ channel: AlertChannel, _ outcome: String) {
        deliveries[channel]?[outcome]?.increment()
    }
}
