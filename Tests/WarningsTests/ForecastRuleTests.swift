import Gauges
import Testing
import Warnings

@Suite("Projected crossing rule")
struct ForecastRuleTests {
    @Test("raised with the projected time, escalated when the next level is projected in time, cleared after the hold")
    func raiseEscalateClear() throws {
        // The line through the last 45 minutes (4 readings at 15 minutes), to keep the arithmetic checkable.
        var engine = WarningEngine(
            catalogue: Stations.catalogue(Stations.aiNghia { $0.forecast.windowSeconds = 2700 }))
        let start = at("2020-10-28T12:00:00+07:00")
        // 0.40 m/h from 6.60 at 12:00 to 8.20 at 16:00, then flat.
        let values = (0...16).map { Double(660 + 10 * $0) / 100 } + Array(repeating: 8.20, count: 5)
        let events = engine.replay(series("ai-nghia", from: start, every: 15 * minute, values)).events
        let forecast = events.filter { $0.rule == .forecast }
        #expect(
            briefs(forecast) == [
                // 12:45, 6.90 m: BĐ II (8.00) is 1.10 m away, 2 h 45 min at 0.40 m/h.
                Brief(.forecast, .raised, 2, at: at("2020-10-28T12:45:00+07:00"), value: 6.90, threshold: 8.00),
                // 15:30, BĐ II reached; BĐ III (9.00) is 2 h 30 min away.
                Brief(.forecast, .escalated, 3, at: at("2020-10-28T15:30:00+07:00"), value: 8.00, threshold: 9.00),
                // 16:30: the line through 15:45–16:30 rises 0.12 m/h, BĐ III is 6.7 h away: the hold starts;
                // 30 minutes later without a projected crossing, cleared.
                Brief(.forecast, .cleared, 0, at: at("2020-10-28T17:00:00+07:00"), value: 8.20, threshold: 9.00),
            ])
        try #require(forecast.count == 3)
        #expect(forecast[0].projectedTimestamp == at("2020-10-28T15:30:00+07:00"))
        #expect(forecast[0].projectedValue.map(Brief.round) == 8.10)  // the line at 12:45 + 3 h
        #expect(forecast[1].projectedTimestamp == at("2020-10-28T18:00:00+07:00"))
        #expect(forecast[1].projectedValue.map(Brief.round) == 9.20)
        #expect(forecast[2].projectedTimestamp == nil)
        #expect(forecast[2].projectedValue == nil)
    }

    @Test("cleared at once when the projected level is reached and nothing further is projected in time")
    func clearedWhenReached() throws {
        var engine = WarningEngine(
            catalogue: Stations.catalogue(Stations.cauLau { $0.forecast.horizonSeconds = 7800 }))
        let start = at("2022-10-11T06:00:00+07:00")
        let values = [1.40, 1.50, 1.60, 1.70, 1.80, 1.90, 2.00, 2.10, 2.20]
        let events = engine.replay(series("cau-lau", from: start, every: 15 * minute, values)).events
        let forecast = events.filter { $0.rule == .forecast }
        #expect(
            briefs(forecast) == [
                // 06:45, the 4th reading: BĐ I in 45 minutes.
                Brief(.forecast, .raised, 1, at: start + 45 * minute, value: 1.70, threshold: 2.00),
                // 07:30: BĐ I reached; BĐ II is 2 h 30 min away, beyond the 2 h 10 min horizon.
                Brief(.forecast, .cleared, 0, at: start + 90 * minute, value: 2.00, threshold: 2.00),
                // 08:00: BĐ II 2 h away.
                Brief(.forecast, .raised, 2, at: start + 120 * minute, value: 2.20, threshold: 3.00),
            ])
        try #require(forecast.count == 3)
        #expect(forecast[0].projectedTimestamp == start + 90 * minute)
        #expect(forecast[2].projectedTimestamp == start + 240 * minute)
        #expect(
            engine.openWarnings.filter { $0.rule == .forecast }
                == [
                    OpenWarning(
                        station: "cau-lau", sensor: .level, rule: .forecast, level: 2, since: start + 120 * minute)
                ])
    }

    @Test("not enough readings in the window: no projection")
    func minimumReadings() {
        var engine = WarningEngine(catalogue: Stations.catalogue(Stations.cauLau()))
        let start = at("2022-10-11T06:00:00+07:00")
        let events = engine.replay(series("cau-lau", from: start, every: 15 * minute, [1.40, 1.60, 1.80])).events
        #expect(events.filter { $0.rule == .forecast }.isEmpty)
    }

    /// 28 Oct 2020, Typhoon Molave: Ái Nghĩa 7.75 m at 16:00 and 9.26 m at 21:00, a reading every 15 minutes
    /// interpolated between them.
    @Test("Molave: Ái Nghĩa reaches level 2 before 21:00 and level 3 by 21:00, with BĐ III projected 3 h ahead")
    func molave() {
        var engine = WarningEngine(catalogue: Stations.catalogue(Stations.aiNghia()))
        let start = at("2020-10-28T16:00:00+07:00")
        let ninePM = at("2020-10-28T21:00:00+07:00")
        let values = (0...20).map { 7.75 + (9.26 - 7.75) * Double($0) / 20 }
        let events = engine.replay(series("ai-nghia", from: start, every: 15 * minute, values)).events
        let level = events.filter { $0.rule == .level }
        #expect((level.first { $0.level == 2 }?.timestamp ?? .max) < ninePM)
        #expect((level.first { $0.level == 3 }?.timestamp ?? .max) <= ninePM)
        #expect(
            briefs(level) == [
                Brief(.level, .raised, 1, at: start, value: 7.75, threshold: 6.50),
                Brief(.level, .escalated, 2, at: at("2020-10-28T17:00:00+07:00"), value: 8.052, threshold: 8.00),
                Brief(.level, .escalated, 3, at: at("2020-10-28T20:15:00+07:00"), value: 9.0335, threshold: 9.00),
            ])
        let forecast = events.filter { $0.rule == .forecast }
        #expect(
            forecast.map { [$0.kind.rawValue, String($0.level), LocalClock.text($0.timestamp)] } == [
                ["raised", "2", "16:45"],  // the 4th reading; BĐ II minutes away
                ["cleared", "0", "17:00"],  // BĐ II reached, BĐ III 3.1 h away
                ["raised", "3", "17:15"],  // BĐ III 2.9 h away
                ["cleared", "0", "20:15"],  // BĐ III reached, the record far away
            ])
        #expect(forecast[2].projectedTimestamp.map(LocalClock.text) == "20:08")
    }
}

/// The local clock (UTC+7) of a time, `HH:MM`.
enum LocalClock {
    static func text(_ milliseconds: Int64) -> String {
        let rfc = UnixTime.rfc3339(milliseconds, offsetSeconds: UnixTime.vietnamOffsetSeconds)
        let time = rfc.split(separator: "T")[1]
        return String(time.prefix(5))
    }
}
