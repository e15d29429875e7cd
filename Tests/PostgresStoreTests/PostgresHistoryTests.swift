import Alerts
import Foundation
import Gauges
import Storage
import TestSupport
import Testing
import Warnings

@testable import PostgresStore

/// The SQLite file and a PostgreSQL database given the same writes, for tests that compare what the two stores read
/// back through the protocols the services use.
struct BothStores {
    let sqlite: FloodDatabase
    let postgres: PostgresDatabase
    let server: TestPostgres
    let folder: String

    init(catalogue: StationCatalogue, now: Int64) async throws {
        folder = NSTemporaryDirectory() + "floodwatch-both-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        sqlite = try FloodDatabase(path: folder + "/floodwatch.sqlite")
        try sqlite.synchronizeStations(catalogue, now: now)
        server = try TestPostgres()
        postgres = try await PostgresStoreSuite.migratedStore(on: server, now: now)
        try await postgres.synchronizeStations(catalogue, now: now)
    }

    func close() async {
        await postgres.shutDown()
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// Stores a batch of readings in both; the engine marks those `suspect` picks suspect as they land.
    @discardableResult
    func store(_ readings: [Reading], receivedAt: Int64, suspect: @escaping (Reading) -> Bool = { _ in false })
        async throws -> (sqlite: IngestOutcome, postgres: IngestOutcome)
    {
        let batch = StoreFixtures.batch(readings, receivedAt: receivedAt)
        let expected = try sqlite.store(batch) { new, _, _ in EngineResult(suspect: new.filter(suspect)) }
        let found = try await postgres.store(batch) { new, _, _ in EngineResult(suspect: new.filter(suspect)) }
        return (expected, found)
    }

    /// Writes what the engine found between batches in both.
    func store(_ result: EngineResult, createdAt: Int64) async throws {
        try sqlite.store(result, createdAt: createdAt)
        try await postgres.store(result, createdAt: createdAt)
    }

    /// What both stores answer through `HistoryStore`, expected to be the same; SQLite's answer.
    @discardableResult
    func same<Answer: Equatable>(
        _ what: String, sourceLocation: SourceLocation = #_sourceLocation,
        _ read: (any HistoryStore) async throws -> Answer
    ) async throws -> Answer {
        let expected = try await read(sqlite)
        let found = try await read(postgres)
        #expect(found == expected, "\(what)", sourceLocation: sourceLocation)
        return expected
    }
}

extension PostgresStoreSuite {
    /// Everything the HTTP API, the page and the bulletins read (`HistoryStore`) read from PostgreSQL exactly as from
    /// SQLite: the same batches and engine findings stored in both, every method called through `any HistoryStore`.
    @Suite("PostgreSQL history", .timeLimit(.minutes(2)))
    struct PostgresHistoryTests {
        /// 2026-12-05T22:00:00+07:00: two hours before a Vietnam day begins.
        static let start: Int64 = 1_796_482_800_000
        static let now: Int64 = 1_796_558_400_000
        static let step: Int64 = 600_000
        static let hour: Int64 = 3_600_000
        static let catalogue = StationCatalogue(stations: [StoreFixtures.cauLau, StoreFixtures.hoiAn])

        /// Câu Lâu's level at step `n` (every 10 minutes from `start`): quarters, so that every sum is exact in
        /// both stores whatever order they add in. Its counter skips three values at step 100.
        static func level(_ n: Int64, value: Double? = nil, quality: Quality = .good) -> Reading {
            Reading(
                station: "cau-lau", sensor: .level, timestamp: start + n * step,
                value: value ?? 1 + Double((n * 7) % 13) / 4, quality: quality, seq: n < 100 ? n + 1 : n + 4)
        }

        static func rain(_ n: Int64) -> Reading {
            Reading(station: "cau-lau", sensor: .rain, timestamp: start + n * step, value: Double(n % 4) / 2)
        }

        static func hoiAn(_ n: Int64) -> Reading {
            Reading(station: "hoi-an", sensor: .level, timestamp: start + n * step, value: 0.5 + Double(n % 3) / 8)
        }

