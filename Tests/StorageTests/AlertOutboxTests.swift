import Alerts
import Foundation
import GRDB
import Gauges
import Storage
import Testing
import Warnings

/// The alert outbox, on both stores (`StoreKind`), through `IngestStore` and `AlertStore` as the ingest path and the
/// alert service use it.
@Suite("Alert outbox")
struct AlertOutboxTests {
    static let minute: Int64 = 60_000

    static func event(_ kind: WarningEventKind, level: Int) -> WarningEvent {
        WarningEvent(
            station: "cau-lau", sensor: .level, rule: .level, kind: kind, level: level, timestamp: 1_000,
            messageVI: "Câu Lâu \(kind.rawValue) \(level)", messageEN: "Câu Lâu \(kind.rawValue) \(level)")
    }

    static func notices(_ database: TestedStore) async throws -> [Row] {
        try await database.rows("SELECT * FROM alert_notices ORDER BY id")
    }

    @Test(
        "every warning event gets a notice in its own transaction, with the level it came from",
        arguments: StoreKind.allCases)
    func noticePerEvent(_ kind: StoreKind) async throws {
        try await kind.withStore { database in
            try await database.store(EngineResult(events: [Self.event(.raised, level: 1)]), createdAt: 0)
            try await database.store(EngineResult(events: [Self.event(.escalated, level: 3)]), createdAt: Self.minute)
            let rows = try await Self.notices(database)
            #expect(rows.count == 2)
            #expect(rows.map { $0["previous_level"] as Int } == [0, 1])
            #expect(rows.allSatisfy { $0["status"] as String == "new" && $0["warning_id"] as Int64 == 1 })
            let notice = try #require(try await database.notice(2))
            #expect(notice.event?.event.kind == .escalated)
            #expect(notice.earlier == [EarlierNotice(id: 1, createdAt: 0)])
            #expect(notice.level == 3)

            // A warning raised beside an event of an open one, in one transaction: each event its row, the raised
            // one its own warning, the other its warning's; each notice names its event.
            let other = WarningEvent(
                station: "ai-nghia", sensor: .level, rule: .level, kind: .raised, level: 2, timestamp: 2_000,
                messageVI: "Ái Nghĩa raised 2", messageEN: "Ái Nghĩa raised 2")
            try await database.store(
                EngineResult(events: [other, Self.event(.deescalated, level: 1)]), createdAt: 2 * Self.minute)
            let warnings = try await database.rows("SELECT id, warning_id FROM warnings ORDER BY id")
            #expect(
                warnings.map { [$0["id"] as Int64, $0["warning_id"] as Int64] } == [[1, 1], [2, 1], [3, 3], [4, 1]])
            #expect(
                try await Self.notices(database).map { [$0["event_id"] as Int64, $0["warning_id"] as Int64] } == [
                    [1, 1], [2, 1], [3, 3], [4, 1],
                ])
        }
    }

    @Test(
        "reminders: due after the interval, stopped by an acknowledgement, back after an escalation",
        arguments: StoreKind.allCases)
    func reminders(_ kind: StoreKind) async throws {
        try await kind.withStore { database in
            let interval = 15 * Self.minute
            func reminders(at minute: Int64, minimumLevel: Int = 2) async throws -> Int {
                try await database.addReminders(
                    now: minute * Self.minute, intervalMilliseconds: interval, minimumLevel: minimumLevel)
            }
            try await database.store(EngineResult(events: [Self.event(.raised, level: 2)]), createdAt: 0)
            #expect(try await reminders(at: 10) == 0)
            #expect(try await reminders(at: 15) == 1)
            // The reminder itself counts as news: the next is due 15 minutes after it.
            #expect(try await reminders(at: 20) == 0)
            #expect(try await reminders(at: 30) == 1)
            // Level 2 is below a minimum of 3.
            #expect(try await reminders(at: 90, minimumLevel: 3) == 0)

            let acknowledged = try await database.acknowledgeAsync(
                warning: 1, by: "An", note: "on it", from: "test", at: 31 * Self.minute)
            #expect(acknowledged.event.kind == .acknowledged)
            #expect(acknowledged.acknowledgedBy == "An")
            #expect(acknowledged.note == "on it")
            #expect(try await reminders(at: 90) == 0)
            #expect(try await database.activeWarnings().first?.acknowledgedBy == "An")

            try await database.store(
                EngineResult(events: [Self.event(.escalated, level: 3)]), createdAt: 100 * Self.minute)
            #expect(
                try await database.activeWarnings().first?.acknowledgedBy == nil,
                "an escalation needs a new acknowledgement")
            #expect(try await reminders(at: 115) == 1)
        }
    }

    @Test(
        "acknowledging an unknown, cleared or already acknowledged warning says why", arguments: StoreKind.allCases)
    func acknowledgeErrors(_ kind: StoreKind) async throws {
        try await kind.withStore { database in
            await #expect(throws: AcknowledgeError.unknownWarning(9)) {
                try await database.acknowledgeAsync(warning: 9, by: "An", note: nil, from: "test", at: 0)
            }
            try await database.store(EngineResult(events: [Self.event(.raised, level: 2)]), createdAt: 0)
            _ = try await database.acknowledgeAsync(warning: 1, by: "An", note: nil, from: "test", at: 5)
            await #expect(throws: AcknowledgeError.alreadyAcknowledged(1, by: "An", at: 5)) {
                try await database.acknowledgeAsync(warning: 1, by: "Bình", note: nil, from: "test", at: 6)
            }
            try await database.store(EngineResult(events: [Self.event(.cleared, level: 0)]), createdAt: 7)
            await #expect(throws: AcknowledgeError.cleared(1, at: 1_000)) {
                try await database.acknowledgeAsync(warning: 1, by: "Bình", note: nil, from: "test", at: 8)
            }
        }
    }

    @Test(
        "deliveries: routed once, retried with the error kept, given up, grouped members folded",
        arguments: StoreKind.allCases)
    func deliveries(_ kind: StoreKind) async throws {
        try await kind.withStore { database in
            try await database.store(EngineResult(events: [Self.event(.raised, level: 2)]), createdAt: 0)
            let targets = [DeliveryTarget(.mqtt, "alerts/cau-lau/level"), DeliveryTarget(.webhook, "sms")]
            try await database.route([(1, targets), (1, targets)], now: 0)
            #expect(try await database.newNotices().isEmpty)
            let due = try await database.dueDeliveries(.webhook, now: 0)
            #expect(due.map(\.target) == ["sms"])
            try await database.record([.failed(delivery: due[0].id, error: "HTTP 503", nextAttemptAt: 10_000)])
            #expect(try await database.dueDeliveries(.webhook, now: 9_999).isEmpty)
            #expect(try await database.dueDeliveries(.webhook, target: "sms", now: 10_000).first?.attempts == 1)
            try await database.record([.failed(delivery: due[0].id, error: "HTTP 503", nextAttemptAt: nil)])
            // The delivery log (`floodwatch alerts`): each delivery with its notice's subject, newest first.
            let log = try await database.rows(
                """
                SELECT d.status, d.last_error, w.station || ' ' || w.rule || ' ' || w.event || ' ' || w.level AS subject
                FROM alert_deliveries AS d JOIN alert_notices AS n ON n.id = d.notice_id
                LEFT JOIN warnings AS w ON w.id = n.event_id
                WHERE d.channel = 'webhook' ORDER BY d.id DESC
                """)
            #expect(log.map { $0["status"] as String } == ["failed"])
            #expect(log.first?["last_error"] as String? == "HTTP 503")
            #expect(log.first?["subject"] as String? == "cau-lau level raised 2")
            if let sqlite = database.sqlite {
                // SQLite only: the log as its own command reads it (PostgreSQL's store has no `deliveryLog`).
                #expect(
                    try sqlite.deliveryLog(limit: 10, channel: .webhook).map { "\($0.status) \($0.subject)" } == [
                        "failed cau-lau level raised 2"
                    ])
            }
            #expect(try await database.dueDeliveries(.webhook, now: 100_000).isEmpty)
        }
    }

    @Test(
        "a grouped silent gauge's later clear refers to the group it was sent in; a group of clears to theirs",
        arguments: StoreKind.allCases)
    func groupedReferences(_ kind: StoreKind) async throws {
        func silent(_ station: String, _ kind: WarningEventKind) -> WarningEvent {
            WarningEvent(
                station: station, sensor: .level, rule: .silent, kind: kind, level: kind == .cleared ? 0 : 1,
                timestamp: 1_000, messageVI: "\(station) \(kind.rawValue)", messageEN: "\(station) \(kind.rawValue)")
        }
        try await kind.withStore { database in
            try await database.store(
                EngineResult(events: [silent("cau-lau", .raised), silent("hoi-an", .raised)]), createdAt: 0)
            let group = try #require(try await database.group([1, 2], now: Self.minute, targets: { _ in [] }))
            #expect(group.id == 3)
            #expect(CAPMapping.messageType(group) == .alert)
            #expect(NoticeTitle(group).en == "2 gauges went silent")

            // One gauge comes back on its own: its Cancel refers to the group that told of it.
            try await database.store(EngineResult(events: [silent("cau-lau", .cleared)]), createdAt: 2 * Self.minute)
            let alone = try #require(try await database.notice(4))
            #expect(alone.earlier == [EarlierNotice(id: 3, createdAt: Self.minute)])

            // The other comes back with others, grouped: a Cancel referring to the group of its raise.
            try await database.store(EngineResult(events: [silent("hoi-an", .cleared)]), createdAt: 3 * Self.minute)
            let back = try #require(try await database.group([5], now: 4 * Self.minute, targets: { _ in [] }))
            #expect(CAPMapping.messageType(back) == .cancel)
            #expect(NoticeTitle(back).vi == "1 trạm đo có số liệu trở lại")
            #expect(back.earlier == [EarlierNotice(id: 3, createdAt: Self.minute)])
        }
    }
}
