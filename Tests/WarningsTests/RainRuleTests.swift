import Gauges
import Testing
import Warnings

@Suite("Rain accumulation rule")
struct RainRuleTests {
    static let start = at("2023-11-15T00:00:00+07:00")

    /// Rain readings every 5 minutes from `start`, `amounts[k]` at `start + 5 (k + 1) min`.
    static func rain(_ amounts: [Double], from start: Int64 = start) -> [Reading] {
        series("tra-my", .rain, from: start + 5 * minute, every: 5 * minute, amounts)
    }

    @Test("3-hour and 24-hour defaults: raised on 3 h, escalated on 3 h, down to the 24 h level, cleared a day later")
    func windows() throws {
        var engine = WarningEngine(catalogue: Stations.catalogue(Stations.traMy()))
        // 10 mm every 5 minutes for 75 minutes (150 mm), then dry for 25 hours.
        let amounts = Array(repeating: 10.0, count: 15) + Array(repeating: 0.0, count: 300)
        let events = engine.replay(Self.rain(amounts)).events
        func time(_ minutes: Int64) -> Int64 { Self.start + minutes * minute }
        #expect(
            briefs(events) == [
                Brief(.rain, .raised, 1, at: time(35), value: 70, threshold: 70),
                Brief(.rain, .escalated, 2, at: time(75), value: 150, threshold: 150),
                // The first 10 mm leaves the 3-hour window at 3 h 05 min (140 mm, level 1): the hold starts; 30
                // minutes later the 24-hour window (150 mm ≥ 100) decides level 1.
                Brief(.rain, .deescalated, 1, at: time(215), value: 150, threshold: 100),
                // 24 h 30 min: 90 mm in 24 hours, below 100 mm; 30 minutes later 30 mm.
                Brief(.rain, .cleared, 0, at: time(24 * 60 + 60), value: 30, threshold: 100),
            ])
        try #require(events.count == 4)
        #expect(events.map(\.windowSeconds) == [10_800, 10_800, 86_400, 86_400])
    }

    @Test("slow rain reaches the 24-hour threshold without the 3-hour one")
    func slowRain() throws {
        var engine = WarningEngine(catalogue: Stations.catalogue(Stations.traMy()))
        // 0.5 mm every 5 minutes: 6 mm/h, 18 mm in 3 h; 100 mm after 200 readings.
        let events = engine.replay(Self.rain(Array(repeating: 0.5, count: 210))).events
        #expect(
            briefs(events) == [Brief(.rain, .raised, 1, at: Self.start + 200 * 5 * minute, value: 100, threshold: 100)])
        #expect(events.first?.windowSeconds == 86_400)
    }

    @Test("a late reading inside a window adds to the sums but raises nothing itself")
    func lateReading() {
        var engine = WarningEngine(catalogue: Stations.catalogue(Stations.traMy()))
        var readings = Self.rain([10, 10, 10, 10, 10, 10, 0, 5])
        let missing = readings.remove(at: 6)  // 00:35 arrives later
        #expect(engine.replay(readings).events.isEmpty)  // 65 mm in 3 h
        let late = Reading(station: "tra-my", sensor: .rain, timestamp: missing.timestamp, value: 10)
        #expect(engine.evaluate([late], arrivedAt: Self.start + 42 * minute).events.isEmpty)  // 75 mm, but old
        let next = Self.rain([0], from: Self.start + 40 * minute)
        #expect(
            briefs(engine.replay(next).events) == [
                Brief(.rain, .raised, 1, at: Self.start + 45 * minute, value: 75, threshold: 70)
            ])
    }

    @Test("windows without a threshold are not summed; a station may set the 1-hour one")
    func stationWindows() {
        var engine = WarningEngine(
            catalogue: Stations.catalogue(Stations.traMy { $0.rain.thresholds[3600] = [40, 60] }))
        let events = engine.replay(Self.rain(Array(repeating: 5.0, count: 10))).events
        #expect(
            briefs(events) == [Brief(.rain, .raised, 1, at: Self.start + 40 * minute, value: 40, threshold: 40)])
        #expect(events.first?.windowSeconds == 3600)
    }

    @Test("bad rain readings do not count")
    func badQuality() {
        var engine = WarningEngine(catalogue: Stations.catalogue(Stations.traMy()))
        var readings = Self.rain(Array(repeating: 10.0, count: 8))
        readings[3].quality = .bad
        readings[5].quality = .suspect
        #expect(
            briefs(engine.replay(readings).events) == [
                Brief(.rain, .raised, 1, at: Self.start + 40 * minute, value: 70, threshold: 70)
            ])
    }
}
