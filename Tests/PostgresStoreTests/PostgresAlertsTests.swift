import Alerts
import Foundation
import Gauges
import Storage
import TestSupport
import Testing
import Warnings

@testable import PostgresStore

extension PostgresStoreSuite {
    /// The alert outbox on PostgreSQL behaves as on SQLite: the same events and the same calls, made through
    /// `AlertStore` on a SQLite file and on a real PostgreSQL 15 server, show the alert service the same notices,
    /// deliveries, retries, groups, reminders and active warnings (the SQLite side's own tests: AlertOutboxTests).
    @Suite("PostgreSQL alert outbox", .timeLimit(.minutes(2)))
    struct PostgresAlertsTests {
        static let minute: Int64 = 60_000
        static let bulletin = BulletinPayload(
            at: 400, text: "Bản tin lũ 07:00 — Flood bulletin 07:00", json: #"{"at":400,"warnings":[]}"#)

        static func event(
            _ station: String, _ kind: WarningEventKind, level: Int, rule: WarningRule = .level, at ts: Int64 = 1_000
        ) -> WarningEvent {
            WarningEvent(
                station: station, sensor: .level, rule: rule, kind: kind, level: level, timestamp: ts,
                value: 1.5 + Double(level), threshold: Double(level), windowSeconds: rule == .silent ? 1_800 : nil,
                messageVI: "\(station) \(kind.rawValue) \(level)", messageEN: "\(station) \(kind.rawValue) \(level)")
        }

        @Test("notices routed once, deliveries due by channel and target, retries, outcomes recorded together")
        func deliveries() async throws {
            struct Seen: Equatable {
                var new: [Notice] = []
                var newAfterRouting: [Notice] = []
                var dueWebhook: [Due] = []
                var firstSMS: [Due] = []
                var dueMQTT: [Due] = []
                var dueEmail: [Due] = []
                var next: [Int64?] = []
                var read: [Int64: Notice] = [:]
                var dueBeforeRetry: [Due] = []
                var dueAtRetry: [Due] = []
                var dueAtEnd: [Due] = []
                var log: [String] = []
                var escalation: [Notice] = []
            }
            let (sqlite, postgres) = try await Self.onBothStores { store in
                var seen = Seen()
                let sms = DeliveryTarget(.webhook, "sms")
                try store.alerts.store(
                    EngineResult(events: [
                        Self.event("cau-lau", .raised, level: 2), Self.event("hoi-an", .raised, level: 1),
                    ]), createdAt: 0)
                try store.addBulletin(Self.bulletin, 500)
                seen.new = try store.alerts.newNotices()
                try store.alerts.route(
                    [
                        (1, [DeliveryTarget(.mqtt, "alerts/cau-lau/level"), sms]),
                        (1, [DeliveryTarget(.mqtt, "alerts/cau-lau/level"), sms]),
                        (2, [sms, DeliveryTarget(.email, "duty@example.vn")]),
                    ], now: 0)
                seen.newAfterRouting = try store.alerts.newNotices()
                let webhook = try store.alerts.dueDeliveries(.webhook, now: 0)
                let mqtt = try store.alerts.dueDeliveries(.mqtt, now: 0)
                let email = try store.alerts.dueDeliveries(.email, now: 0)
                seen.dueWebhook = webhook.map(Due.init)
                seen.dueMQTT = mqtt.map(Due.init)
                seen.dueEmail = email.map(Due.init)
                seen.firstSMS = try store.alerts.dueDeliveries(.webhook, target: "sms", now: 0, limit: 1).map(Due.init)
                seen.next.append(try store.alerts.nextAttempt(.webhook, target: nil))
                seen.next.append(try store.alerts.nextAttempt(.email, target: "nobody@example.vn"))
                seen.read = try store.alerts.notices(webhook.map(\.noticeID) + [99])

                try store.alerts.record([
                    .failed(delivery: webhook[0].id, error: "HTTP 503", nextAttemptAt: 10_000),
                    .sent(delivery: mqtt[0].id, at: 5),
                    .failed(delivery: webhook[1].id, error: "HTTP 500", nextAttemptAt: 20_000),
                    .failed(delivery: email[0].id, error: "no such user", nextAttemptAt: nil),
                ])
                seen.dueBeforeRetry = try store.alerts.dueDeliveries(.webhook, now: 9_999).map(Due.init)
                seen.dueAtRetry = try store.alerts.dueDeliveries(.webhook, target: "sms", now: 20_000).map(Due.init)
                seen.next.append(try store.alerts.nextAttempt(.webhook, target: "sms"))
                // Outcomes of one delivery recorded together count each attempt, the last one having its say.
                try store.alerts.record([
                    .failed(delivery: webhook[0].id, error: "timeout", nextAttemptAt: 30_000),
                    .sent(delivery: webhook[0].id, at: 12_000),
                    .sent(delivery: webhook[1].id, at: 25_000),
                    .failed(delivery: webhook[1].id, error: "HTTP 410", nextAttemptAt: nil),
                ])
                seen.dueAtEnd = try store.alerts.dueDeliveries(.webhook, now: 100_000).map(Due.init)
                seen.next.append(try store.alerts.nextAttempt(.webhook, target: nil))
                seen.log = try store.deliveryLog()

                try store.alerts.store(
                    EngineResult(events: [Self.event("cau-lau", .escalated, level: 3, at: 2_000)]),
                    createdAt: Self.minute)
                seen.escalation = try store.alerts.newNotices()
                return seen
            }
            #expect(postgres.new == sqlite.new)
            #expect(postgres.newAfterRouting == sqlite.newAfterRouting)
            #expect(postgres.dueWebhook == sqlite.dueWebhook)
            #expect(postgres.firstSMS == sqlite.firstSMS)
            #expect(postgres.dueMQTT == sqlite.dueMQTT)
            #expect(postgres.dueEmail == sqlite.dueEmail)
            #expect(postgres.next == sqlite.next)
            #expect(postgres.read == sqlite.read)
            #expect(postgres.dueBeforeRetry == sqlite.dueBeforeRetry)
            #expect(postgres.dueAtRetry == sqlite.dueAtRetry)
            #expect(postgres.dueAtEnd == sqlite.dueAtEnd)
            #expect(postgres.log == sqlite.log)
            #expect(postgres.escalation == sqlite.escalation)

            // What both showed is what the alert service relies on.
            #expect(sqlite.new.map(\.id) == [1, 2, 3])
            #expect(sqlite.new.last?.bulletin == Self.bulletin)
            #expect(sqlite.newAfterRouting.map(\.kind) == [.bulletin], "left for later")
            #expect(sqlite.dueWebhook.map(\.notice) == [1, 2], "routed twice, delivered once")
            #expect(sqlite.firstSMS.map(\.notice) == [1])
            #expect(sqlite.read.keys.sorted() == [1, 2])
            #expect(sqlite.dueBeforeRetry.isEmpty)
            #expect(sqlite.dueAtRetry.map(\.attempts) == [1, 1])
            #expect(sqlite.next == [0, nil, 10_000, nil])
            #expect(sqlite.dueAtEnd.isEmpty)
            #expect(
                sqlite.log == [
                    "2 email duty@example.vn failed 1 next 0 sent - error no such user",
                    "2 webhook sms failed 3 next 20000 sent 25000 error HTTP 410",
                    "1 webhook sms sent 3 next 30000 sent 12000 error -",
                    "1 mqtt alerts/cau-lau/level sent 1 next 0 sent 5 error -",
                ])
            #expect(sqlite.escalation.map(\.earlier) == [[], [EarlierNotice(id: 1, createdAt: 0)]])
        }

