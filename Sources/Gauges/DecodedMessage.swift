/// What one MQTT message turned into: the readings to store and the parts to keep as rejected.
/// A message may give both, e.g. a backlog in which one reading has no timestamp.
public struct DecodedMessage: Sendable, Hashable {
    public var readings: [DecodedReading]
    public var rejections: [Rejection]

    public init(readings: [DecodedReading] = [], rejections: [Rejection] = []) {
        self.readings = readings
        self.rejections = rejections
    }

    /// Adds the outcome of one element of a backlog or SenML pack: its reading, or its rejection with its place.
    mutating func append(
        _ outcome: Result<Reading, RejectionReason>, range: Range<Int>, position: ElementPosition, station: String,
        sensor: String?
    ) {
        switch outcome {
        case .success(let reading):
            readings.append(DecodedReading(reading: reading, payloadRange: range))
        case .failure(let reason):
            rejections.append(
                Rejection(reason: reason, payloadRange: range, element: position, station: station, sensor: sensor))
        }
    }
}

/// A valid reading and the bytes of the payload it came from, kept so that a reading that later conflicts
/// with a stored one can be shown to the operator exactly as the gauge sent it.
public struct DecodedReading: Sendable, Hashable {
    public var reading: Reading
    public var payloadRange: Range<Int>
    /// The reading's sensor numbered in the catalogue that decoded it (`StationCatalogue.sensorIndex`); nil for a
    /// reading that came another way. Storage finds the sensor's series by it without hashing the station's text.
    public var catalogueIndex: Int?

    public init(reading: Reading, payloadRange: Range<Int>, catalogueIndex: Int? = nil) {
        self.reading = reading
        self.payloadRange = payloadRange
        self.catalogueIndex = catalogueIndex
    }
}
