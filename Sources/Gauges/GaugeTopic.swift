/// Where a gauge publishes: `gauges/<station>/<sensor>` for one reading or a backlog of one sensor,
/// `gauges/<station>` for a SenML pack that may carry several sensors.
public enum GaugeTopic: Sendable, Hashable {
    case sensor(station: String, sensor: String)
    case station(String)

    /// The filter FloodWatch subscribes to.
    public static let filter = "gauges/#"
    static let prefix = "gauges"

    public var station: String {
        switch self {
        case .sensor(let station, _): station
        case .station(let station): station
        }
    }

    /// Parses a topic, or says what is wrong with it in words an operator understands.
    public static func parse(_ topic: String) -> Result<GaugeTopic, RejectionReason> {
        let levels = topic.split(separator: "/", omittingEmptySubsequences: false)
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
}