        @Test("storm control: silent gauges grouped into one notice, the group referred to by their clears")
        func stormControl() async throws {
            struct Seen: Equatable {
                var group: Notice?
                var asked: [Notice] = []
                var newAfterGrouping: [Notice] = []
                var due: [Due] = []
                var alone: [Notice] = []
                var back: Notice?
                var read: [Int64: Notice] = [:]
            }
            let (sqlite, postgres) = try await Self.onBothStores { store in
                var seen = Seen()
                try store.alerts.store(
                    EngineResult(events: [
                        Self.event("hoi-an", .raised, level: 1, rule: .silent),
                        Self.event("cau-lau", .raised, level: 1, rule: .silent),
                    ]), createdAt: 0)
                let silent = try store.alerts.newNotices().map(\.id)
                var asked: [Notice] = []
                seen.group = try store.alerts.group(
                    silent, now: Self.minute,
                    targets: {
                        asked.append($0)
                        return [DeliveryTarget(.webhook, "sms"), DeliveryTarget(.email, "duty@example.vn")]
                    })
                seen.asked = asked
                seen.newAfterGrouping = try store.alerts.newNotices()
                seen.due = try store.alerts.dueDeliveries(.webhook, now: Self.minute).map(Due.init)

                // One gauge comes back on its own, the other with others.
                try store.alerts.store(
                    EngineResult(events: [Self.event("cau-lau", .cleared, level: 0, rule: .silent, at: 2_000)]),
                    createdAt: 2 * Self.minute)
                seen.alone = try store.alerts.newNotices()
                try store.alerts.route(seen.alone.map { ($0.id, []) }, now: 2 * Self.minute)
                try store.alerts.store(
                    EngineResult(events: [Self.event("hoi-an", .cleared, level: 0, rule: .silent, at: 3_000)]),
                    createdAt: 3 * Self.minute)
                seen.back = try store.alerts.group(
                    try store.alerts.newNotices().map(\.id), now: 4 * Self.minute, targets: { _ in [] })
                seen.read = try store.alerts.notices([3, 5, 6])
                return seen
            }
            #expect(postgres.group == sqlite.group)
            #expect(postgres.asked == sqlite.asked)
            #expect(postgres.newAfterGrouping == sqlite.newAfterGrouping)
            #expect(postgres.due == sqlite.due)
            #expect(postgres.alone == sqlite.alone)
            #expect(postgres.back == sqlite.back)
            #expect(postgres.read == sqlite.read)

            let group = try #require(sqlite.group)
            #expect(group.id == 3)
            #expect(group.members.map(\.event.station) == ["cau-lau", "hoi-an"], "by time, then station")
            #expect(NoticeTitle(group).en == "2 gauges went silent")
            #expect(CAPMapping.messageType(group) == .alert)
            #expect(sqlite.asked == [group])
            #expect(sqlite.newAfterGrouping.isEmpty)
            #expect(sqlite.due.map(\.notice) == [3])
            #expect(sqlite.alone.map(\.earlier) == [[EarlierNotice(id: 3, createdAt: Self.minute)]])
            let back = try #require(sqlite.back)
            #expect(CAPMapping.messageType(back) == .cancel)
            #expect(NoticeTitle(back).vi == "1 trạm đo có số liệu trở lại")
            #expect(back.earlier == [EarlierNotice(id: 3, createdAt: Self.minute)])
            #expect(sqlite.read.keys.sorted() == [3, 5, 6])
        }

