/// A warning that is not cleared, as the retained MQTT summary and the Atom feed show it.
public struct ActiveWarning: Sendable, Hashable {
    /// The warning's latest event (not an acknowledgement).
    public var latest: StoredWarningEvent
    /// When it was raised (reading time, Unix ms UTC).
    public var raisedAt: Int64
    /// The acknowledgement that covers its current level, if any.
    public var acknowledgedBy: String?
    public var acknowledgedAt: Int64?

    public init(
        latest: StoredWarningEvent, raisedAt: Int64, acknowledgedBy: String? = nil, acknowledgedAt: Int64? = nil
    ) {
        self.latest = latest
        self.raisedAt = raisedAt
        self.acknowledgedBy = acknowledgedBy
        self.acknowledgedAt = acknowledgedAt
    }
}
