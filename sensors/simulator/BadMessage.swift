import Gauges

/// The broken messages a gauge sends now and then, each of which FloodWatch must reject with its reason
/// while storing the good reading that follows it.
///
/// A broken message goes out just before the good one it is a copy of and carries the same `seq`: to the
/// receiver it is a garbled transmission followed by the gauge's retry, so the stored readings keep an
/// unbroken counter. The unknown-sensor message is the exception: it has a counter of its own.
enum BadMessage: String, Sendable, Hashable, CaseIterable {
    /// The payload cut off mid-way, as by a dropped radio link: `not_json`.
    case truncatedJSON
    /// A rain gauge whose counter wrapped: `negative_rain`.
    case negativeRain
    /// A firmware that also publishes its logger temperature: `unknown_sensor`.
    case unknownSensor
    /// A sensor fault reading far outside the catalogue's physical range: `out_of_range`.
    case outOfRange
    /// A gauge whose clock was not set yet and leaves the time out: `missing_field`.
    case missingTimestamp

    /// What the log says about it.
    var summary: String {
        switch self {
        case .truncatedJSON: "truncated JSON"
        case .negativeRain: "negative rain"
        case .unknownSensor: "unknown sensor topic"
        case .outOfRange: "value outside the physical range"
        case .missingTimestamp: "missing ts"
        }
    }

    /// The sensor topic an unknown-sensor message goes to.
    static let unknownSensorName = "temperature"

    /// The kinds that make sense for a message carrying these sensors (negative rain needs a rain gauge).
    static func applicable(to sensors: [String]) -> [BadMessage] {
        allCases.filter { $0 != .negativeRain || sensors.contains(SensorKind.rain.rawValue) }
    }

    /// The broken copy of a genuine message.
    /// - Parameters:
    ///   - genuine: the readings of the good message it goes with (one for form a, several for SenML).
    ///   - senML: whether the station speaks SenML (then the broken message is a broken pack too).
    ///   - range: the physical range of each sensor, for an out-of-range value.
    ///   - temperatureSeq: the counter of the station's temperature topic, for an unknown-sensor message.
    ///   - random: where the cut falls, how negative, how hot.
    func message(
        station: String, genuine: [Measurement], senML: Bool, ranges: [String: ClosedRange<Double>],
        temperatureSeq: Int64, random: inout SeededRandom
    ) -> OutgoingMessage {
        let first = genuine[0]
        let topic = senML ? "gauges/\(station)" : first.topic
        func write(_ readings: [Measurement], time: PayloadWriter.TimeStyle = .localRFC3339) -> String {
            senML
                ? PayloadWriter.senML(station: station, readings, includeTime: time != .omitted)
                : PayloadWriter.reading(readings[0], time: time)
        }
        switch self {
        case .truncatedJSON:
            let whole = write(genuine)
            let cut = 1 + Int(random.unit() * Double(whole.utf8.count - 2))
            let payload = String(decoding: whole.utf8.prefix(cut), as: UTF8.self)
            return OutgoingMessage(topic: topic, payload: payload, kind: .bad(self), readings: 0)
        case .negativeRain:
            let changed = genuine.map { reading in
                var reading = reading
                if reading.sensor == SensorKind.rain.rawValue { reading.value = -(0.5 + random.unit() * 4.5) }
                return reading
            }
            // As form a it must be the rain topic even when the genuine message was the level.
            let rain = changed.first { $0.sensor == SensorKind.rain.rawValue } ?? changed[0]
            let payload = senML ? write(changed) : PayloadWriter.reading(rain)
            return OutgoingMessage(topic: senML ? topic : rain.topic, payload: payload, kind: .bad(self), readings: 0)
        case .unknownSensor:
            let temperature = Measurement(
                station: station, sensor: Self.unknownSensorName, timestamp: first.timestamp,
                value: 24 + random.unit() * 8, seq: temperatureSeq)
            let payload = PayloadWriter.reading(temperature)
            return OutgoingMessage(topic: temperature.topic, payload: payload, kind: .bad(self), readings: 0)
        case .outOfRange:
            var changed = genuine
            let range = ranges[first.sensor] ?? 0...100
            // Twice the range above its top: unmistakably a fault, not a record flood.
            changed[0].value = range.upperBound + (range.upperBound - range.lowerBound) * 2
            return OutgoingMessage(topic: topic, payload: write(changed), kind: .bad(self), readings: 0)
        case .missingTimestamp:
            return OutgoingMessage(topic: topic, payload: write(genuine, time: .omitted), kind: .bad(self), readings: 0)
        }
    }
}