        @Test("reminders due after the interval, stopped by an acknowledgement, back after an escalation")
        func remindersAndActiveWarnings() async throws {
            struct Seen: Equatable {
                var added: [Int] = []
                var acknowledged: [ActiveWarning] = []
                var escalated: [ActiveWarning] = []
                var byStation: [String: [ActiveWarning]] = [:]
                var afterClear: [ActiveWarning] = []
                var notices: [Notice] = []
            }
            let (sqlite, postgres) = try await Self.onBothStores { store in
                var seen = Seen()
                func remind(at minutes: Int64, minimumLevel: Int = 2) throws {
                    seen.added.append(
                        try store.alerts.addReminders(
                            now: minutes * Self.minute, intervalMilliseconds: 15 * Self.minute,
                            minimumLevel: minimumLevel))
                }
                try store.alerts.store(
                    EngineResult(events: [
                        Self.event("hoi-an", .raised, level: 2), Self.event("cau-lau", .raised, level: 2),
                        Self.event("cau-lau", .raised, level: 1, rule: .rise),
                    ]), createdAt: 0)
                try remind(at: 10)
                try remind(at: 15)
                // A reminder counts as news: the next is due 15 minutes after it.
                try remind(at: 20)
                try remind(at: 30)
                try remind(at: 90, minimumLevel: 3)
                try store.acknowledge(2, "An", "on it", 31 * Self.minute)
                seen.acknowledged = try store.alerts.activeWarnings()
                try remind(at: 90)
                try store.alerts.store(
                    EngineResult(events: [Self.event("cau-lau", .escalated, level: 3, at: 2_000)]),
                    createdAt: 100 * Self.minute)
                seen.escalated = try store.alerts.activeWarnings(station: "cau-lau")
                try remind(at: 115)
                seen.byStation = try store.alerts.activeWarnings(stations: ["hoi-an", "cau-lau", "tra-my"])
                try store.alerts.store(
                    EngineResult(events: [Self.event("hoi-an", .cleared, level: 0, at: 3_000)]),
                    createdAt: 120 * Self.minute)
                seen.afterClear = try store.alerts.activeWarnings()
                seen.notices = try store.alerts.newNotices()
                return seen
            }
            #expect(postgres.added == sqlite.added)
            #expect(postgres.acknowledged == sqlite.acknowledged)
            #expect(postgres.escalated == sqlite.escalated)
            #expect(postgres.byStation == sqlite.byStation)
            #expect(postgres.afterClear == sqlite.afterClear)
            #expect(postgres.notices == sqlite.notices)

            #expect(sqlite.added == [0, 2, 0, 2, 0, 1, 2])
            #expect(
                sqlite.acknowledged.map {
                    "\($0.latest.event.station) \($0.latest.event.rule) \($0.acknowledgedBy ?? "-")"
                }
                    == ["cau-lau level An", "cau-lau rise -", "hoi-an level -"])
            #expect(sqlite.acknowledged.first?.acknowledgedAt == 31 * Self.minute)
            #expect(sqlite.escalated.map(\.acknowledgedBy) == [nil, nil], "an escalation needs a new acknowledgement")
            #expect(sqlite.byStation["tra-my"] == [])
            #expect(sqlite.byStation["cau-lau"]?.count == 2)
            #expect(sqlite.afterClear.map(\.latest.event.station) == ["cau-lau", "cau-lau"])
            let reminders = sqlite.notices.filter { $0.kind == .reminder }
            #expect(reminders.count == 7)
            #expect(reminders.prefix(2).compactMap(\.event?.event.station) == ["cau-lau", "hoi-an"])
        }

