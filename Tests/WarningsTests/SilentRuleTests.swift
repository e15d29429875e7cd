import Gauges
import Testing
import Warnings

@Suite("Silent gauge rule")
struct SilentRuleTests {
    static let start = at("2022-10-11T07:00:00+07:00")
    static let eight = at("2022-10-11T08:00:00+07:00")

    /// Câu Lâu level and rain every 5 minutes from 07:00 to 08:00, arriving on time.
    static func engine(level: Double) -> WarningEngine {
        var engine = WarningEngine(catalogue: Stations.catalogue(Stations.cauLau()))
        let values = Array(repeating: level, count: 13)
        _ = engine.replay(
            series("cau-lau", from: start, every: 5 * minute, values)
                + series("cau-lau", .rain, from: start, every: 5 * minute, Array(repeating: 0, count: 13)))
        return engine
    }

    @Test("silent after 30 minutes without a reading (level 1); the next reading clears it")
    func silentAndBack() throws {
        var engine = Self.engine(level: 2.50)
        #expect(engine.tick(now: Self.eight + 29 * minute).isEmpty)
        let raised = engine.tick(now: Self.eight + 30 * minute)
        #expect(
            raised.map { [$0.sensor.rawValue, $0.kind.rawValue, String($0.level)] } == [
                ["level", "raised", "1"], ["rain", "raised", "1"],
            ])
        #expect(raised.allSatisfy { $0.timestamp == Self.eight + 30 * minute && $0.windowSeconds == 1800 })
        #expect(raised.first?.value == 2.50)
        #expect(raised.allSatisfy { !$0.late && $0.rule == .silent })
        #expect(engine.tick(now: Self.eight + 45 * minute).isEmpty, "raised once")

        // The level gauge is back at 09:10; the rain gauge is still silent.
        let back = Reading(station: "cau-lau", sensor: .level, timestamp: Self.eight + 70 * minute, value: 2.40)
        let events = engine.evaluate([back], arrivedAt: Self.eight + 70 * minute).events
        #expect(
            briefs(events, .silent) == [
                Brief(.silent, .cleared, 0, at: Self.eight + 70 * minute, value: 2.40, threshold: nil)
            ])
        #expect(
            engine.openWarnings == [
                OpenWarning(station: "cau-lau", sensor: .level, rule: .level, level: 1, since: Self.start),
                OpenWarning(
                    station: "cau-lau", sensor: .rain, rule: .silent, level: 1, since: Self.eight + 30 * minute),
            ])
    }

    @Test("a gauge silent above BĐ III says so, not BĐ II: the alarm named is the highest the water passed")
    func namesTheHighestAlarmPassed() throws {
        var engine = Self.engine(level: 4.30)
        let raised = engine.tick(now: Self.eight + 30 * minute)
        let level = try #require(raised.first { $0.sensor == .level })
        #expect(level.level == 2 && level.threshold == 3.00, "level 2 from BĐ II, as before")
        #expect(level.messageVI.contains("lần cuối 4,30 m, trên báo động III 0,30 m"), "\(level.messageVI)")
        #expect(level.messageEN.contains("last 4.30 m, 0.30 m above alarm level III"), "\(level.messageEN)")
    }

    @Test("level 2 when the station's water level is above BĐ II; escalated when it crosses later")
    func levelTwo() {
        var high = Self.engine(level: 3.20)
        #expect(high.tick(now: Self.eight + 30 * minute).map(\.level) == [2, 2])

        // Only the rain gauge falls silent; the level gauge goes on and crosses BĐ II afterwards.
        var engine = Self.engine(level: 2.80)
        let levels = series(
            "cau-lau", from: Self.eight + 5 * minute, every: 5 * minute, [2.85, 2.90, 2.95, 2.95, 2.95])
        _ = engine.replay(levels)
        let raised = engine.tick(now: Self.eight + 30 * minute)
        #expect(briefs(raised) == [Brief(.silent, .raised, 1, at: Self.eight + 30 * minute, value: 0, threshold: nil)])
        let crossing = Reading(station: "cau-lau", sensor: .level, timestamp: Self.eight + 35 * minute, value: 3.05)
        _ = engine.evaluate([crossing], arrivedAt: Self.eight + 35 * minute)
        let escalated = engine.tick(now: Self.eight + 36 * minute)
        #expect(
            briefs(escalated) == [
                Brief(.silent, .escalated, 2, at: Self.eight + 36 * minute, value: 0, threshold: 3.00)
            ])
    }

    @Test("readings queued at the broker during an outage arrive together: the arrival clock says not silent")
    func arrivalClock() {
        var engine = Self.engine(level: 2.50)
        // FloodWatch was down from 08:00 to 09:00; the queued readings of 08:05–09:00 arrive at 09:00.
        let backlog =
            series("cau-lau", from: Self.eight + 5 * minute, every: 5 * minute, Array(repeating: 2.5, count: 12))
            + series("cau-lau", .rain, from: Self.eight + 5 * minute, every: 5 * minute, Array(repeating: 0, count: 12))
        let events = engine.evaluate(backlog, arrivedAt: Self.eight + 60 * minute).events
        #expect(events.isEmpty)
        #expect(engine.tick(now: Self.eight + 80 * minute).isEmpty)
        #expect(engine.tick(now: Self.eight + 90 * minute).count == 2)
    }

    @Test("a sensor that never reported is not silent")
    func neverReported() {
        var engine = WarningEngine(catalogue: Stations.catalogue(Stations.cauLau(), Stations.traMy()))
        _ = engine.replay(series("cau-lau", from: Self.start, every: 5 * minute, [2.5]))
        #expect(engine.tick(now: Self.start + 10 * hour).map(\.station) == ["cau-lau"])
    }
}
