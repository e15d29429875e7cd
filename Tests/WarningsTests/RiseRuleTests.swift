import Gauges
import Testing
import Warnings

@Suite("Rate of rise rule")
struct RiseRuleTests {
    static let start = at("2020-10-28T12:00:00+07:00")

    @Test("level 1 at 0.3 m in an hour, level 2 at 1.0 m, down after the hold, cleared")
    func levels() {
        var engine = WarningEngine(catalogue: Stations.catalogue(Stations.aiNghia()))
        // An hour flat at 5.00, an hour rising 0.04 m per 5 minutes, an hour rising 0.10, then flat.
        var values = Array(repeating: 5.00, count: 12)
        values += (0..<12).map { 5.00 + 0.04 * Double($0 + 1) }  // readings 12–23: up to 5.48
        values += (0..<12).map { 5.48 + 0.10 * Double($0 + 1) }  // readings 24–35: up to 6.68
        values += Array(repeating: 6.68, count: 30)  // readings 36–65
        let events = engine.replay(series("ai-nghia", from: Self.start, every: 5 * minute, values)).events
        func time(_ index: Int) -> Int64 { Self.start + Int64(index) * 5 * minute }
        #expect(
            briefs(events, .rise) == [
                // 0.32 m in the hour to reading 19 (the first at or above 0.30).
                Brief(.rise, .raised, 1, at: time(19), value: 0.32, threshold: 0.3),
                // Reading i in 24–35 rose 0.48 + 0.06 (i − 23): 1.02 at reading 32.
                Brief(.rise, .escalated, 2, at: time(32), value: 1.02, threshold: 1.0),
                // Flat from reading 36: the rise is 1.20 − 0.10 (i − 35), below 1.0 from reading 38 (0.90);
                // 30 minutes later, at reading 44, it is 0.30: level 1.
                Brief(.rise, .deescalated, 1, at: time(44), value: 0.30, threshold: 0.3),
                // Below 0.30 from reading 45 (0.20); 30 minutes later.
                Brief(.rise, .cleared, 0, at: time(51), value: 0.0, threshold: 0.3),
            ])
    }

    @Test("no rise is judged until the history reaches back a whole window")
    func needsAWholeWindow() {
        var engine = WarningEngine(catalogue: Stations.catalogue(Stations.aiNghia()))
        // 0.60 m in 20 minutes, but no reading an hour back.
        let readings = series("ai-nghia", from: Self.start, every: 10 * minute, [5.00, 5.30, 5.60])
        #expect(briefs(engine.replay(readings).events, .rise).isEmpty)
        // An hour after the first reading the rise is judged: 5.90 − 5.00.
        let later = series("ai-nghia", from: Self.start + 30 * minute, every: 10 * minute, [5.60, 5.70, 5.80, 5.90])
        #expect(
            briefs(engine.replay(later).events, .rise) == [
                Brief(.rise, .raised, 1, at: Self.start + hour, value: 0.90, threshold: 0.3)
            ])
    }

    @Test("the value an hour back is interpolated between the readings around it")
    func interpolated() {
        var engine = WarningEngine(catalogue: Stations.catalogue(Stations.aiNghia()))
        // Readings at 12:00 (5.00) and 12:20 (5.20), then 13:10 at 5.50: the value at 12:10 is 5.10, the rise 0.40.
        let readings = [
            Reading(station: "ai-nghia", sensor: .level, timestamp: Self.start, value: 5.00),
            Reading(station: "ai-nghia", sensor: .level, timestamp: Self.start + 20 * minute, value: 5.20),
            Reading(station: "ai-nghia", sensor: .level, timestamp: Self.start + 70 * minute, value: 5.50),
        ]
        #expect(
            briefs(engine.replay(readings).events, .rise) == [
                Brief(.rise, .raised, 1, at: Self.start + 70 * minute, value: 0.40, threshold: 0.3)
            ])
    }
}
