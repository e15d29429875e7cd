/// What one MQTT message turned into: the readings to store and the parts to keep as rejected.
/// A message may give both, e.g. a backlog in which one reading has no timestamp.
public struct DecodedMessage: Sendable, Hashable {
    public var readings: [DecodedReading]
    public var rejections: [Rejection]

    public init(readings: [DecodedReading] = [], rejections: [Rejection] = []) {
        self.readings = readings
        self.rejections = rejections
    }
}

/// A valid reading and the bytes of the payload it came from, kept so that a reading that later conflicts
/// with a stored one can be shown to the operator exactly as the gauge sent it.
public struct DecodedReading: Sendable, Hashable {
    public var reading: Reading
    public var payloadRange: Range<Int>

    public init(reading: Reading, payloadRange: Range<Int>) {
        self.reading = reading
        self.payloadRange = payloadRange
    }
}
