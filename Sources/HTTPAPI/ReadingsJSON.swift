import Gauges

/// The JSON of a readings answer, written by hand: long hydrographs are the API's hot path, and Foundation's
/// JSONEncoder spends milliseconds on a few thousand small objects where appending text takes microseconds.
/// Same fields as `APIModels.Readings` (the API tests read both through a JSON parser).
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
                out +=
                    "{" + field("time") + string(point.time) + "," + field("value") + number(point.value) + ","
                    + field("quality") + String(point.quality) + "}"
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
