import Catalogue
import Gauges
import Testing

/// Communes and wards as places of the catalogue (`areas:`), the stations standing in them, and the zones of
/// Decision 18/2021/QĐ-TTg; every mistake named with its line and a fix.
@Suite("Catalogue areas")
struct AreaTests {
    /// Two communes and a rain gauge in one of them. Lines:
    ///  1 risk_zone         7 lat               13 kind              19 stations:
    ///  2 areas:            8 lon               14 formerly          20 - id: tra-kot
    ///  3 - id: tra-my      9 approximate       15 lat               …
    ///  4 name             10 landslide_risk    16 lon               25 area
    ///  5 kind             11 - id: tra-lien    17 boundary
    ///  6 formerly         12 name              18 landslide_risk
    static let district = """
        risk_zone: 3
        areas:
          - id: tra-my
            name: Trà My
            kind: xã
            formerly: [thị trấn Trà My, Trà Sơn, Trà Giang, Trà Dương]
            lat: 15.35
            lon: 108.23
            approximate: true
            landslide_risk: high
          - id: tra-lien
            name: Trà Liên
            kind: xã
            formerly: [Trà Đông, Trà Nú, Trà Kót]
            lat: 15.40
            lon: 108.32
            boundary: [[15.38, 108.29], [15.43, 108.30], [15.41, 108.36]]
            landslide_risk: very_high
        stations:
          - id: tra-kot
            name: Trà Kót
            river: Tranh
            lat: 15.39
            lon: 108.33
            area: tra-lien
            sensors:
              rain: {interval: 5m, range: [0, 150]}

        """

    static func district(replacing original: String, with replacement: String) -> String {
        precondition(district.components(separatedBy: original).count == 2, "'\(original)' must occur once")
        return district.replacingOccurrences(of: original, with: replacement)
    }

    @Test("communes load with their former units, centre, boundary and risk-map zone; a station names its commune")
    func loads() throws {
        let catalogue = try CatalogueLoader.parse(yaml: Self.district, file: "test.yaml")
        #expect(catalogue.riskZone == 3)
        #expect(catalogue.areas.map(\.fullName) == ["xã Trà My", "xã Trà Liên"])
        let traMy = try #require(catalogue.area("tra-my"))
        #expect(traMy.formerly == ["thị trấn Trà My", "Trà Sơn", "Trà Giang", "Trà Dương"])
        #expect(traMy.approximate && traMy.boundary == nil && traMy.landslideRisk == .high)
        #expect(traMy.centre == Coordinate(latitude: 15.35, longitude: 108.23))
        let traLien = try #require(catalogue.area("tra-lien"))
        #expect(traLien.boundary?.count == 3)
        #expect(traLien.landslideRisk == .veryHigh)
        let gauge = try #require(catalogue["tra-kot"])
        #expect(catalogue.area(of: gauge)?.name == "Trà Liên")
    }

    @Test("a station naming an unknown area: its line, and the area meant")
    func unknownArea() throws {
        let problem = try #require(onlyProblem(in: Self.district(replacing: "area: tra-lien", with: "area: tra-lein")))
        #expect(problem.line == 25)
        #expect(problem.message == "station 'tra-kot': unknown area 'tra-lein'")
        #expect(problem.fix.hasPrefix("did you mean 'tra-lien'?"))
    }

    @Test("a landslide zone outside the map's four is refused with the four")
    func badLandslideRisk() throws {
        let problem = try #require(
            onlyProblem(in: Self.district(replacing: "landslide_risk: high", with: "landslide_risk: severe")))
        #expect(problem.line == 10)
        #expect(problem.message.contains("must be low, medium, high or very_high"))
        #expect(problem.fix.contains("leave it out where no map gives the zone"))
    }

    @Test("kind, zones, boundary and duplicate ids are checked")
    func otherMistakes() throws {
        let cases: [(String, String, Int, String)] = [
            (
                "kind: xã\n    formerly: [thị", "kind: huyện\n    formerly: [thị", 5,
                "'kind' must be xã, phường or thị trấn"
            ),
            ("risk_zone: 3", "risk_zone: 5", 1, "must be a zone (khu vực) from 1 to 4"),
            (
                "boundary: [[15.38, 108.29], [15.43, 108.30], [15.41, 108.36]]", "boundary: [[15.38, 108.29]]", 17,
                "'boundary' needs at least 3 points"
            ),
            ("  - id: tra-lien", "  - id: tra-my", 11, "area id 'tra-my' is used twice"),
            ("approximate: true", "approximate: maybe", 9, "'approximate' must be true or false"),
        ]
        for (original, replacement, line, words) in cases {
            let problem = try #require(onlyProblem(in: Self.district(replacing: original, with: replacement)))
            #expect(problem.line == line, "\(replacement)")
            #expect(problem.message.contains(words), "\(problem.message)")
        }
        let zone = try #require(
            onlyProblem(
                in: Self.district(replacing: "    area: tra-lien", with: "    area: tra-lien\n    flood_zone: 0")))
        #expect(zone.message.contains("'flood_zone' must be a zone (khu vực) from 1 to 4, found 0"))
    }

    @Test("a centre is optional (where no source gives one), but lat and lon go together")
    func centre() throws {
        let without = Self.district(replacing: "    lat: 15.35\n    lon: 108.23\n", with: "")
        #expect(try CatalogueLoader.parse(yaml: without, file: "test.yaml").area("tra-my")?.centre == nil)
        let half = try #require(onlyProblem(in: Self.district(replacing: "    lon: 108.23\n", with: "")))
        #expect(half.message.contains("'lon'"), "\(half.message)")
    }

    @Test("without areas, a catalogue loads as before: no communes, no zone")
    func optional() throws {
        let catalogue = try CatalogueLoader.parse(yaml: Fixture.station, file: "test.yaml")
        #expect(catalogue.areas.isEmpty && catalogue.riskZone == nil)
        #expect(catalogue["cau-lau"]?.area == nil)
    }
}
