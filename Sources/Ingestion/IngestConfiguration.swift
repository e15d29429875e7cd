import Gauges
import MQTT

/// How FloodWatch takes readings from the broker.
public struct IngestConfiguration: Sendable {
    /// Broker address and the fixed client id of FloodWatch's persistent session.
    public var broker: MQTTConfiguration
    /// Subscribed on every connect (`subscriptionQoS`): every gauge's topics, or those of one slot's stations
    /// (`GaugeTopic.filter(station:)`, issue 17). Readings flow once the broker granted them all.
    public var topicFilters: [String] = [GaugeTopic.filter]
    /// The QoS of those subscriptions. 0 only for a session that must not have the broker queue gauges' traffic
    /// for it while it is away: the one that keeps readings of unknown stations (`ignoredStations`).
    public var subscriptionQoS = 1
    /// Stations whose messages this path lets go unread (acknowledged, neither stored nor rejected): the slots'
    /// sessions store them. Set for the session that subscribes to every gauge topic only to keep, with their
    /// reason, the readings of stations in no slot.
    public var ignoredStations: Set<String> = []
    /// The `session` dimension of `floodwatch_broker_connected`, for an instance that runs several sessions (a
    /// slot's lease name); nil for the one session of a single instance.
    public var metricsSession: String?
    /// Most messages committed in one transaction: what closes a batch while a backlog drains. Each commit
    /// rewrites every table page its batch touched, so larger batches write less per reading: draining 200,000
    /// readings of 1,000 gauges, batches of 20,000 wrote 250–310 bytes a reading against 680–720 with 5,000, and
    /// drained at 195,000–266,000 readings/s against 137,000–212,000 (`docs/benchmarks.md`); peak memory at
    /// 10,000 stations 116 against 105 MiB. Live traffic never fills one: at 20,000 readings/s offered a batch held
    /// 15 messages on average. The broker's `max_inflight_messages` does not bound a drain: mosquitto 2.0.11 sent
    /// a backlog queued for the session 20,000 unacknowledged messages at a time with 1,000 configured.
    public var maxBatchMessages: Int = 20000
    /// Payload bytes after which a batch is closed: with payloads of up to 256 KiB, a batch bounded by count alone
    /// could hold gigabytes (measured: a flood of near-limit hostile payloads took the
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
