import Gauges
import Testing
import Warnings

@Suite("Alarm level rule")
struct LevelRuleTests {
    static let start = at("2022-10-11T06:00:00+07:00")

    @Test("BĐ I, II and III crossed up at once and down one level at a time, after the deadband and the hold")
    func upAndDown() {
        var engine = WarningEngine(catalogue: Stations.catalogue(Stations.cauLau()))
        let values = [
            1.50, 1.80, 2.05, 2.50, 2.95, 3.10, 3.55, 3.95, 4.07, 4.20,
            3.95, 3.85, 3.92, 3.80, 3.70, 3.60, 3.50, 3.40, 3.20, 3.00,
            2.85, 2.80, 2.70, 2.60, 2.30, 2.00, 1.85, 1.80, 1.75, 1.70,
        ]
        let readings = series("cau-lau", from: Self.start, every: 10 * minute, values)
        let events = engine.replay(readings).events
        func time(_ index: Int) -> Int64 { Self.start + Int64(index) * 10 * minute }
        #expect(
            briefs(events, .level) == [
                Brief(.level, .raised, 1, at: time(2), value: 2.05, threshold: 2.00),
                Brief(.level, .escalated, 2, at: time(5), value: 3.10, threshold: 3.00),
                Brief(.level, .escalated, 3, at: time(8), value: 4.07, threshold: 4.00),
                // The crest, 4.20 m, told when the water has fallen 0.10 m or more below it (3.95 m).
                Brief(.level, .updated, 3, at: time(10), value: 4.20, threshold: 4.00),
                // 3.95 is inside the deadband; 3.85 starts the hold, 3.92 (above 3.90) restarts it, 3.80 starts it
                // again: 30 minutes later, at 3.50, down to level 2.
                Brief(.level, .deescalated, 2, at: time(16), value: 3.50, threshold: 3.00),
                Brief(.level, .deescalated, 1, at: time(23), value: 2.60, threshold: 2.00),
                // Cleared: the threshold is the lowest one of the warning that ended.
                Brief(.level, .cleared, 0, at: time(29), value: 1.70, threshold: 2.00),
            ])
        #expect(events.allSatisfy { !$0.late })
        #expect(engine.openWarnings.filter { $0.rule == .level }.isEmpty)
    }

    @Test(
        "a river oscillating ±5 cm around BĐ II for 6 hours gives one raised, one crest and one cleared, nothing else")
    func oscillationAtNongSon() {
        var engine = WarningEngine(catalogue: Stations.catalogue(Stations.nongSon()))
        let start = at("2022-10-11T06:00:00+07:00")
        let oscillation = (0..<72).map { $0 % 2 == 0 ? 12.95 : 13.05 }  // 6 h at 5 minutes
        let fall = [12.85, 12.80, 12.75, 12.70, 12.65, 12.60, 12.55] + Array(repeating: 12.50, count: 12)
        let readings = series("nong-son", from: start, every: 5 * minute, oscillation + fall)
        let events = engine.replay(readings).events
        #expect(
            briefs(events) == [
                Brief(.level, .raised, 2, at: start + 5 * minute, value: 13.05, threshold: 13.00),
                // 12.95 after 13.05: the crest is told once; the same peak again does not tell it twice.
                Brief(.level, .updated, 2, at: start + 10 * minute, value: 13.05, threshold: 13.00),
                // Below 12.90 from 12.85 (reading 72) on; 30 minutes later, at reading 78:
                Brief(.level, .cleared, 0, at: start + 78 * 5 * minute, value: 12.55, threshold: 13.00),
            ])
    }

    @Test("a station without BĐ I is at level 0 below BĐ II")
    func missingLevelI() {
        var engine = WarningEngine(catalogue: Stations.catalogue(Stations.nongSon()))
        let start = at("2022-10-11T06:00:00+07:00")
        let events = engine.replay(series("nong-son", from: start, every: 5 * minute, [11.0, 11.5, 12.0, 12.4]))
        #expect(briefs(events.events, .level).isEmpty)
    }

    @Test("level 4 at the highest flood on record")
    func record() {
        var engine = WarningEngine(catalogue: Stations.catalogue(Stations.cauLau()))
        let values = [5.20, 5.30, 5.40, 5.50, 5.60, 5.70]
        let events = engine.replay(series("cau-lau", from: Self.start, every: 15 * minute, values)).events
        #expect(
            briefs(events, .level) == [
                Brief(.level, .raised, 3, at: Self.start, value: 5.20, threshold: 4.00),
                Brief(.level, .escalated, 4, at: Self.start + 75 * minute, value: 5.70, threshold: 5.61),
            ])
        #expect(
            engine.openWarnings.first { $0.rule == .level }
                == OpenWarning(station: "cau-lau", sensor: .level, rule: .level, level: 4, since: Self.start))
    }

    @Test("readings the gauge marks suspect or bad raise nothing")
    func gaugeQuality() {
        var engine = WarningEngine(catalogue: Stations.catalogue(Stations.cauLau()))
        let readings = [
            Reading(station: "cau-lau", sensor: .level, timestamp: Self.start, value: 1.5),
            Reading(station: "cau-lau", sensor: .level, timestamp: Self.start + 5 * minute, value: 3.5, quality: .bad),
            Reading(
                station: "cau-lau", sensor: .level, timestamp: Self.start + 10 * minute, value: 1.6, quality: .suspect),
        ]
        let evaluation = engine.replay(readings)
        #expect(evaluation.events.isEmpty)
        #expect(evaluation.suspect.isEmpty)
    }
}

