/// One measurement of one sensor: the unit of storage, deduplication and evaluation.
///
/// `(station, sensor, timestamp)` identifies a reading: a redelivered or re-uploaded copy has the same key
/// and is stored once.
public struct Reading: Sendable, Hashable {
    public var station: String
    public var sensor: SensorKind
    /// Measurement time, Unix epoch milliseconds, UTC.
    public var timestamp: Int64
    /// In the sensor kind's unit (metres for level, millimetres for rain).
    public var value: Double
    public var quality: Quality
    /// The gauge's increasing message counter, when it sends one; reveals readings lost upstream.
    public var seq: Int64?

    public init(
        station: String,
        sensor: SensorKind,
        timestamp: Int64,
        value: Double,
        quality: Quality = .good,
        seq: Int64? = nil
    ) {
        self.station = station
        self.sensor = sensor
        self.timestamp = timestamp
        self.value = value
        self.quality = quality
        self.seq = seq
    }
}
