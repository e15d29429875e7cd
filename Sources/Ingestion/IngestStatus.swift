import Storage

/// What the ingest loop is doing, for readiness checks, logs and tests.
public struct IngestStatus: Sendable, Hashable {
    /// Connected to the broker.
    public var brokerConnected = false
    /// The broker confirmed the subscription on the current connection: readings flow.
    public var subscribed = false
    /// Last storage error, cleared by the next successful commit. While set, nothing is acknowledged.
    public var storageError: String?
    /// Messages received and committed since start.
    public var messagesCommitted = 0
    /// Successful connections since start (1 after the first connect).
    public var connections = 0
    /// The broker's `$SYS/broker/publish/messages/dropped`, when it has told it (since the broker started).
    public var brokerDroppedMessages: Int64?
    /// The lease this ingest path wrote under was lost (issue 17): it stopped without acknowledging its last batch,
    /// and another instance has the slot.
    public var leaseLost: Lease?

    public init() {}
}