        // MARK: Both stores

        /// A pending delivery without its id: PostgreSQL may skip ids (a sequence), SQLite does not.
        struct Due: Hashable {
            var notice: Int64
            var channel: AlertChannel
            var target: String
            var attempts: Int
            var createdAt: Int64

            init(_ delivery: PendingDelivery) {
                notice = delivery.noticeID
                channel = delivery.channel
                target = delivery.target
                attempts = delivery.attempts
                createdAt = delivery.createdAt
            }
        }

        /// A store under test: the protocols, and what the tests need of it beyond them.
        struct Store {
            var alerts: any AlertStore & IngestStore
            /// Every delivery, newest first: "notice channel target status attempts next … sent … error …".
            var deliveryLog: () throws -> [String]
            /// Acknowledges a warning (id, officer, note, time) as `floodwatch ack` does.
            var acknowledge: (Int64, String, String?, Int64) throws -> Void
            /// Stores a bulletin and its notice, made at the given time, as the bulletin schedule does.
            var addBulletin: (BulletinPayload, Int64) throws -> Void
        }

        /// Runs `scenario` on a new SQLite file, then on a new PostgreSQL database, on a thread of its own (the
        /// stores' methods block), and returns what it saw on each.
        static func onBothStores<Seen: Sendable>(_ scenario: @escaping @Sendable (Store) throws -> Seen)
            async throws -> (sqlite: Seen, postgres: Seen)
        {
            let folder = NSTemporaryDirectory() + "floodwatch-alerts-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let sqlite = try FloodDatabase(path: folder + "/floodwatch.sqlite")
            let server = try TestPostgres()
            let postgres = try await PostgresStoreSuite.migratedStore(on: server, now: 1_796_558_400_000)
            let seen = try await onOwnThread {
                let onSQLite = try scenario(
                    Store(
                        alerts: sqlite,
                        deliveryLog: {
                            try sqlite.deliveryLog(limit: 100).map {
                                "\($0.noticeID) \($0.channel.rawValue) \($0.target) \($0.status) \($0.attempts) "
                                    + "next \($0.nextAttemptAt) sent \($0.sentAt.map(String.init) ?? "-") "
                                    + "error \($0.lastError ?? "-")"
                            }
                        },
                        acknowledge: { warning, officer, note, now in
                            _ = try sqlite.acknowledge(warning: warning, by: officer, note: note, from: "test", at: now)
                        },
                        addBulletin: { bulletin, now in _ = try sqlite.addBulletin(bulletin, now: now) }))
                let onPostgres = try scenario(
                    Store(
                        alerts: postgres,
                        deliveryLog: {
                            try server.psql(
                                """
                                SELECT notice_id || ' ' || channel || ' ' || target || ' ' || status || ' ' || attempts
                                       || ' next ' || next_attempt_at || ' sent ' || COALESCE(sent_at::text, '-')
                                       || ' error ' || COALESCE(last_error, '-')
                                FROM alert_deliveries ORDER BY id DESC
                                """
                            ).split(separator: "\n").map(String.init)
                        },
                        acknowledge: { warning, officer, note, now in
                            try acknowledgeOnPostgres(server, warning, officer, note, now)
                        },
                        addBulletin: { bulletin, now in
                            // What `FloodDatabase.addBulletin` writes (the test's bulletin has no quote to escape).
                            _ = try server.psql(
                                """
                                WITH made AS (
                                    INSERT INTO bulletins (at, text, json, created_at)
                                    VALUES (\(bulletin.at), '\(bulletin.text)', '\(bulletin.json)', \(now)) RETURNING id
                                )
                                INSERT INTO alert_notices (kind, bulletin_id, status, created_at)
                                SELECT 'bulletin', id, 'new', \(now) FROM made
                                """)
                        }))
                return (onSQLite, onPostgres)
            }
            await postgres.shutDown()
            return seen
        }

