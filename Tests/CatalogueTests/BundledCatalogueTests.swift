import Catalogue
import Gauges
import Testing

/// The catalogue shipped in `sensors/stations.yaml` against the official figures
/// (Decision 05/2020/QĐ-TTg levels as read back from the Đài KTTV bulletins).
@Suite("Bundled sensors/stations.yaml")
struct BundledCatalogueTests {
    let catalogue: StationCatalogue

    init() throws {
        catalogue = try CatalogueLoader.load(path: Fixture.bundledCatalogue)
    }

    @Test func hasTheStationsUpstreamToTheSea() {
        #expect(
            catalogue.stations.map(\.id) == [
                "hoi-khach", "ai-nghia",
                "tra-my", "tra-duong", "tra-kot", "tra-giac", "tra-bui", "tra-doc", "song-tranh-2",
                "nong-son", "giao-thuy", "cau-lau", "hoi-an",
                "cam-le",
                "tam-ky",
            ]
        )
    }

    @Test("a slot's catalogue holds its stations, in catalogue order, with every area and the risk tables")
    func only() throws {
        let slot = catalogue.only(["hoi-an", "tra-my", "not-a-station"])
        #expect(slot.stations.map(\.id) == ["tra-my", "hoi-an"])
        #expect(slot.areas.map(\.id) == catalogue.areas.map(\.id))
        #expect(slot.riskZone == catalogue.riskZone)
        #expect(slot["hoi-an"] == catalogue["hoi-an"])
        #expect(slot["cau-lau"] == nil)
    }

    /// The district's rain gauges named in bulletins, each in its commune, and Sông Tranh 2 warning Trà Đốc.
    static let districtGauges = [
        "tra-my": "tra-my", "tra-duong": "tra-my", "tra-kot": "tra-lien", "tra-giac": "tra-tan", "tra-bui": "tra-doc",
        "tra-doc": "tra-doc",
    ]

    @Test func bacTraMyHasItsRainGaugesAndSongTranh2() throws {
        for (id, area) in Self.districtGauges {
            let gauge = try #require(catalogue[id])
            #expect(gauge.sensors.map(\.kind) == [.rain] && gauge.alarmLevels.isEmpty, "\(id)")
            #expect(gauge.area == area, "\(id)")
            #expect(gauge.approximate == (id != "tra-my"), "\(id): its position is placed by hand")
        }
        let dam = try #require(catalogue["song-tranh-2"])
        #expect(dam.kind == .reservoir && dam.river == "Tranh")
        #expect(dam.reservoir == Reservoir(normalLevel: 175.0, downstream: ["tra-doc"]))
        #expect(dam.sensors.map(\.kind) == [.level, .inflow, .outflow])
        #expect(dam.rules.release.thresholds == [500, 1000, 2000])
    }

    struct Official: Sendable, CustomTestStringConvertible {
        var id: String
        var name: String
        var river: String
        var levels: AlarmLevels
        var record: FloodRecord?
        var testDescription: String { id }
    }

    static let official: [Official] = [
        Official(
            id: "hoi-khach", name: "Hội Khách", river: "Vu Gia", levels: AlarmLevels(levelI: 14.50, levelIII: 16.50)),
        Official(
            id: "ai-nghia", name: "Ái Nghĩa", river: "Vu Gia",
            levels: AlarmLevels(levelI: 6.50, levelII: 8.00, levelIII: 9.00),
            record: FloodRecord(level: 10.77, year: 2009)
        ),
        Official(
            id: "nong-son", name: "Nông Sơn", river: "Thu Bồn", levels: AlarmLevels(levelII: 13.00, levelIII: 15.00)),
        Official(
            id: "giao-thuy", name: "Giao Thủy", river: "Thu Bồn",
            levels: AlarmLevels(levelI: 6.50, levelII: 7.50, levelIII: 8.80),
            record: FloodRecord(level: 10.06, year: 1964)
        ),
        Official(
            id: "cau-lau", name: "Câu Lâu", river: "Thu Bồn",
            levels: AlarmLevels(levelI: 2.00, levelII: 3.00, levelIII: 4.00),
            record: FloodRecord(level: 5.61, year: 2025)
        ),
        Official(
            id: "hoi-an", name: "Hội An", river: "Thu Bồn",
            levels: AlarmLevels(levelI: 1.00, levelII: 1.50, levelIII: 2.00),
            record: FloodRecord(level: 3.40, year: 1964)
        ),
        Official(
            id: "tam-ky", name: "Tam Kỳ", river: "Tam Kỳ",
            levels: AlarmLevels(levelI: 1.70, levelII: 2.20, levelIII: 2.70)),
        Official(id: "cam-le", name: "Cẩm Lệ", river: "Hàn", levels: AlarmLevels(levelIII: 2.50)),
    ]

    @Test("Alarm levels and records are the official ones; unknown levels are absent", arguments: official)
    func officialFigures(_ expected: Official) throws {
        let station = try #require(catalogue[expected.id])
        #expect(station.name == expected.name)
        #expect(station.river == expected.river)
        #expect(station.alarmLevels == expected.levels)
        #expect(station.record == expected.record)
    }

    @Test func spotChecks() throws {
        let cauLau = try #require(catalogue["cau-lau"])
        #expect(cauLau.alarmLevels.levelI == 2.00)
        #expect(cauLau.alarmLevels.levelII == 3.00)
        #expect(cauLau.alarmLevels.levelIII == 4.00)
        #expect(cauLau.record?.level == 5.61)

        let hoiKhach = try #require(catalogue["hoi-khach"])
        #expect(hoiKhach.alarmLevels.levelI == 14.50)
        #expect(hoiKhach.alarmLevels.levelII == nil)
        #expect(hoiKhach.alarmLevels.levelIII == 16.50)

        #expect(catalogue["nong-son"]?.alarmLevels.levelI == nil)
        #expect(catalogue["giao-thuy"]?.alarmLevels.levelIII == 8.80)

        let camLe = try #require(catalogue["cam-le"])
        #expect(camLe.alarmLevels.known.map(\.level) == [3])
        #expect(camLe.alarmLevels.levelIII == 2.50)
    }

    @Test("Bắc Trà My's five communes since 1 July 2025 replace its thirteen former units, each once")
    func communesOfBacTraMy() throws {
        #expect(catalogue.riskZone == 3, "Appendix XII: Quảng Nam and Đà Nẵng are khu vực 3")
        #expect(
            catalogue.areas.map(\.fullName) == ["xã Trà My", "xã Trà Liên", "xã Trà Giáp", "xã Trà Tân", "xã Trà Đốc"])
        let former = catalogue.areas.flatMap(\.formerly)
        #expect(former.count == 13 && Set(former).count == 13)
        #expect(
            Set(former) == [
                "thị trấn Trà My", "Trà Bui", "Trà Đốc", "Trà Dương", "Trà Đông", "Trà Giác", "Trà Giang", "Trà Giáp",
                "Trà Ka", "Trà Kót", "Trà Nú", "Trà Sơn", "Trà Tân",
            ])
        // No zone of the risk map was found in a public source: none is guessed. Centres are placed by hand for the
        // wall map, and say so.
        #expect(catalogue.areas.allSatisfy { $0.landslideRisk == nil && $0.centre != nil && $0.approximate })
        #expect(catalogue.area(of: try #require(catalogue["tra-my"]))?.name == "Trà My")
    }

    @Test func traMyIsARainGaugeWithoutAlarmLevels() throws {
        let traMy = try #require(catalogue["tra-my"])
        #expect(traMy.name == "Trà My")
        #expect(traMy.river == "Tranh")
        #expect(traMy.sensors.map(\.kind) == [.rain])
        #expect(traMy.alarmLevels.isEmpty)
        #expect(traMy.record == nil)
    }

    @Test func everyHydrologicalStationHasLevelAndRainEveryFiveMinutes() {
        for station in catalogue.stations where Self.districtGauges[station.id] == nil && station.kind == .gauge {
            #expect(station.sensors.map(\.kind) == [.level, .rain], "\(station.id)")
        }
        for sensor in catalogue.stations.filter({ $0.kind == .gauge }).flatMap(\.sensors) {
            #expect(sensor.interval == 300)
        }
    }

    @Test func everyLevelRangeHoldsItsAlarmLevelsAndRecord() throws {
        for station in catalogue.stations {
            guard let level = station.sensor(.level) else { continue }
            for (number, metres) in station.alarmLevels.known {
                #expect(level.range.contains(metres), "\(station.id) BĐ \(number) \(metres) outside \(level.range)")
            }
            if let record = station.record {
                #expect(level.range.contains(record.level), "\(station.id) record outside \(level.range)")
                // Margin above the record for a higher flood.
                #expect(level.range.upperBound >= record.level + 2, "\(station.id)")
            }
        }
        // Hội Khách and Nông Sơn read 12–17 m in floods.
        for id in ["hoi-khach", "nong-son"] {
            let range = try #require(catalogue[id]?.sensor(.level)?.range)
            #expect(range.contains(12) && range.contains(17) && range.upperBound >= 20, "\(id)")
        }
        for sensor in catalogue.stations.compactMap({ $0.sensor(.rain) }) {
            #expect(sensor.range.lowerBound == 0)
        }
    }

    @Test func coordinatesAreInCentralVietnam() {
        for station in catalogue.stations {
            #expect((15.0...16.5).contains(station.latitude), "\(station.id)")
            #expect((107.5...108.7).contains(station.longitude), "\(station.id)")
        }
    }
}
