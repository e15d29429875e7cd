/// A payload, or one reading inside a backlog or SenML pack, that is kept in `rejected` instead of `readings`.
public struct Rejection: Sendable, Hashable {
    public var reason: RejectionReason
    /// The bytes of the payload the reason is about: the whole payload, or one element of a backlog.
    public var payloadRange: Range<Int>
    /// Where the element sits in its backlog or pack; nil when the reason is about the whole payload.
    public var element: ElementPosition?
    /// Station and sensor, when the topic or the pack names them.
    public var station: String?
    public var sensor: String?

    public init(
        reason: RejectionReason,
        payloadRange: Range<Int>,
        element: ElementPosition? = nil,
        station: String? = nil,
        sensor: String? = nil
    ) {
        self.reason = reason
        self.payloadRange = payloadRange
        self.element = element
        self.station = station
        self.sensor = sensor
    }

    /// What an operator reads in `rejected.reason`, e.g. `reading 3 of 40: missing "ts"`.
    public var message: String {
        guard let element else { return reason.description }
        return "reading \(element.index + 1) of \(element.count): \(reason.description)"
    }
}

/// The position of one element in a backlog array or SenML pack.
public struct ElementPosition: Sendable, Hashable {
    /// 0-based.
    public var index: Int
    public var count: Int

    public init(index: Int, count: Int) {
        self.index = index
        self.count = count
    }
}
