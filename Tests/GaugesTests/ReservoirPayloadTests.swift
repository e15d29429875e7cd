import Gauges
import Testing

/// A reservoir on the wire: its level, inflow and outflow, as single readings and in a SenML pack; flows in m3/s.
@Suite("Payload decoder: reservoirs")
struct ReservoirPayloadTests {
    static let catalogue = StationCatalogue(stations: [
        Station(
            id: "song-tranh-2", name: "Sông Tranh 2", river: "Tranh", latitude: 15.33, longitude: 108.16,
            kind: .reservoir, reservoir: Reservoir(normalLevel: 175),
            sensors: [
                Sensor(kind: .level, interval: 3600, range: 100...200),
                Sensor(kind: .inflow, interval: 3600, range: 0...20_000),
                Sensor(kind: .outflow, interval: 3600, range: 0...20_000),
            ])
    ])

    static func decode(_ topic: String, _ payload: String) -> DecodedMessage {
        PayloadDecoder(catalogue: catalogue, limits: IntakeLimits()).decode(
            topic: topic, payload: Array(payload.utf8), now: Fixtures.now)
    }

    @Test("outflow on its topic, and a SenML pack of level, inflow and outflow with their units")
    func flows() throws {
        let single = Self.decode("gauges/song-tranh-2/outflow", #"{"ts":1665439200,"value":1500}"#)
        #expect(single.rejections.isEmpty)
        #expect(single.readings.map(\.reading.value) == [1500])
        let pack = #"""
            [{"bn":"song-tranh-2/","bt":1665439200,"n":"level","u":"m","v":172.3},
             {"n":"inflow","u":"m3/s","v":562},{"n":"outflow","u":"m3/s","v":106}]
            """#
        let message = Self.decode("gauges/song-tranh-2", pack)
        #expect(message.rejections.isEmpty, "\(message.rejections)")
        #expect(message.readings.map(\.reading.sensor) == [.level, .inflow, .outflow])
        #expect(message.readings.map(\.reading.value) == [172.3, 562, 106])
    }

    @Test("a flow in another unit, or negative, is rejected with its reason")
    func wrongUnit() throws {
        let litres = Self.decode(
            "gauges/song-tranh-2", #"[{"bn":"song-tranh-2/","bt":1665439200,"n":"outflow","u":"l/s","v":5}]"#)
        #expect(litres.readings.isEmpty)
        #expect(litres.rejections.first?.message.contains("does not match outflow's unit 'm3/s'") == true)
        let negative = Self.decode("gauges/song-tranh-2/outflow", #"{"ts":1665439200,"value":-3}"#)
        #expect(negative.readings.isEmpty && !negative.rejections.isEmpty)
    }
}