        /// What `FloodDatabase.acknowledge` writes, written into PostgreSQL with SQL: its `acknowledged` event at the
        /// warning's current level, and that event's notice. (The PostgreSQL store's own acknowledgement belongs to
        /// its `HistoryStore`.)
        static func acknowledgeOnPostgres(
            _ server: TestPostgres, _ warning: Int64, _ officer: String, _ note: String?, _ now: Int64
        ) throws {
            let said = note.map { ": \($0)" } ?? ""
            _ = try server.psql(
                """
                WITH latest AS (
                    SELECT * FROM warnings
                    WHERE id = (SELECT max(id) FROM warnings WHERE warning_id = \(warning) AND event <> 'acknowledged')
                ), acknowledged AS (
                    INSERT INTO warnings (warning_id, station, sensor, rule, event, level, ts, value, threshold,
                                          window_s, late, message_vi, message_en, created_at, acknowledged_by, note,
                                          acknowledged_from, risk_level, area)
                    SELECT \(warning), station, sensor, rule, 'acknowledged', level, \(now), value, threshold,
                           window_s, 0, 'Đã xác nhận bởi \(officer)\(said) — ' || message_vi,
                           'Acknowledged by \(officer)\(said) — ' || message_en, \(now), '\(officer)',
                           \(note.map { "'\($0)'" } ?? "NULL"), 'test', risk_level, area
                    FROM latest
                    RETURNING id, level
                )
                INSERT INTO alert_notices (kind, event_id, warning_id, previous_level, status, created_at)
                SELECT 'event', id, \(warning), level, 'new', \(now) FROM acknowledged
                """)
        }
    }
}
