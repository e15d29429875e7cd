/// One sensor of a station, as the catalogue declares it.
public struct Sensor: Sendable, Hashable {
    public var kind: SensorKind
    /// How often the gauge reports, in seconds. The silent-gauge rule and the simulator use it.
    public var interval: Int
    /// The physically possible values, in the kind's unit. A reading outside is rejected, never stored.
    public var range: ClosedRange<Double>

    public init(kind: SensorKind, interval: Int, range: ClosedRange<Double>) {
        self.kind = kind
        self.interval = interval
        self.range = range
    }

    public var unit: String { kind.unit }
}