@Suite("Spike check")
struct SpikeTests {
    static let start = at("2022-10-11T07:00:00+07:00")

    @Test("a spike is ignored; a jump confirmed by the next reading raises at the confirming reading")
    func spikeThenConfirmedRise() {
        var engine = WarningEngine(catalogue: Stations.catalogue(Stations.cauLau()))
        var readings = series("cau-lau", from: Self.start, every: 5 * minute, Array(repeating: 1.50, count: 13))
        readings += series(
            "cau-lau", from: Self.start + 65 * minute, every: 5 * minute,
            [
                2.50,  // 08:05: +1.00 m in 5 minutes (allowed 0.25): suspect
                1.50,  // 08:10: back with the reading before it: the spike is discarded
                1.50,  // 08:15
                3.20,  // 08:20: +1.70 m: suspect
                3.22,  // 08:25: consistent with 3.20: confirmed, evaluated from here
            ])
        let evaluation = engine.replay(readings)
        let confirmed = Self.start + 85 * minute
        #expect(evaluation.suspect.map(\.timestamp) == [Self.start + 65 * minute, Self.start + 80 * minute])
        #expect(evaluation.events.allSatisfy { $0.timestamp == confirmed }, "nothing before confirmation")
        #expect(
            briefs(evaluation.events, .level) == [
                Brief(.level, .raised, 2, at: confirmed, value: 3.22, threshold: 3.00)
            ]
        )
        // The rise is measured from the readings before the jump (the suspect ones stay out of the windows).
        #expect(
            briefs(evaluation.events, .rise) == [Brief(.rise, .raised, 2, at: confirmed, value: 1.72, threshold: 1.00)])
    }

    @Test("a reading that jumps from both the spike and the reading before it becomes the new suspect")
    func newSuspect() {
        var engine = WarningEngine(catalogue: Stations.catalogue(Stations.cauLau()))
        let readings = series("cau-lau", from: Self.start, every: 5 * minute, [1.50, 2.50, 3.50, 1.52, 1.55])
        let evaluation = engine.replay(readings)
        #expect(evaluation.suspect.map(\.value) == [2.50, 3.50])
        #expect(evaluation.events.isEmpty)
    }

    @Test("a spike down does not start the hold of an open warning")
    func spikeDown() {
        var engine = WarningEngine(catalogue: Stations.catalogue(Stations.cauLau()))
        // At 3.2 m (level 2), a dropout to 0.0 every 10 minutes for an hour: never confirmed, never a hold.
        let values = (0..<13).map { $0 % 2 == 1 ? 0.0 : 3.2 }
        let evaluation = engine.replay(series("cau-lau", from: Self.start, every: 5 * minute, values))
        #expect(
            briefs(evaluation.events, .level) == [Brief(.level, .raised, 2, at: Self.start, value: 3.2, threshold: 3.0)]
        )
        #expect(evaluation.suspect.count == 6)
    }
}

/// The crest of a flood, as bulletins tell it: "đỉnh lũ 4,07 m lúc 21:00 ngày 28/10".
@Suite("Crests")
struct CrestTests {
    @Test("each flood wave's crest is told once the water has fallen crest_drop below it, with its time")
    func twoWaves() throws {
        var engine = WarningEngine(catalogue: Stations.catalogue(Stations.cauLau()))
        let start = at("2020-10-28T19:00:00+07:00")
        // Molave at Câu Lâu (illustrative): up to 4.07 m at 21:00, down, a second wave to 4.30 m, down.
        let values = [3.60, 3.80, 3.95, 4.02, 4.07, 4.03, 3.96, 3.90, 4.00, 4.15, 4.30, 4.25, 4.18, 4.05]
        let events = engine.replay(series("cau-lau", from: start, every: 30 * minute, values)).events
        let crests = events.filter { $0.rule == .level && $0.kind == .updated }
        #expect(crests.map(\.value) == [4.07, 4.30])
        #expect(crests.map { ($0.timestamp - start) / (30 * minute) } == [6, 12], "told at 3.96 and at 4.18 m")
        #expect(
            crests.first?.messageVI.hasPrefix(
                "Câu Lâu (Thu Bồn): đỉnh lũ 4,07 m lúc 21:00 ngày 28/10, trên báo động III 0,07 m, thấp hơn lũ lịch sử "
                    + "năm 2025 1,54 m; hiện 3,96 m lúc 22:00, đang xuống. ") == true,
            "\(crests.first?.messageVI ?? "")")
        #expect(crests.first?.messageEN.hasPrefix("Câu Lâu (Thu Bồn): crest 4.07 m at 21:00 on 28 Oct") == true)
    }

    @Test("no crest below BĐ I, and crest_drop is the station's to set")
    func belowAndSettings() {
        var lowEngine = WarningEngine(catalogue: Stations.catalogue(Stations.cauLau()))
        let start = at("2020-10-28T19:00:00+07:00")
        let low = lowEngine.replay(series("cau-lau", from: start, every: 30 * minute, [1.5, 1.9, 1.6, 1.2])).events
        #expect(low.filter { $0.rule == .level }.isEmpty)
        var coarse = WarningEngine(catalogue: Stations.catalogue(Stations.cauLau { $0.level.crestDrop = 0.30 }))
        let events = coarse.replay(series("cau-lau", from: start, every: 30 * minute, [3.5, 4.07, 3.9, 3.7])).events
        #expect(events.filter { $0.kind == .updated }.map(\.timestamp) == [start + 3 * 30 * minute])
    }
}
