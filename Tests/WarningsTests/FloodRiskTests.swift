import Catalogue
import Gauges
import Testing
import Warnings

/// The official risk level of river floods (Article 45 of Decision 18/2021/QĐ-TTg) on `level` and `forecast`
/// warnings, at stations of different flood zones.
@Suite("Flood risk levels")
struct FloodRiskTests {
    static let tables = LandslideRuleTests.tables

    /// Câu Lâu's alarm levels (BĐ I 2.00, II 3.00, III 4.00) at a station of flood zone `zone`.
    static func catalogue(zone: Int?) -> StationCatalogue {
        var station = Stations.cauLau { rules in
            rules.rise.enabled = false
            rules.forecast.enabled = false
        }
        station.floodZone = zone
        return StationCatalogue(stations: [station], riskTables: tables)
    }

    /// Level warnings of a rise from 1.5 m to `top` in 10 cm steps, 5 minutes apart.
    static func levelEvents(zone: Int?, top: Double) -> [WarningEvent] {
        var engine = WarningEngine(catalogue: catalogue(zone: zone))
        let values = stride(from: 1.5, through: top, by: 0.1).map { ($0 * 100).rounded() / 100 }
        let readings = series("cau-lau", from: at("2020-10-28T12:00:00+07:00"), every: 5 * minute, values)
        return engine.replay(readings).events.filter { $0.rule == .level }
    }

