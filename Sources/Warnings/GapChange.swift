import Gauges

/// Readings a gauge numbered (`seq`) but FloodWatch never received, between two stored readings of one sensor.
public struct CounterGap: Sendable, Hashable {
    public var station: String
    public var sensor: SensorKind
    /// The first and last missing counter values.
    public var firstSeq: Int64
    public var lastSeq: Int64
    /// The times of the stored readings on either side (Unix ms UTC).
    public var after: Int64
    public var before: Int64

    public init(station: String, sensor: SensorKind, firstSeq: Int64, lastSeq: Int64, after: Int64, before: Int64) {
        self.station = station
        self.sensor = sensor
        self.firstSeq = firstSeq
        self.lastSeq = lastSeq
        self.after = after
        self.before = before
    }

    public var missing: Int64 { lastSeq - firstSeq + 1 }
}

/// What one storing transaction found out about a sensor's counter gaps: the facts the gap rule (`GapRule`) judges.
/// The storage finds them, because only it sees every stored counter; it decides nothing about warnings.
public enum GapChange: Sendable, Hashable {
    /// A gap was found.
    case opened(CounterGap)
    /// The last missing reading of a gap arrived; `stillOpen` gaps of the sensor remain open after the transaction.
    case filled(CounterGap, stillOpen: Int)

    public var gap: CounterGap {
        switch self {
        case .opened(let gap), .filled(let gap, _): gap
        }
    }
}
