import Catalogue
import Foundation
import Gauges
import Testing

/// The tables of Decision 18/2021/QĐ-TTg as FloodWatch ships them: every complete row gives its own level for a
/// case inside it, with its citation; a case only a row not found in full could decide is undetermined.
@Suite("Risk tables of Decision 18/2021")
struct RiskTablesTests {
    static let tables: RiskTables = {
        do { return try RiskTablesLoader.bundled() } catch { fatalError("the bundled tables do not load: \(error)") }
    }()

    /// A value inside a band: its middle, or just past an open end.
    static func inside(_ band: Band) -> Double {
        switch (band.minimum, band.maximum) {
        case (let low?, let high?): (low + high) / 2
        case (let low?, nil): low + (band.minimumExclusive ? 1 : 0) + 50
        case (nil, let high?): high - 1
        case (nil, nil): 0
        }
    }

    /// Days inside a band of days (whole days).
    static func days(_ band: Band) -> Int {
        let low = band.minimum ?? 0
        return Int(band.minimumExclusive ? low + 1 : low)
    }

    @Test("Article 46: every complete row, at a case inside it, gives its level and cites itself")
    func article46Rows() throws {
        let complete = Self.tables.article46.filter { $0.status == .complete }
        #expect(complete.count >= 3, "clause 1, points a, b, c")
        for row in complete {
            let rain = Self.inside(try #require(row.rain24h))
            let days = Self.days(try #require(row.priorRainDays))
            for zone in try #require(row.zones) {
                let level = Self.tables.landslide(
                    rain24h: rain, priorRainDays: days, zone: try #require(zone.khuVuc), risk: try #require(zone.risk))
                #expect(level == .level(try #require(row.riskLevel), row.citation), "\(row.citation), \(zone)")
            }
            #expect(row.citation.source?.isEmpty == false)
        }
    }

    @Test("Article 45: every complete row, at a level inside its band, gives its level and cites itself")
    func article45Rows() throws {
        let alarms = AlarmLevels(levelI: 2.00, levelII: 3.00, levelIII: 4.00)
        let complete = Self.tables.article45.filter { $0.status == .complete }
        #expect(complete.count >= 6, "clauses 1 and 2 and 3 a, on one basin")
        for row in complete {
            let band = try #require(row.lower)
            let lower = try #require(band.level(alarms))
            let level = lower + 0.1
            for zone in try #require(row.zones) {
                #expect(
                    Self.tables.flood(level: level, alarmLevels: alarms, zone: zone)
                        == .level(try #require(row.riskLevel), row.citation),
                    "\(row.citation), khu vực \(zone), \(level) m")
            }
        }
    }

    @Test("Bắc Trà My (khu vực 3): what the sourced text decides, and what it leaves undetermined")
    func khuVuc3() {
        let t = Self.tables
        // Art. 46 khoản 1 điểm a: 100–200 mm after 1–2 days in a high-risk zone of khu vực 3.
        #expect(t.landslide(rain24h: 150, priorRainDays: 2, zone: 3, risk: .high).level == 1)
        // điểm b: over 200 to 400 mm after more than 2 days in a medium-risk zone; điểm c: over 400 mm, low zone.
        #expect(t.landslide(rain24h: 262, priorRainDays: 3, zone: 3, risk: .medium).level == 1)
        #expect(t.landslide(rain24h: 444, priorRainDays: 3, zone: 3, risk: .low).level == 1)
        // Heavier cases fall in clauses whose text was not found: never guessed.
        #expect(t.landslide(rain24h: 262, priorRainDays: 3, zone: 3, risk: .high) == .undetermined)
        #expect(t.landslide(rain24h: 150, priorRainDays: 3, zone: 3, risk: .high) == .undetermined)
        // Floods at a station of khu vực 3, one basin: BĐ I–II level 1, BĐ II–III level 2, from BĐ III not sourced.
        let alarms = AlarmLevels(levelI: 2.00, levelII: 3.00, levelIII: 4.00)
        #expect(t.flood(level: 1.9, alarmLevels: alarms, zone: 3) == .none)
        #expect(t.flood(level: 2.0, alarmLevels: alarms, zone: 3).level == 1)
        #expect(t.flood(level: 3.5, alarmLevels: alarms, zone: 3).level == 2)
        #expect(t.flood(level: 4.07, alarmLevels: alarms, zone: 3) == .undetermined)
        // A station without BĐ I: the band from BĐ I cannot be placed, BĐ II–III can.
        let noLevelI = AlarmLevels(levelII: 13.00, levelIII: 15.00)
        #expect(t.flood(level: 14, alarmLevels: noLevelI, zone: 3).level == 2)
    }

    @Test("band bounds: 'từ 100 đến 200' holds both ends, 'từ trên 200' not 200; below level 1 nothing applies")
    func bounds() {
        let t = Self.tables
        #expect(t.landslide(rain24h: 100, priorRainDays: 1, zone: 3, risk: .high).level == 1)
        #expect(t.landslide(rain24h: 200, priorRainDays: 1, zone: 3, risk: .high).level == 1)
        #expect(t.landslide(rain24h: 200, priorRainDays: 3, zone: 3, risk: .medium) == .undetermined)
        #expect(t.landslide(rain24h: 99.9, priorRainDays: 3, zone: 3, risk: .medium) == .none, "below level 1")
        #expect(t.landslide(rain24h: 150, priorRainDays: 0, zone: 3, risk: .high) == .none, "no rain before")
    }

    @Test("a malformed row of an edited table stops loading with its file, line and fix")
    func malformed() throws {
        let folder = NSTemporaryDirectory() + "floodwatch-tables-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let bundled = try #require(RiskTablesLoader.folder).path
        try FileManager.default.copyItem(atPath: bundled + "/article-45.yaml", toPath: folder + "/article-45.yaml")
        try """
        - article: 46
          clause: 1
          point: a
          risk_level: 1
          status: finished
          source: text
        """.write(toFile: folder + "/article-46.yaml", atomically: true, encoding: .utf8)
        let error = try #require(throws: CatalogueError.self) { try RiskTablesLoader.load(folder: folder) }
        let problem = try #require(error.problems.first)
        #expect(problem.file == folder + "/article-46.yaml" && problem.line == 5)
        #expect(problem.message.contains("unknown status 'finished'"))
    }
}
