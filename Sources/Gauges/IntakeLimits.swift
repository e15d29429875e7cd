/// The bounds every incoming payload is held to. Anything outside is rejected with its reason.
public struct IntakeLimits: Sendable, Hashable {
    /// Largest payload accepted, in bytes (256 KiB).
    public var maxPayloadBytes: Int = 256 * 1024
    /// Most readings in one backlog upload or SenML pack.
    public var maxBacklogReadings: Int = 10_000
    /// How far a reading's time may be ahead of FloodWatch's clock: gauge clocks drift a little.
    public var maxFutureMilliseconds: Int64 = 5 * 60 * 1000
    /// Readings before this are rejected (2000-01-01T00:00:00Z): no gauge of the network is that old,
    /// so such a time is a gauge with a reset clock.
    public var earliestTimestamp: Int64 = 946_684_800_000
    /// Deepest JSON nesting accepted; the wire contract needs 2 levels, the margin is for tolerance only.
    public var maxJSONDepth: Int = 16

    public init() {}
}