        @Test("readings, buckets over hours and days, latest now and at T, totals, gaps: as on SQLite, any quality")
        func readingsAsOnSQLite() async throws {
            let stores = try await BothStores(catalogue: Self.catalogue, now: Self.now)
            // Ten hourly batches; steps 30–32 held back (a backlog later), step 40 sent suspect, step 50 a spike the
            // engine marks suspect as it lands.
            for first in stride(from: Int64(0), to: 60, by: 6) {
                let steps = (first..<first + 6).filter { !(30...32).contains($0) }
                let readings =
                    steps.map { n in
                        n == 40
                            ? Self.level(n, quality: .suspect) : n == 50 ? Self.level(n, value: 8) : Self.level(n)
                    } + steps.map(Self.rain)
                try await stores.store(readings, receivedAt: Self.start + (first + 5) * Self.step + 30_000) {
                    $0.value == 8
                }
            }
            // Steps 10–15 again, the same values: duplicates; step 17 with another value: refused.
            let again = try await stores.store(
                (10..<16).map { Self.level($0) } + [Self.level(17, value: 7.5)],
                receivedAt: Self.start + 60 * Self.step)
            #expect(again.postgres.duplicates == 6 && again.postgres.stored == 0 && again.postgres.rejected.count == 1)
            // Twenty hours in batches of six, then the backlog into its closed hour.
            for first in stride(from: Int64(60), to: 180, by: 36) {
                let steps = first..<first + 36
                try await stores.store(
                    steps.map { Self.level($0) } + steps.map(Self.rain) + steps.filter { $0 % 6 == 0 }.map(Self.hoiAn),
                    receivedAt: Self.start + (first + 35) * Self.step + 30_000)
            }
            try await stores.store((30...32).map { Self.level($0) }, receivedAt: Self.start + 181 * Self.step)
            // The engine marks a reading of a closed hour suspect later, then the newest (in SQLite's open hour).
            try await stores.store(EngineResult(suspect: [Self.level(12)]), createdAt: Self.start + 182 * Self.step)
            try await stores.store(EngineResult(suspect: [Self.level(179)]), createdAt: Self.start + 182 * Self.step)

            let (start, step, hour) = (Self.start, Self.step, Self.hour)
            let end = start + 180 * step
            for (station, sensor) in [("cau-lau", "level"), ("cau-lau", "rain"), ("hoi-an", "level"), ("x", "level")] {
                for (from, to, limit) in [
                    (start, end, 1000), (start, end, 50), (start + 25 * 60_000, start + 7 * hour, 100),
                ] {
                    try await stores.same("readings \(station) \(sensor) \(from)…\(to) ≤ \(limit)") {
                        try await $0.readings(station: station, sensor: sensor, from: from, to: to, limit: limit)
                    }
                }
                for seconds in [600, 1800, 3600, 7200, 10_800, 86_400] {
                    for (from, to) in [
                        (start, end), (start + 25 * 60_000, start + 7 * hour + 10 * 60_000),
                        (start + 2 * hour, end - hour),
                    ] {
                        try await stores.same("buckets \(station) \(sensor) \(seconds) s, \(from)…\(to)") {
                            try await $0.readingBuckets(
                                station: station, sensor: sensor, from: from, to: to, stepSeconds: seconds)
                        }
                    }
                }
                try await stores.same("latest \(station) \(sensor)") {
                    try await $0.latest(station: station, sensor: sensor).map { [$0.0, $0.hourBefore] }
                }
                for time in [start - 1, start, start + 50 * step, start + 50 * step + 1, end, Self.now] {
                    try await stores.same("latest \(station) \(sensor) at \(time)") {
                        try await $0.latest(station: station, sensor: sensor, at: time).map { [$0.0, $0.hourBefore] }
                    }
                    for window in [hour, 3 * hour, 24 * hour] {
                        try await stores.same("total \(station) \(sensor) through \(time), \(window) ms") {
                            let total = try await $0.total(
                                station: station, sensor: sensor, after: time - window, through: time)
                            return [total.sum, Double(total.count)]
                        }
                    }
                }
            }
            // What the scenario means, read on SQLite and found the same above: hours of good readings only, each
            // counted once; the local days of 2026-12-05, 06 and 07.
            let hours = try await stores.same("hours") {
                try await $0.readingBuckets(
                    station: "cau-lau", sensor: "level", from: start, to: end, stepSeconds: 3600)
            }
            #expect(hours.count == 30 && hours.first?.start == start)
            #expect(hours[1].count == 6, "the duplicates of steps 10 and 11 not counted twice")
            #expect(hours[2].count == 5 && hours[2].sum == 9.5, "step 12 (2.5) marked suspect in its closed hour")
            #expect(hours[5].count == 6, "the backlog counted in its closed hour")
            #expect(hours[6].count == 5 && hours[8].count == 5 && hours[8].max < 8, "suspect readings left out")
            #expect(hours[29].count == 5 && hours[29].last == Self.level(178).value, "the newest marked suspect")
            let days = try await stores.same("days") {
                try await $0.readingBuckets(
                    station: "cau-lau", sensor: "level", from: start, to: end, stepSeconds: 86_400)
            }
            #expect(days.map(\.count) == [12, 141, 23])
            #expect(days.map(\.start) == [start - 22 * hour, start + 2 * hour, start + 26 * hour])

            for station in [nil, "cau-lau", "hoi-an"] {
                for (from, to) in [(nil, nil), (start + 20 * step, nil), (nil, start + 90 * step), (start, end)]
                    as [(Int64?, Int64?)]
                {
                    for open in [false, true] {
                        try await stores.same("gaps \(station ?? "all") \(from ?? 0)…\(to ?? 0) open \(open)") {
                            try await $0.sequenceGaps(station: station, from: from, to: to, open: open, limit: 10)
                        }
                    }
                }
            }
            let gaps = try await stores.same("gaps, one of them") {
                try await $0.sequenceGaps(station: "cau-lau", from: nil, to: nil, open: false, limit: 1)
            }
            #expect(gaps.map(\.firstSeq) == [101], "the newest gap first")
            let all = try await stores.postgres.sequenceGaps(station: nil, from: nil, to: nil, open: false, limit: 10)
            #expect(all.count == 2 && all.first?.filledAt == nil && all.last?.filledAt != nil, "the backlog's filled")
            await stores.close()
        }

