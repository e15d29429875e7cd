import Gauges
import Testing

/// A small catalogue: Câu Lâu with level and rain, Trà My with rain only.
enum Fixtures {
    static let level = Sensor(kind: .level, interval: 3600, range: -1...9)
    static let rain = Sensor(kind: .rain, interval: 3600, range: 0...200)

    static let catalogue = StationCatalogue(stations: [
        Station(
            id: "cau-lau", name: "Câu Lâu", river: "Thu Bồn", basin: "Vu Gia – Thu Bồn", latitude: 15.88,
            longitude: 108.26, sensors: [level, rain]),
        Station(id: "tra-my", name: "Trà My", river: "Tranh", latitude: 15.35, longitude: 108.22, sensors: [rain]),
    ])

    /// 2022-10-11T05:00:00+07:00, the time of the contract's examples.
    static let example: Int64 = 1_665_439_200_000
    /// FloodWatch's clock in the tests: 2022-10-11T12:00:00+07:00.
    static let now: Int64 = 1_665_464_400_000

    static let levelTopic = "gauges/cau-lau/level"
    static let rainTopic = "gauges/cau-lau/rain"
    static let stationTopic = "gauges/cau-lau"
}

func decode(
    _ topic: String, _ payload: String, now: Int64 = Fixtures.now, limits: IntakeLimits = IntakeLimits()
) -> DecodedMessage {
    decode(topic, Array(payload.utf8), now: now, limits: limits)
}

func decode(
    _ topic: String, _ payload: [UInt8], now: Int64 = Fixtures.now, limits: IntakeLimits = IntakeLimits()
) -> DecodedMessage {
    PayloadDecoder(catalogue: Fixtures.catalogue, limits: limits).decode(topic: topic, payload: payload, now: now)
}

/// The one rejection of a message that gave no reading.
func onlyRejection(
    _ message: DecodedMessage, sourceLocation: SourceLocation = #_sourceLocation
) throws -> Rejection {
    try #require(
        message.readings.isEmpty, "expected no readings, got \(message.readings)", sourceLocation: sourceLocation)
    try #require(
        message.rejections.count == 1, "expected one rejection, got \(message.rejections.map(\.message))",
        sourceLocation: sourceLocation)
    return message.rejections[0]
}

/// The one reading of a message that gave no rejection.
func onlyReading(_ message: DecodedMessage, sourceLocation: SourceLocation = #_sourceLocation) throws -> Reading {
    try #require(
        message.rejections.isEmpty, "expected no rejections, got \(message.rejections.map(\.message))",
        sourceLocation: sourceLocation)
    try #require(
        message.readings.count == 1, "expected one reading, got \(message.readings)", sourceLocation: sourceLocation)
    return message.readings[0].reading
}

/// The text of `payload` in `range`.
func slice(_ payload: String, _ range: Range<Int>) -> String {
    String(decoding: Array(payload.utf8)[range], as: UTF8.self)
}
