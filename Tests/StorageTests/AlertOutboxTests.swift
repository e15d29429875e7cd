import Alerts
import Foundation
import GRDB
import Gauges
import Storage
import Testing
import Warnings

@Suite("Alert outbox")
struct AlertOutboxTests {
    let database: FloodDatabase

    init() throws {
        let folder = NSTemporaryDirectory() + "floodwatch-outbox-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        database = try FloodDatabase(path: folder + "/floodwatch.sqlite")
    }

    static let minute: Int64 = 60_000

    static func event(_ kind: WarningEventKind, level: Int) -> WarningEvent {
        WarningEvent(
            station: "cau-lau", sensor: .level, rule: .level, kind: kind, level: level, timestamp: 1_000,
            messageVI: "Câu Lâu \(kind.rawValue) \(level)", messageEN: "Câu Lâu \(kind.rawValue) \(level)")
    }

    func notices() throws -> [Row] {
        try database.reader.read { try Row.fetchAll($0, sql: "SELECT * FROM alert_notices ORDER BY id") }
    }

    @Test("every warning event gets a notice in its own transaction, with the level it came from")
    func noticePerEvent() throws {
        try database.store(EngineResult(events: [Self.event(.raised, level: 1)]), createdAt: 0)
        try database.store(EngineResult(events: [Self.event(.escalated, level: 3)]), createdAt: Self.minute)
        let rows = try notices()
        #expect(rows.count == 2)
        #expect(rows.map { $0["previous_level"] as Int } == [0, 1])
        #expect(rows.allSatisfy { $0["status"] as String == "new" && $0["warning_id"] as Int64 == 1 })
        let notice = try #require(try database.notice(2))
        #expect(notice.event?.event.kind == .escalated)
        #expect(notice.earlier == [EarlierNotice(id: 1, createdAt: 0)])
        #expect(notice.level == 3)

        // A warning raised beside an event of an open one, in one transaction: each event its row, the raised one
        // its own warning, the other its warning's; each notice names its event.
        let other = WarningEvent(
            station: "ai-nghia", sensor: .level, rule: .level, kind: .raised, level: 2, timestamp: 2_000,
            messageVI: "Ái Nghĩa raised 2", messageEN: "Ái Nghĩa raised 2")
        try database.store(
            EngineResult(events: [other, Self.event(.deescalated, level: 1)]), createdAt: 2 * Self.minute)
        let warnings = try database.reader.read {
            try Row.fetchAll($0, sql: "SELECT id, warning_id FROM warnings ORDER BY id")
        }
        #expect(
            warnings.map { [$0["id"] as Int64, $0["warning_id"] as Int64] } == [[1, 1], [2, 1], [3, 3], [4, 1]])
        #expect(
            try notices().map { [$0["event_id"] as Int64, $0["warning_id"] as Int64] } == [
                [1, 1], [2, 1], [3, 3], [4, 1],
            ])
    }

    @Test("reminders: due after the interval, stopped by an acknowledgement, back after an escalation")
    func reminders() throws {
        let interval = 15 * Self.minute
        try database.store(EngineResult(events: [Self.event(.raised, level: 2)]), createdAt: 0)
        #expect(try database.addReminders(now: 10 * Self.minute, intervalMilliseconds: interval, minimumLevel: 2) == 0)
        #expect(try database.addReminders(now: 15 * Self.minute, intervalMilliseconds: interval, minimumLevel: 2) == 1)
        // The reminder itself counts as news: the next is due 15 minutes after it.
        #expect(try database.addReminders(now: 20 * Self.minute, intervalMilliseconds: interval, minimumLevel: 2) == 0)
        #expect(try database.addReminders(now: 30 * Self.minute, intervalMilliseconds: interval, minimumLevel: 2) == 1)
        // Level 2 is below a minimum of 3.
        #expect(try database.addReminders(now: 90 * Self.minute, intervalMilliseconds: interval, minimumLevel: 3) == 0)

        let acknowledged = try database.acknowledge(
            warning: 1, by: "An", note: "on it", from: "test", at: 31 * Self.minute)
        #expect(acknowledged.event.kind == .acknowledged)
        #expect(acknowledged.acknowledgedBy == "An")
        #expect(acknowledged.note == "on it")
        #expect(try database.addReminders(now: 90 * Self.minute, intervalMilliseconds: interval, minimumLevel: 2) == 0)
        #expect(try database.activeWarnings().first?.acknowledgedBy == "An")

        try database.store(EngineResult(events: [Self.event(.escalated, level: 3)]), createdAt: 100 * Self.minute)
        #expect(try database.activeWarnings().first?.acknowledgedBy == nil, "an escalation needs a new acknowledgement")
        #expect(try database.addReminders(now: 115 * Self.minute, intervalMilliseconds: interval, minimumLevel: 2) == 1)
    }

    @Test("acknowledging an unknown, cleared or already acknowledged warning says why")
    func acknowledgeErrors() throws {
        #expect(throws: AcknowledgeError.unknownWarning(9)) {
            try database.acknowledge(warning: 9, by: "An", note: nil, from: "test", at: 0)
        }
        try database.store(EngineResult(events: [Self.event(.raised, level: 2)]), createdAt: 0)
        _ = try database.acknowledge(warning: 1, by: "An", note: nil, from: "test", at: 5)
        #expect(throws: AcknowledgeError.alreadyAcknowledged(1, by: "An", at: 5)) {
            try database.acknowledge(warning: 1, by: "Bình", note: nil, from: "test", at: 6)
        }
        try database.store(EngineResult(events: [Self.event(.cleared, level: 0)]), createdAt: 7)
        #expect(throws: AcknowledgeError.cleared(1, at: 1_000)) {
            try database.acknowledge(warning: 1, by: "Bình", note: nil, from: "test", at: 8)
        }
    }

    @Test("deliveries: routed once, retried with the error kept, given up, grouped members folded")
    func deliveries() throws {
        try database.store(EngineResult(events: [Self.event(.raised, level: 2)]), createdAt: 0)
        let targets = [DeliveryTarget(.mqtt, "alerts/cau-lau/level"), DeliveryTarget(.webhook, "sms")]
        try database.route([(1, targets), (1, targets)], now: 0)
        #expect(try database.newNotices().isEmpty)
        let due = try database.dueDeliveries(.webhook, now: 0)
        #expect(due.map(\.target) == ["sms"])
        try database.markAttemptFailed(due[0].id, error: "HTTP 503", nextAttemptAt: 10_000)
        #expect(try database.dueDeliveries(.webhook, now: 9_999).isEmpty)
        #expect(try database.dueDeliveries(.webhook, target: "sms", now: 10_000).first?.attempts == 1)
        try database.markAttemptFailed(due[0].id, error: "HTTP 503", nextAttemptAt: nil)
        let log = try database.deliveryLog(limit: 10, channel: .webhook)
        #expect(log.map(\.status) == ["failed"])
        #expect(log.first?.lastError == "HTTP 503")
        #expect(log.first?.subject == "cau-lau level raised 2")
        #expect(try database.dueDeliveries(.webhook, now: 100_000).isEmpty)
    }

    @Test("a grouped silent gauge's later clear refers to the group it was sent in; a group of clears to theirs")
    func groupedReferences() throws {
        func silent(_ station: String, _ kind: WarningEventKind) -> WarningEvent {
            WarningEvent(
                station: station, sensor: .level, rule: .silent, kind: kind, level: kind == .cleared ? 0 : 1,
                timestamp: 1_000, messageVI: "\(station) \(kind.rawValue)", messageEN: "\(station) \(kind.rawValue)")
        }
        try database.store(
            EngineResult(events: [silent("cau-lau", .raised), silent("hoi-an", .raised)]), createdAt: 0)
        let group = try #require(try database.group([1, 2], now: Self.minute, targets: { _ in [] }))
        #expect(group.id == 3)
        #expect(CAPMapping.messageType(group) == .alert)
        #expect(NoticeTitle(group).en == "2 gauges went silent")

        // One gauge comes back on its own: its Cancel refers to the group that told of it.
        try database.store(EngineResult(events: [silent("cau-lau", .cleared)]), createdAt: 2 * Self.minute)
        let alone = try #require(try database.notice(4))
        #expect(alone.earlier == [EarlierNotice(id: 3, createdAt: Self.minute)])

        // The other comes back with others, grouped: a Cancel referring to the group of its raise.
        try database.store(EngineResult(events: [silent("hoi-an", .cleared)]), createdAt: 3 * Self.minute)
        let back = try #require(try database.group([5], now: 4 * Self.minute, targets: { _ in [] }))
        #expect(CAPMapping.messageType(back) == .cancel)
        #expect(NoticeTitle(back).vi == "1 trạm đo có số liệu trở lại")
        #expect(back.earlier == [EarlierNotice(id: 3, createdAt: Self.minute)])
    }
}
