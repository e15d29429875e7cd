/// Where a gauge publishes: `gauges/<station>/<sensor>` for one reading or a backlog of one sensor,
/// `gauges/<station>` for a SenML pack that may carry several sensors.
public enum GaugeTopic: Sendable, Hashable {
    case sensor(station: String, sensor: String)
    case station(String)

    /// The filter FloodWatch subscribes to.
    public static let filter = "gauges/#"

    /// The filter of one station's topics: what a slot's session subscribes to for each of its stations (issue 17).
    public static func filter(station: String) -> String { "\(prefix)/\(station)/#" }
    static let prefix = "gauges"

    /// The station a topic under `gauges/` names (its second level), even when the rest of it is malformed.
    public static func station(in topic: String) -> String? {
        let levels = topic.split(separator: "/", maxSplits: 2, omittingEmptySubsequences: false)
        guard levels.count >= 2, levels[0] == Substring(prefix), !levels[1].isEmpty else { return nil }
        return String(levels[1])
    }

    public var station: String {
        switch self {
        case .sensor(let station, _): station
        case .station(let station): station
        }
    }

    /// Parses a topic, or says what is wrong with it in words an operator understands.
    public static func parse(_ topic: String) -> Result<GaugeTopic, RejectionReason> {
        if let parsed = wellFormed(topic) { return .success(parsed) }
        // Not the usual shape: split it to say what is wrong (on bytes, as MQTT separates levels).
        let levels = topic.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).map(
            Substring.init)
        guard levels.first == Substring(prefix) else {
            return .failure(.badTopic(topic: topic, detail: "is not under gauges/"))
        }
        if levels.dropFirst().contains(where: \.isEmpty) {
            return .failure(.badTopic(topic: topic, detail: "has an empty level"))
        }
        switch levels.count {
        case 1:
            return .failure(.badTopic(topic: topic, detail: "names no station"))
        case 2:
            return .success(.station(String(levels[1])))
        case 3:
            return .success(.sensor(station: String(levels[1]), sensor: String(levels[2])))
        default:
            return .failure(.badTopic(topic: topic, detail: "has \(levels.count - 3) extra level(s)"))
        }
    }

    /// `gauges/<station>` or `gauges/<station>/<sensor>` with no empty level, read on the bytes; nil for anything
    /// else, which `parse` then explains. Every message goes through here: splitting the String instead walks
    /// grapheme clusters and allocates an array. Measured (`bench ingest`, drain): decoding a reading took
    /// 4.0–4.4 µs with the split, 2.1 µs with this.
    static func wellFormed(_ topic: String) -> GaugeTopic? {
        var topic = topic
        return topic.withUTF8 { bytes -> GaugeTopic? in
            let slash = UInt8(ascii: "/")
            let start = prefix.utf8.count + 1  // the station's first byte
            guard bytes.count > start, bytes.starts(with: prefix.utf8), bytes[start - 1] == slash else { return nil }
            func text(_ range: Range<Int>) -> String {
                String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
            }
            guard let second = bytes[start...].firstIndex(of: slash) else {
                return .station(text(start..<bytes.count))
            }
            let sensorStart = second + 1
            guard second > start, sensorStart < bytes.count, !bytes[sensorStart...].contains(slash) else {
                return nil
            }
            return .sensor(station: text(start..<second), sensor: text(sensorStart..<bytes.count))
        }
    }
}
