import Foundation
import Gauges
import Storage
import Testing
import Warnings

/// The database as it stood at a past time: what a bulletin "at T" reads. Nothing timed after T may show. On both
/// stores (`StoreKind`), through `HistoryStore`.
@Suite("Storage as of a time")
struct AsOfQueryTests {
    /// 2020-10-28T21:00:00+07:00.
    static let t: Int64 = 1_603_893_600_000
    static let hour: Int64 = 3_600_000

    static func event(
        _ rule: WarningRule, _ kind: WarningEventKind, level: Int, at ts: Int64, station: String = "cau-lau"
    ) -> WarningEvent {
        WarningEvent(
            station: station, sensor: rule == .rain ? .rain : .level, rule: rule, kind: kind, level: level,
            timestamp: ts, messageVI: "\(rule) \(kind) \(level)", messageEN: "\(rule) \(kind) \(level)")
    }

    @Test(
        "the latest good reading at or before T and the one an hour older; suspect and later readings left out",
        arguments: StoreKind.allCases)
    func latestAtTime(_ kind: StoreKind) async throws {
        try await kind.withStore { database in
            let t = Self.t
            try await database.importReadings(
                [
                    Reading(station: "cau-lau", sensor: .level, timestamp: t - 2 * Self.hour, value: 3.0),
                    Reading(station: "cau-lau", sensor: .level, timestamp: t - Self.hour - 600_000, value: 3.2),
                    Reading(station: "cau-lau", sensor: .level, timestamp: t - 300_000, value: 3.5),
                    Reading(station: "cau-lau", sensor: .level, timestamp: t, value: 9.0, quality: .suspect),
                    Reading(station: "cau-lau", sensor: .level, timestamp: t + 300_000, value: 3.7),
                ], receivedAt: t)
            let found = try #require(try await database.latest(station: "cau-lau", sensor: "level", at: t))
            #expect(found.0.timestamp == t - 300_000 && found.0.value == 3.5)
            #expect(found.hourBefore?.value == 3.2)
            #expect(try await database.latest(station: "cau-lau", sensor: "level", at: t - 3 * Self.hour) == nil)
        }
    }

    @Test("rain totals count readings after the window's start up to T, good ones only", arguments: StoreKind.allCases)
    func rainTotals(_ kind: StoreKind) async throws {
        try await kind.withStore { database in
            let t = Self.t
            try await database.importReadings(
                (0...25).map { index in
                    Reading(station: "tra-my", sensor: .rain, timestamp: t - Int64(24 - index) * Self.hour, value: 2)
                } + [Reading(station: "tra-my", sensor: .rain, timestamp: t - 1000, value: 50, quality: .suspect)],
                receivedAt: t)
            let day = try await database.total(
                station: "tra-my", sensor: "rain", after: t - 24 * Self.hour, through: t)
            #expect(day.sum == 48 && day.count == 24, "the reading at T-24h fell before the window; T+1h after it")
            let three = try await database.total(
                station: "tra-my", sensor: "rain", after: t - 3 * Self.hour, through: t)
            #expect(three.sum == 6 && three.count == 3)
        }
    }

    @Test(
        "active at T: the latest event at or before T of each warning, acknowledgements made by then",
        arguments: StoreKind.allCases)
    func activeAtTime(_ kind: StoreKind) async throws {
        try await kind.withStore { database in
            let t = Self.t
            let hour = Self.hour
            // Level: raised, escalated before T, cleared after T: active at T at level 2.
            try await database.store(
                EngineResult(events: [Self.event(.level, .raised, level: 1, at: t - 3 * hour)]),
                createdAt: t - 3 * hour)
            try await database.store(
                EngineResult(events: [Self.event(.level, .escalated, level: 2, at: t - hour)]), createdAt: t - hour)
            // Rain: raised and cleared before T.
            try await database.store(
                EngineResult(events: [Self.event(.rain, .raised, level: 1, at: t - 5 * hour)]),
                createdAt: t - 5 * hour)
            try await database.store(
                EngineResult(events: [Self.event(.rain, .cleared, level: 0, at: t - 4 * hour)]),
                createdAt: t - 4 * hour)
            // Rise: raised after T.
            try await database.store(
                EngineResult(events: [Self.event(.rise, .raised, level: 1, at: t + 60_000)]), createdAt: t + 60_000)
            let level = try #require(
                try await database.activeWarningsAsync().first { $0.latest.event.rule == .level })
            _ = try await database.acknowledgeAsync(
                warning: level.latest.warningID, by: "Trực ban", note: nil, from: nil, at: t - 30 * 60_000)
            try await database.store(
                EngineResult(events: [Self.event(.level, .cleared, level: 0, at: t + hour)]), createdAt: t + hour)

            let active = try await database.activeWarnings(at: t)
            #expect(active.map(\.latest.event.rule) == [.level])
            #expect(active.first?.latest.event.level == 2 && active.first?.raisedAt == t - 3 * hour)
            #expect(active.first?.acknowledgedBy == "Trực ban")
            #expect(try await database.activeWarnings(at: t - 45 * 60_000).first?.acknowledgedBy == nil)
            #expect(try await database.activeWarnings(at: t + 2 * hour).map(\.latest.event.rule) == [.rise])
            #expect(try await database.activeWarnings(at: t - 6 * hour).isEmpty)
        }
    }
}
