/// Why a payload, or one reading inside it, was not stored.
///
/// Each reason has a short stable `code` (the metric label and the `rejected.reason_code` column, a bounded set)
/// and a `description` for the person reading `rejected.reason`: what was wrong, with the offending value.
public enum RejectionReason: Error, Sendable, Hashable, CustomStringConvertible {
    case payloadTooLarge(bytes: Int, limit: Int)
    case invalidUTF8(offset: Int)
    /// Not JSON or truncated; the detail names the byte offset.
    case notJSON(detail: String)
    /// The topic is not `gauges/<station>/<sensor>` or `gauges/<station>`.
    case badTopic(topic: String, detail: String)
    case unknownStation(String)
    case unknownSensor(station: String, sensor: String, known: [SensorKind])
    /// Valid JSON of the wrong form, e.g. a number where an object was expected.
    case wrongShape(detail: String)
    case missingField(String)
    case notANumber(field: String, text: String)
    /// NaN or ±infinity, whether spelled as a string or overflowing a JSON number.
    case notFinite(field: String, text: String)
    case badTimestamp(detail: String)
    case timeInFuture(timestamp: Int64, now: Int64)
    case timeTooOld(timestamp: Int64, earliest: Int64)
    case outOfRange(value: Double, sensor: Sensor)
    case negativeRain(Double)
    case backlogTooLarge(count: Int, limit: Int)
    /// A field present with a value it cannot have: `quality`, `seq`, a SenML unit, a duplicate key.
    case badField(field: String, detail: String)
    /// Same station, sensor and time as a stored reading, with another value: the first one stays.
    case conflict(stored: Double, incoming: Double, timestamp: Int64)

    /// Stable, bounded identifier for metrics and queries.
    public var code: String {
        switch self {
        case .payloadTooLarge: "payload_too_large"
        case .invalidUTF8: "invalid_utf8"
        case .notJSON: "not_json"
        case .badTopic: "bad_topic"
        case .unknownStation: "unknown_station"
        case .unknownSensor: "unknown_sensor"
        case .wrongShape: "wrong_shape"
        case .missingField: "missing_field"
        case .notANumber: "not_a_number"
        case .notFinite: "not_finite"
        case .badTimestamp: "bad_timestamp"
        case .timeInFuture: "time_in_future"
        case .timeTooOld: "time_too_old"
        case .outOfRange: "out_of_range"
        case .negativeRain: "negative_rain"
        case .backlogTooLarge: "backlog_too_large"
        case .badField: "bad_field"
        case .conflict: "conflict"
        }
    }

    /// Every code, for documentation and for creating one counter per code up front.
    public static let allCodes: [String] = [
        "payload_too_large", "invalid_utf8", "not_json", "bad_topic", "unknown_station", "unknown_sensor",
        "wrong_shape", "missing_field", "not_a_number", "not_finite", "bad_timestamp", "time_in_future",
        "time_too_old", "out_of_range", "negative_rain", "backlog_too_large", "bad_field", "conflict",
    ]

    public var description: String {
        switch self {
        case .payloadTooLarge(let bytes, let limit):
            return "payload is \(bytes) bytes, over the \(limit)-byte limit; split the upload"
        case .invalidUTF8(let offset):
            return "payload is not valid UTF-8 (bad byte at offset \(offset))"
        case .notJSON(let detail):
            return "not JSON: \(detail)"
        case .badTopic(let topic, let detail):
            return
                "topic \(Self.quoted(topic)) \(detail); expected gauges/<station>/<sensor> or gauges/<station> (SenML)"
        case .unknownStation(let id):
            return "unknown station \(Self.quoted(id)): not in the station catalogue"
        case .unknownSensor(let station, let sensor, let known):
            let list = known.map(\.rawValue).joined(separator: ", ")
            return "station \(Self.quoted(station)) has no sensor \(Self.quoted(sensor)) (it reports: \(list))"
        case .wrongShape(let detail):
            return detail
        case .missingField(let field):
            return "missing \"\(field)\""
        case .notANumber(let field, let text):
            return "\"\(field)\" is not a number: \(Self.quoted(text))"
        case .notFinite(let field, let text):
            return "\"\(field)\" is not a finite number: \(Self.quoted(text))"
        case .badTimestamp(let detail):
            return "bad \"ts\": \(detail)"
        case .timeInFuture(let timestamp, let now):
            let ahead = Double(timestamp - now) / 1000
            var text =
                "time \(UnixTime.rfc3339(timestamp)) is \(Self.duration(seconds: ahead)) ahead of FloodWatch's clock "
                + "(\(UnixTime.rfc3339(now))); more than 5 minutes in the future"
            // A gauge sending milliseconds where seconds are expected lands tens of thousands of years ahead.
            if timestamp > 100_000_000_000_000 { text += "; was ts sent in milliseconds instead of Unix seconds?" }
            return text
        case .timeTooOld(let timestamp, let earliest):
            return
                "time \(UnixTime.rfc3339(timestamp)) is before \(UnixTime.rfc3339(earliest)); is the gauge's clock reset?"
        case .outOfRange(let value, let sensor):
            return
                "\(sensor.kind.rawValue) \(Self.number(value)) \(sensor.unit) is outside the physical range "
                + "\(Self.number(sensor.range.lowerBound))…\(Self.number(sensor.range.upperBound)) \(sensor.unit) of the catalogue"
        case .negativeRain(let value):
            return "rain cannot be negative (\(Self.number(value)) mm)"
        case .backlogTooLarge(let count, let limit):
            return "backlog of \(count) readings is over the limit of \(limit); upload it in smaller parts"
        case .badField(let field, let detail):
            return "bad \"\(field)\": \(detail)"
        case .conflict(let stored, let incoming, let timestamp):
            return
                "conflicts with stored value: \(Self.number(stored)) is already stored for \(UnixTime.rfc3339(timestamp)), "
                + "this reading says \(Self.number(incoming)); the first value is kept"
        }
    }

    /// Quotes text from the wire for a message, shortened so a hostile payload cannot flood the log.
    static func quoted(_ text: String) -> String {
        let limit = 64
        let shown = text.count > limit ? String(text.prefix(limit)) + "…" : text
        return "'" + shown + "'"
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    private static func duration(seconds: Double) -> String {
        if seconds < 120 { return "\(Int(seconds)) s" }
        if seconds < 7200 { return "\(Int(seconds / 60)) min" }
        if seconds < 172_800 { return "\(Int(seconds / 3600)) h" }
        return "\(Int(seconds / 86_400)) days"
    }
}