    @Test("every complete row of Article 45, for each zone it names, gives its risk level to a level warning")
    func everyRow() throws {
        for row in Self.tables.article45 where row.status == .complete {
            let lower = try #require(row.lower)
            for zone in try #require(row.zones) {
                // The first level warning at or above the band's lower bound.
                let threshold = try #require(lower.level(AlarmLevels(levelI: 2.00, levelII: 3.00, levelIII: 4.00)))
                let events = Self.levelEvents(zone: zone, top: threshold + 0.05)
                let event = try #require(events.last, "\(row.citation)")
                guard event.value ?? 0 >= threshold else { continue }  // bands from BĐ+0.3 m start between levels
                #expect(event.riskLevel == row.riskLevel, "\(row.citation), khu vực \(zone): \(event.messageVI)")
                #expect(event.messageVI.hasSuffix("Cấp độ rủi ro thiên tai do lũ, ngập lụt: cấp \(row.riskLevel!)"))
            }
        }
    }

    @Test("rising past BĐ III + 0.3 m within alarm level III changes the stated risk level once, not at each wobble")
    func bandWithinALevel() throws {
        // Khu vực 4: from BĐ II to below BĐ III + 0.3 m is risk level 3 (khoản 3); above it only a row whose text was
        // not found in full applies, so the level is then stated as not determined.
        var engine = WarningEngine(catalogue: Self.catalogue(zone: 4))
        let values = [3.5, 3.8, 4.0, 4.1, 4.2, 4.35, 4.2, 4.25, 4.4, 4.5]
        let readings = series("cau-lau", from: at("2020-10-28T12:00:00+07:00"), every: 10 * minute, values)
        let events = engine.replay(readings).events.filter { $0.rule == .level }
        let summary = events.map { event in
            let what = event.messageVI.contains("đỉnh lũ") ? "crest" : event.kind.rawValue
            return "\(what) \(event.level) \(event.value ?? 0) \(event.riskLevel.map(String.init) ?? "-")"
        }
        // The fall from 4.35 to 4.20 m tells the crest; the rise again to 4.40 m says nothing new.
        #expect(
            summary == ["raised 2 3.5 3", "escalated 3 4.0 3", "updated 3 4.35 -", "crest 3 4.35 -"], "\(summary)")
        #expect(
            events[2].messageVI.hasSuffix(
                "Cấp độ rủi ro thiên tai do lũ, ngập lụt: chưa xác định (văn bản Quyết định 18/2021/QĐ-TTg hiện có "
                    + "chưa quy định trường hợp này)"), "\(events[2].messageVI)")
    }

    @Test("a crest keeps the risk level the warning states, so the page keeps its colour after the peak")
    func crestKeepsTheRiskLevel() throws {
        var engine = WarningEngine(catalogue: Self.catalogue(zone: 3))
        let readings = series(
            "cau-lau", from: at("2020-10-28T12:00:00+07:00"), every: 10 * minute, [3.2, 3.5, 3.3])
        let events = engine.replay(readings).events.filter { $0.rule == .level }
        #expect(events.map(\.riskLevel) == [2, 2], "BĐ II–III in khu vực 3 is level 2: \(events.map(\.messageVI))")
        #expect(events.last?.messageVI.contains("đỉnh lũ 3,50 m") == true, "\(events.last?.messageVI ?? "")")
    }

    /// The level warning's event at a reading of `value`, after a reading half a metre below the alarm level that
    /// `value` reaches, so that the event is the escalation at `value` itself.
    static func event(zone: Int, at value: Double) -> WarningEvent? {
        var engine = WarningEngine(catalogue: catalogue(zone: zone))
        let alarms: [Double] = [2.00, 3.00, 4.00, 5.61]  // Câu Lâu's BĐ I–III and record
        let below = (alarms.last { value >= $0 } ?? value) - 0.5
        let readings = series("cau-lau", from: at("2020-10-28T12:00:00+07:00"), every: hour, [below, value])
        return engine.replay(readings).events.last { $0.rule == .level }
    }

    @Test("every row of Article 45 not found in full leaves a level it could decide undetermined, through the engine")
    func everyIncompleteRow() throws {
        let alarms = AlarmLevels(levelI: 2.00, levelII: 3.00, levelIII: 4.00)
        let complete = Self.tables.article45.filter { $0.status == .complete }
        let incomplete = Self.tables.article45.filter { $0.status != .complete }
        #expect(incomplete.count >= 4, "khoản 3 điểm b and khoản 4 (partial), the rest of 3 and 5 (not found)")
        // One level in each band at Câu Lâu: BĐ I–II, II–III, III to III + 0.3, to III + 1.0, above, the record.
        let cases = [2.5, 3.5, 4.1, 4.5, 5.2, 5.7].flatMap { value in (1...4).map { (value, $0) } }
        func inside(_ row: FloodRiskRow, _ c: (value: Double, zone: Int)) -> Bool {
            let lower = row.lower.flatMap { $0.level(alarms) }
            let upper = row.upper.flatMap { $0.level(alarms) }
            return (lower.map { c.value >= $0 } ?? true) && (upper.map { c.value < $0 } ?? true)
                && (row.zones.map { $0.contains(c.zone) } ?? true)
        }
        for row in incomplete {
            let undecided = try #require(
                cases.first { c in inside(row, c) && !complete.contains { inside($0, c) } }, "\(row.citation)")
            let event = try #require(Self.event(zone: undecided.1, at: undecided.0), "\(row.citation)")
            #expect(event.value == undecided.0 && event.level > 0, "\(row.citation): \(event.messageVI)")
            #expect(event.riskLevel == nil, "\(row.citation), \(undecided): \(event.messageVI)")
            #expect(
                event.messageVI.hasSuffix(
                    "Cấp độ rủi ro thiên tai do lũ, ngập lụt: chưa xác định (văn bản Quyết định 18/2021/QĐ-TTg hiện "
                        + "có chưa quy định trường hợp này)"), "\(row.citation)")
        }
    }

    @Test("at stations of khu vực 1, 3 and 4 the same water gives the levels of their zones")
    func zones() {
        func levels(_ zone: Int) -> [String] {
            Self.levelEvents(zone: zone, top: 4.2).map { "L\($0.level) risk \($0.riskLevel.map(String.init) ?? "-")" }
        }
        // BĐ I–II: 1 in khu vực 1 and 3, 2 in 4. BĐ II–III: 1 in 1, 2 in 3, 3 in 4 (point 3a: BĐ II to BĐ III+0.3 m).
        // From BĐ III: khu vực 1 has point 2c (level 2); khu vực 3 and 4 only rows whose text was not found.
        #expect(levels(1) == ["L1 risk 1", "L2 risk 1", "L3 risk 2"])
        #expect(levels(3) == ["L1 risk 1", "L2 risk 2", "L3 risk -"])
        #expect(levels(4) == ["L1 risk 2", "L2 risk 3", "L3 risk 3"])
        let undetermined = Self.levelEvents(zone: 3, top: 4.2).last?.messageVI ?? ""
        #expect(
            undetermined.hasSuffix(
                "Cấp độ rủi ro thiên tai do lũ, ngập lụt: chưa xác định (văn bản Quyết định "
                    + "18/2021/QĐ-TTg hiện có chưa quy định trường hợp này)"))
    }

    @Test("a station without a flood zone states no risk level: its messages say it is not determined, and why")
    func noZone() {
        let events = Self.levelEvents(zone: nil, top: 3.2)
        #expect(events.count == 2)
        #expect(
            events.allSatisfy {
                $0.riskLevel == nil
                    && $0.messageVI.hasSuffix(
                        ". Cấp độ rủi ro thiên tai do lũ, ngập lụt: chưa xác định (chưa có khu vực của trạm theo Quyết "
                            + "định 18/2021/QĐ-TTg)")
            }, "\(events.map(\.messageVI))")
    }

    @Test("coming down within the deadband, below every band of Article 45: \"chưa đến cấp 1\", not silence")
    func belowEveryBand() throws {
        // A warning at BĐ II whose water falls to 1.95 m comes down, after the hold, to level 1, not 0: BĐ I's
        // deadband reaches down to 1.90 m. No band of Article 45 holds 1.95 m, below BĐ I.
        var engine = WarningEngine(catalogue: Self.catalogue(zone: 3))
        let values = [3.2, 2.8, 2.4, 2.0, 1.95]
        let readings = series("cau-lau", from: at("2020-10-28T12:00:00+07:00"), every: 10 * minute, values)
        let events = engine.replay(readings).events.filter { $0.rule == .level && $0.kind == .deescalated }
        let down = try #require(events.last, "\(events)")
        #expect(down.level == 1 && down.value == 1.95 && down.riskLevel == nil, "\(down)")
        #expect(down.messageVI.hasSuffix(". Cấp độ rủi ro thiên tai do lũ, ngập lụt: chưa đến cấp 1"), "\(down)")
        #expect(down.messageEN.hasSuffix(". Flood risk level: below level 1"), "\(down)")
    }
}
