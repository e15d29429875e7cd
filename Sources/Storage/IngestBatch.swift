import Gauges
import Warnings

/// Messages received together from the broker and decoded, to be stored in one transaction.
/// Their acknowledgements leave only after that transaction commits.
public struct IngestBatch: Sendable {
    public struct Message: Sendable {
        public var topic: String
        public var payload: [UInt8]
        public var decoded: DecodedMessage

        public init(topic: String, payload: [UInt8], decoded: DecodedMessage) {
            self.topic = topic
            self.payload = payload
            self.decoded = decoded
        }
    }

    /// When FloodWatch received the batch (Unix epoch ms); stored as `received_at`.
    public var receivedAt: Int64
    public var messages: [Message]

    public init(receivedAt: Int64, messages: [Message] = []) {
        self.receivedAt = receivedAt
        self.messages = messages
    }

    public var readingCount: Int {
        messages.reduce(0) { $0 + $1.decoded.readings.count }
    }
}

/// What storing a batch did.
public struct IngestOutcome: Sendable {
    /// New rows in `readings`.
    public var stored = 0
    /// Readings already stored with the same value (redeliveries, re-uploads): no row added.
    public var duplicates = 0
    /// Rows written to `rejected`, conflicts with stored values included, for logs and metrics.
    public var rejected: [RejectedRecord] = []
    /// Rows written to `warnings`.
    public var warnings: [WarningEvent] = []
    /// The readings stored (for the live event stream).
    public var newReadings: [Reading] = []
    /// Gaps in gauges' counters these readings revealed (readings lost upstream).
    public var gaps: [SequenceGap] = []

    public init() {}
}

/// What the warning engine made of the readings a transaction stored, written in that same transaction so that a
/// reading and the warning events it causes commit together.
public struct EngineResult: Sendable {
    /// Readings to store as suspect (an implausible jump not yet confirmed).
    public var suspect: [Reading]
    public var events: [WarningEvent]
    /// The engine's state of every sensor that changed, so that a restart resumes where it stopped.
    public var snapshots: [SensorKey: SensorSnapshot]

    public init(suspect: [Reading] = [], events: [WarningEvent] = [], snapshots: [SensorKey: SensorSnapshot] = [:]) {
        self.suspect = suspect
        self.events = events
        self.snapshots = snapshots
    }
}

/// One row written to `rejected`.
public struct RejectedRecord: Sendable, Hashable {
    public var topic: String
    public var station: String?
    public var sensor: String?
    public var code: String
    public var reason: String

    public init(topic: String, station: String?, sensor: String?, code: String, reason: String) {
        self.topic = topic
        self.station = station
        self.sensor = sensor
        self.code = code
        self.reason = reason
    }
}
