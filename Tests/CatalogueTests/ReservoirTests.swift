import Catalogue
import Gauges
import Testing

/// A reservoir in the catalogue: Sông Tranh 2, its flows, its normal water level and the communes downstream.
@Suite("Catalogue reservoirs")
struct ReservoirTests {
    /// Lines: 1 areas, 2–4 tra-doc, 5–7 tra-tan, 8 stations, 9 id, 10 name, 11 kind, 12 river, 13 lat, 14 lon,
    /// 15 reservoir, 16 downstream, 17 sensors, 18 level, 19 inflow, 20 outflow, 21 rules.
    static let reservoir = """
        areas:
          - id: tra-doc
            name: Trà Đốc
            kind: xã
          - id: tra-tan
            name: Trà Tân
            kind: xã
        stations:
          - id: song-tranh-2
            name: Sông Tranh 2
            kind: reservoir
            river: Tranh
            lat: 15.33
            lon: 108.16
            reservoir: {normal_level: 175.0}
            downstream: [tra-doc, tra-tan]
            sensors:
              level: {interval: 1h, range: [100, 200]}
              inflow: {interval: 1h, range: [0, 20000]}
              outflow: {interval: 1h, range: [0, 20000]}
            rules: {release: {outflow: [500, 1000, 2000], step: 300}}

        """

    static func reservoir(replacing original: String, with replacement: String) -> String {
        precondition(reservoir.components(separatedBy: original).count == 2, "'\(original)' must occur once")
        return reservoir.replacingOccurrences(of: original, with: replacement)
    }

    @Test("a reservoir: level above sea level, inflow and outflow in m³/s, normal level, communes downstream")
    func loads() throws {
        let station = try #require(try CatalogueLoader.parse(yaml: Self.reservoir, file: "test.yaml")["song-tranh-2"])
        #expect(station.kind == .reservoir)
        #expect(station.reservoir == Reservoir(normalLevel: 175.0, downstream: ["tra-doc", "tra-tan"]))
        #expect(station.sensors.map(\.kind) == [.level, .inflow, .outflow])
        #expect(station.sensor(.outflow)?.unit == "m3/s")
        #expect(station.rules.release.thresholds == [500, 1000, 2000])
        #expect(station.rules.release.stepCubicMetres == 300)
    }

    @Test("catalogue mistakes about reservoirs stop start-up with their line and a fix")
    func mistakes() throws {
        let withoutOutflow = problems(
            in: Self.reservoir(replacing: "      outflow: {interval: 1h, range: [0, 20000]}\n", with: ""))
        #expect(
            withoutOutflow.contains {
                $0.message.contains("a reservoir needs an 'outflow' sensor")
                    && $0.fix.contains("outflow: {interval: 1h")
            })
        #expect(withoutOutflow.contains { $0.message.contains("the release rule needs an outflow sensor") })
        let unknown = try #require(
            onlyProblem(
                in: Self.reservoir(replacing: "downstream: [tra-doc, tra-tan]", with: "downstream: [tra-doc, tra-tam]"))
        )
        #expect(unknown.line == 16 && unknown.message.contains("unknown area 'tra-tam' downstream"))
        #expect(unknown.fix.hasPrefix("did you mean 'tra-tan'?"))
        let gauge = problems(in: Self.reservoir(replacing: "    kind: reservoir\n", with: ""))
        #expect(gauge.contains { $0.message.contains("'reservoir' is for a reservoir, and this station is a gauge") })
        #expect(
            gauge.contains {
                $0.message.contains("'inflow' sensor is for a reservoir")
                    || $0.message.contains("'outflow' sensor is for a reservoir")
            })
        let outOfRange = try #require(
            onlyProblem(in: Self.reservoir(replacing: "normal_level: 175.0", with: "normal_level: 275.0")))
        #expect(outOfRange.line == 15 && outOfRange.message.contains("normal_level 275.00 m is outside"))
        let badKind = try #require(onlyProblem(in: Self.reservoir(replacing: "kind: reservoir", with: "kind: dam")))
        #expect(badKind.line == 11 && badKind.message.contains("'kind' must be gauge or reservoir"))
    }
}
