import Gauges
import MQTT

/// How FloodWatch takes readings from the broker.
public struct IngestConfiguration: Sendable {
    /// Broker address and the fixed client id of FloodWatch's persistent session.
    public var broker: MQTTConfiguration
    /// Subscribed at QoS 1 on every connect.
    public var topicFilter: String = GaugeTopic.filter
    /// Most messages committed in one transaction. The broker's `max_inflight_messages` bounds a batch too:
    /// it sends no more unacknowledged messages than that.
    public var maxBatchMessages: Int = 5000
    /// Payload bytes after which a batch is closed: with 1,000 messages in flight and payloads of up to 256 KiB,
    /// a batch bounded by count alone could hold 256 MB (measured: a flood of near-limit hostile payloads took the
    /// debug build to 143 MiB resident). Typical readings are ~50 bytes: this never limits normal traffic.
    public var maxBatchBytes: Int = 4 * 1024 * 1024
    /// Reconnect delays double from the first to the cap, with a little jitter so many clients do not
    /// reconnect in step after a broker restart.
    public var reconnectDelay: ClosedRange<Double> = 0.25...10
    /// The same for retrying a transaction that failed (disk full, database locked).
    public var storageRetryDelay: ClosedRange<Double> = 0.5...30
    /// Limits applied to every payload.
    public var limits = IntakeLimits()
    /// How often silent gauges are looked for while intake is idle (tests shorten it).
    public var silenceCheckSeconds = 10

    public init(broker: MQTTConfiguration) {
        self.broker = broker
    }

    /// The client id FloodWatch uses when none is configured. Keep it fixed: the broker keeps the session,
    /// and the readings queued while FloodWatch is down, under this id.
    public static let defaultClientID = "floodwatch"
}