        static func event(
            _ rule: WarningRule, _ kind: WarningEventKind, level: Int, at ts: Int64, station: String = "cau-lau"
        ) -> WarningEvent {
            WarningEvent(
                station: station, sensor: rule == .rain ? .rain : .level, rule: rule, kind: kind, level: level,
                timestamp: ts, value: 2 + Double(level) / 4, threshold: rule == .rise ? nil : Double(level),
                windowSeconds: rule == .rise ? 3600 : nil, late: kind == .escalated, riskLevel: level > 1 ? 2 : nil,
                area: "Điện Bàn", messageVI: "\(rule) \(kind) \(level)", messageEN: "\(rule) \(kind) \(level)")
        }

        /// An acknowledgement as both stores answer it: the event, or why not.
        static func acknowledge(
            _ store: any HistoryStore, _ warning: Int64, by officer: String, note: String? = nil, at time: Int64
        ) async throws -> Result<StoredWarningEvent, AcknowledgeError> {
            do {
                return .success(
                    try await store.acknowledgeAsync(
                        warning: warning, by: officer, note: note, from: "HTTP from 10.0.0.7, token duty-officer",
                        at: time))
            } catch let refusal as AcknowledgeError {
                return .failure(refusal)
            }
        }

        @Test("warning events, active warnings now and at T, acknowledgements with their audit, the CAP feed's notices")
        func warningsAsOnSQLite() async throws {
            let stores = try await BothStores(catalogue: Self.catalogue, now: Self.now)
            let (t, hour) = (Self.start + 10 * Self.hour, Self.hour)
            // Level: raised, escalated before T, cleared after T. Rain: raised and cleared before T. Rise: raised
            // after T. Hội An: raised, acknowledged, then escalated (the acknowledgement no longer covers it).
            let events: [(WarningEvent, Int64)] = [
                (Self.event(.rain, .raised, level: 1, at: t - 5 * hour), t - 5 * hour),
                (Self.event(.rain, .cleared, level: 0, at: t - 4 * hour), t - 4 * hour),
                (Self.event(.level, .raised, level: 1, at: t - 3 * hour), t - 3 * hour + 5),
                (Self.event(.level, .raised, level: 1, at: t - 2 * hour, station: "hoi-an"), t - 2 * hour),
                (Self.event(.level, .escalated, level: 2, at: t - hour), t - hour),
            ]
            for (event, createdAt) in events {
                try await stores.store(EngineResult(events: [event]), createdAt: createdAt)
            }
            let acknowledged = try await stores.same("the level warning acknowledged") {
                try await Self.acknowledge($0, 3, by: "Trực ban Nguyễn Văn A", note: "đã báo xã", at: t - 30 * 60_000)
            }
            let event = try acknowledged.get()
            #expect(event.event.kind == .acknowledged && event.event.level == 2 && event.warningID == 3)
            #expect(event.acknowledgedBy == "Trực ban Nguyễn Văn A" && event.note == "đã báo xã")
            #expect(event.acknowledgedFrom == "HTTP from 10.0.0.7, token duty-officer")
            #expect(event.event.messageEN.hasPrefix("Acknowledged by Trực ban Nguyễn Văn A: đã báo xã — level"))
            try await stores.same("acknowledged again") { try await Self.acknowledge($0, 3, by: "B", at: t) }
            try await stores.same("a cleared warning") { try await Self.acknowledge($0, 1, by: "B", at: t) }
            try await stores.same("no such warning") { try await Self.acknowledge($0, 99, by: "B", at: t) }
            try await stores.same("Hội An acknowledged") { try await Self.acknowledge($0, 4, by: "C", at: t - 20) }
            let later: [(WarningEvent, Int64)] = [
                (Self.event(.rise, .raised, level: 1, at: t + 60_000), t + 60_000),
                (Self.event(.level, .escalated, level: 2, at: t + 2 * hour, station: "hoi-an"), t + 2 * hour),
                (Self.event(.level, .cleared, level: 0, at: t + 3 * hour), t + 3 * hour),
            ]
            for (event, createdAt) in later {
                try await stores.store(EngineResult(events: [event]), createdAt: createdAt)
            }

            for station in [nil, "cau-lau", "hoi-an", "x"] {
                for (from, to) in [(nil, nil), (t - 3 * hour, nil), (nil, t), (t - hour, t + hour)]
                    as [(Int64?, Int64?)]
                {
                    for limit in [2, 100] {
                        try await stores.same("events \(station ?? "all") \(from ?? 0)…\(to ?? 0) ≤ \(limit)") {
                            try await $0.warningEvents(station: station, from: from, to: to, limit: limit)
                        }
                    }
                }
                try await stores.same("active \(station ?? "all")") {
                    try await $0.activeWarningsAsync(station: station)
                }
            }
            for time in [t - 6 * hour, t - 4 * hour, t - 45 * 60_000, t - 30 * 60_000, t, t + 2 * hour, t + 4 * hour] {
                try await stores.same("active at \(time)") { try await $0.activeWarnings(at: time) }
            }
            let active = try await stores.same("active") { try await $0.activeWarningsAsync() }
            #expect(active.map(\.latest.event.station) == ["cau-lau", "hoi-an"])
            #expect(active.map(\.latest.event.rule) == [.rise, .level] && active.last?.latest.event.level == 2)
            #expect(active.last?.acknowledgedBy == nil, "Hội An's escalated since its acknowledgement")
            let atT = try await stores.same("active at T") { try await $0.activeWarnings(at: t) }
            #expect(atT.map(\.latest.event.station) == ["cau-lau", "hoi-an"])
            #expect(atT.first?.acknowledgedBy == "Trực ban Nguyễn Văn A" && atT.first?.raisedAt == t - 3 * hour)

            let feed = try await stores.same("the feed") { try await $0.activeNoticesAsync() }
            #expect(feed.map { $0.event?.event.rule } == [.level, .rise])
            for id in Int64(1)...12 {
                try await stores.same("notice \(id)") { try await $0.noticeAsync(id) }
            }
            let acknowledgement = try #require(try await stores.postgres.noticeAsync(6))
            #expect(acknowledgement.event == event && acknowledgement.previousLevel == 2)
            #expect(acknowledgement.earlier.map(\.id) == [3, 5], "the level warning's raise and escalation")
            await stores.close()
        }
    }
}
