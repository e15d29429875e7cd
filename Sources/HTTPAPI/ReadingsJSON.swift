import Gauges

/// The one JSON encoding of readings: the readings answer (`APIModels.Readings`) and the live stream's `reading`
/// events. Written by hand: long hydrographs are the API's hot path, and Foundation's JSONEncoder spends
/// milliseconds on a few thousand small objects where appending text takes microseconds. `openapi.yaml` describes
/// the fields; the API tests read them through a JSON parser.
enum ReadingsJSON {
    static func encode(_ readings: APIModels.Readings) -> String {
        var out = "{"
        out += field("station") + string(readings.station) + ","
        out += field("sensor") + string(readings.sensor) + ","
        out += field("unit") + string(readings.unit) + ","
        out += field("from") + string(readings.from) + ","
        out += field("to") + string(readings.to) + ","
        out += field("step") + (readings.step.map(string) ?? "null")
        if let points = readings.points {
            out += "," + field("points") + "["
            for (index, point) in points.enumerated() {
                if index > 0 { out += "," }
                out += "{" + pointFields(time: point.time, value: point.value, quality: point.quality) + "}"
            }
            out += "]"
        }
        if let buckets = readings.buckets {
            out += "," + field("buckets") + "["
            for (index, bucket) in buckets.enumerated() {
                if index > 0 { out += "," }
                out +=
                    "{" + field("time") + string(bucket.time) + "," + field("count") + String(bucket.count) + ","
                    + field("min") + number(bucket.min) + "," + field("max") + number(bucket.max)
                if let mean = bucket.mean { out += "," + field("mean") + number(mean) }
                if let last = bucket.last { out += "," + field("last") + number(last) }
                if let sum = bucket.sum { out += "," + field("sum") + number(sum) }
                out += "}"
            }
            out += "]"
        }
        return out + "}"
    }

    /// A reading as the live stream sends it: `{station, sensor, time, value, quality}`.
    static func liveReading(_ reading: Reading) -> String {
        "{" + field("station") + string(reading.station) + "," + field("sensor") + string(reading.sensor.rawValue) + ","
            + pointFields(
                time: UnixTime.vietnam(reading.timestamp), value: reading.value, quality: reading.quality.rawValue)
            + "}"
    }

    /// `"time":…,"value":…,"quality":…`, the fields every reading is written with.
    private static func pointFields(time: String, value: Double, quality: Int) -> String {
        field("time") + string(time) + "," + field("value") + number(value) + "," + field("quality") + String(quality)
    }

    private static func field(_ name: String) -> String {
        "\"" + name + "\":"
    }

    /// Readings are finite (the decoder rejects anything else); Swift prints the shortest exact form.
    static func number(_ value: Double) -> String {
        value.isFinite ? "\(value)" : "null"
    }

    static func string(_ text: String) -> String {
        JSONValue.literal(text)
    }
}
