import Gauges

/// One reading as a gauge has taken and numbered it, ready to be written into a payload.
struct Measurement: Sendable, Hashable {
    var station: String
    /// The topic's sensor level: a catalogue kind, or something else for a deliberately bad message.
    var sensor: String
    /// Unix epoch milliseconds.
    var timestamp: Int64
    var value: Double
    /// The gauge's message counter for this station and sensor.
    var seq: Int64

    init(station: String, sensor: String, timestamp: Int64, value: Double, seq: Int64) {
        self.station = station
        self.sensor = sensor
        self.timestamp = timestamp
        self.value = value
        self.seq = seq
    }

    init(station: String, sensor: SensorKind, timestamp: Int64, value: Double, seq: Int64) {
        self.init(station: station, sensor: sensor.rawValue, timestamp: timestamp, value: value, seq: seq)
    }

    /// `gauges/<station>/<sensor>`.
    var topic: String { "gauges/\(station)/\(sensor)" }
}
