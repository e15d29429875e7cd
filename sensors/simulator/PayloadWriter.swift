import Gauges

/// Writes the JSON payloads of the wire contract by hand: form a (one reading), form b (a backlog array)
/// and form c (SenML).
///
/// By hand rather than with an encoder so that the bytes are exactly what the contract shows: keys in a fixed
/// order, times in Vietnam local time, and numbers with a fixed precision (millimetres for levels, the 0.1 mm
/// tip of a rain gauge) instead of binary noise such as `4.0200000000000005`.
enum PayloadWriter {
    /// How form a writes its time.
    enum TimeStyle: Sendable {
        /// `"2022-10-11T05:00:00+07:00"`: what the simulated gauges send.
        case localRFC3339
        /// `1665439200`: for replayed lines that gave Unix seconds.
        case unixSeconds
        /// No `ts` at all: only the deliberately bad "missing ts" message.
        case omitted
    }

    /// Form a: `{"ts":"2022-10-11T05:00:00+07:00","value":4.02,"seq":17}`.
    static func reading(_ measurement: Measurement, time: TimeStyle = .localRFC3339) -> String {
        var fields: [String] = []
        switch time {
        case .localRFC3339: fields.append("\"ts\":" + timestamp(measurement.timestamp))
        case .unixSeconds: fields.append("\"ts\":" + seconds(measurement.timestamp))
        case .omitted: break
        }
        fields.append("\"value\":" + number(measurement.value, decimals: decimals(for: measurement.sensor)))
        fields.append("\"seq\":" + String(measurement.seq))
        return "{" + fields.joined(separator: ",") + "}"
    }

    /// Form b: a JSON array of form-a objects, oldest first.
    static func backlog(_ measurements: [Measurement]) -> String {
        "[" + measurements.map { reading($0) }.joined(separator: ",") + "]"
    }

    /// Form c: `[{"bn":"cau-lau/","bt":1665439200,"n":"level","u":"m","v":4.02},{"n":"rain","u":"mm","v":12.5}]`.
    ///
    /// Base name and base time carry over to the following records (RFC 8428), so `bt` is written again only
    /// where the time changes, as in a backlog pack. SenML has no place for `seq`.
    /// - Parameter includeTime: false only for the deliberately bad pack without a time.
    static func senML(station: String, _ measurements: [Measurement], includeTime: Bool = true) -> String {
        var records: [String] = []
        var currentTime: Int64?
        for (index, measurement) in measurements.enumerated() {
            var fields: [String] = []
            if index == 0 { fields.append("\"bn\":" + string(station + "/")) }
            if includeTime, measurement.timestamp != currentTime {
                fields.append("\"bt\":" + seconds(measurement.timestamp))
                currentTime = measurement.timestamp
            }
            fields.append("\"n\":" + string(measurement.sensor))
            if let kind = SensorKind(rawValue: measurement.sensor) { fields.append("\"u\":" + string(kind.unit)) }
            fields.append("\"v\":" + number(measurement.value, decimals: decimals(for: measurement.sensor)))
            records.append("{" + fields.joined(separator: ",") + "}")
        }
        return "[" + records.joined(separator: ",") + "]"
    }

    /// RFC 3339 in Vietnam local time, quoted: what a gauge of the network sends.
    static func timestamp(_ milliseconds: Int64) -> String {
        "\"" + UnixTime.rfc3339(milliseconds, offsetSeconds: UnixTime.vietnamOffsetSeconds) + "\""
    }

    /// Unix seconds, with milliseconds as a fraction only when there are some.
    static func seconds(_ milliseconds: Int64) -> String {
        number(Double(milliseconds) / 1000, decimals: 3)
    }

    /// Levels to the millimetre, rain to the 0.1 mm tip, anything else to 3 decimals.
    static func decimals(for sensor: String) -> Int {
        sensor == SensorKind.rain.rawValue ? 1 : 3
    }

    /// A JSON number with at most `decimals` decimals and no trailing zeros: `4.02`, `12.5`, `0`, `-3.2`.
    /// Rounded in integer arithmetic so that no binary representation error reaches the text.
    static func number(_ value: Double, decimals: Int) -> String {
        precondition(value.isFinite, "JSON has no NaN or infinity")
        var scale: Int64 = 1
        for _ in 0..<decimals { scale *= 10 }
        // Beyond what Int64 holds scaled, no gauge value lives; Swift's shortest form is valid JSON there.
        guard abs(value) * Double(scale) < 9e15 else { return String(value) }
        let scaled = Int64((value * Double(scale)).rounded())
        if scaled == 0 { return "0" }  // never "-0"
        let magnitude = scaled.magnitude
        var text = (scaled < 0 ? "-" : "") + String(magnitude / UInt64(scale))
        var fraction = magnitude % UInt64(scale)
        guard fraction != 0 else { return text }
        var digits = decimals
        while fraction % 10 == 0 {
            fraction /= 10
            digits -= 1
        }
        let fractionText = String(fraction)
        text += "." + String(repeating: "0", count: digits - fractionText.count) + fractionText
        return text
    }

    /// A JSON string literal, escaped as FloodWatch's own JSON code does (RFC 8259 §7).
    static func string(_ text: String) -> String {
        JSONValue.literal(text)
    }
}
