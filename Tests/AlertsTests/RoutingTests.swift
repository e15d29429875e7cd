import Alerts
import Foundation
import Gauges
import Testing
import Warnings

@Suite struct RoutingTests {
    typealias F = CAPFixtures

    static let routing = AlertRouting(
        webhooks: [
            WebhookSettings(
                name: "province", url: "https://example.vn/hook", secret: "s",
                filter: NoticeFilter(stations: ["cau-lau"], minimumLevel: 2)),
            WebhookSettings(name: "chat", url: "https://chat.example.vn/hook", secret: "s"),
        ],
        email: EmailSettings(
            from: "floodwatch@bactramy.gov.vn",
            recipients: ["*": ["duty@bactramy.gov.vn"], "cau-lau": ["hoian@example.vn", "duty@bactramy.gov.vn"]],
            minimumLevel: 2))

    @Test("a commune's receivers get the notices that concern it: its gauges, and a reservoir's releases downstream")
    func byCommune() {
        var routing = Self.routing
        routing.webhooks.append(
            WebhookSettings(
                name: "tra-doc", url: "https://doc.example.vn/hook", secret: "s",
                filter: NoticeFilter(areas: ["tra-doc"])))
        routing.email?.areaRecipients = ["tra-doc": ["ubnd@tradoc.example.vn"]]
        let notice = F.notice(event: F.event(.raised, level: 2, rule: .release, station: "song-tranh-2"))
        let targets = routing.targets(for: notice, areas: ["tra-doc"])
        #expect(targets.contains(DeliveryTarget(.mqtt, "alerts/area/tra-doc/release")))
        #expect(targets.contains(DeliveryTarget(.webhook, "tra-doc")))
        #expect(targets.contains(DeliveryTarget(.email, "ubnd@tradoc.example.vn")))
        let elsewhere = routing.targets(for: notice, areas: ["tra-tan"])
        #expect(!elsewhere.contains(DeliveryTarget(.webhook, "tra-doc")))
        #expect(!elsewhere.contains(DeliveryTarget(.email, "ubnd@tradoc.example.vn")))
        #expect(!elsewhere.contains { $0.target.hasPrefix("alerts/area/tra-doc") })
    }

    @Test("a bulletin goes to alerts/bulletin, every webhook and every address, whatever their filters")
    func bulletinEverywhere() {
        let notice = Notice(
            id: 3, kind: .bulletin, createdAt: F.molave, event: nil,
            bulletin: BulletinPayload(at: F.molave, text: "BẢN TIN", json: "{}"))
        #expect(
            Self.routing.targets(for: notice, areas: []) == [
                DeliveryTarget(.mqtt, "alerts/bulletin"), DeliveryTarget(.webhook, "province"),
                DeliveryTarget(.webhook, "chat"), DeliveryTarget(.email, "duty@bactramy.gov.vn"),
                DeliveryTarget(.email, "hoian@example.vn"),
            ])
        #expect(CAPMapping.messageType(notice) == nil, "a report, not a CAP alert")
    }

    @Test("a level-1 raise reaches MQTT and the unfiltered webhook only")
    func lowLevel() {
        let targets = Self.routing.targets(for: F.notice(event: F.event(.raised, level: 1)), areas: [])
        #expect(targets == [DeliveryTarget(.mqtt, "alerts/cau-lau/level"), DeliveryTarget(.webhook, "chat")])
    }

    @Test("the clear of a level-3 warning reaches every receiver that got the warning, each address once")
    func clearOfHighLevel() {
        let targets = Self.routing.targets(
            for: F.notice(event: F.event(.cleared, level: 0), previousLevel: 3), areas: [])
        #expect(
            targets == [
                DeliveryTarget(.mqtt, "alerts/cau-lau/level"), DeliveryTarget(.webhook, "province"),
                DeliveryTarget(.webhook, "chat"), DeliveryTarget(.email, "duty@bactramy.gov.vn"),
                DeliveryTarget(.email, "hoian@example.vn"),
            ])
    }

    @Test("acknowledgements go to machines, not inboxes; other stations do not reach a station's webhook")
    func acknowledgementAndStationFilter() {
        var acknowledged = F.notice(event: F.event(.acknowledged, level: 3, station: "hoi-an"), previousLevel: 3)
        acknowledged.event?.acknowledgedBy = "An"
        #expect(
            Self.routing.targets(for: acknowledged, areas: []) == [
                DeliveryTarget(.mqtt, "alerts/hoi-an/level"), DeliveryTarget(.webhook, "chat"),
            ])
    }

    @Test("a grouped notice goes to alerts/grouped/silent")
    func groupedTopic() {
        #expect(Self.routing.topic(for: F.grouped()) == "alerts/grouped/silent")
        #expect(Self.routing.summaryTopic(station: "cau-lau") == "alerts/cau-lau")
    }

    static func silent(_ id: Int64, at createdAt: Int64, kind: WarningEventKind = .raised) -> Notice {
        let event = WarningEvent(
            station: "tram-\(id)", sensor: .level, rule: .silent, kind: kind, level: kind == .cleared ? 0 : 1,
            timestamp: createdAt, messageVI: "", messageEN: "")
        return Notice(
            id: id, kind: .event, createdAt: createdAt,
            event: StoredWarningEvent(id: id, warningID: id, event: event, createdAt: createdAt))
    }

    @Test("storm control holds silent gauges for the window, then groups many and routes a few one by one")
    func storm() {
        let storm = StormControl(threshold: 10, windowMilliseconds: 60_000)
        let many = (1...12).map { Self.silent($0, at: 1_000 + $0 * 4000) }
        let level = F.notice(id: 99, event: F.event(.raised, level: 2))
        // Inside the window: only the flood warning goes at once.
        #expect(storm.decide(many + [level], now: 30_000) == [.route([99])])
        // After it: the 12 are one group; a late 13th starts a new window.
        let late = Self.silent(13, at: 70_000)
        #expect(storm.decide(many + [late], now: 66_000) == [.group(Array(1...12))])
        #expect(storm.decide([late], now: 130_000) == [.route([13])])
        // Gauges coming back are grouped apart from gauges going silent.
        let back = (20...22).map { Self.silent($0, at: 2_000, kind: .cleared) }
        #expect(storm.decide(many + back, now: 70_000) == [.group(Array(1...12)), .route([20, 21, 22])])
    }

    @Test("retries double from the first wait up to the cap, and stop after the give-up period")
    func retry() {
        let policy = RetryPolicy()
        #expect(policy.nextAttempt(failedAttempts: 1, createdAt: 0, now: 0) == 10_000)
        #expect(policy.nextAttempt(failedAttempts: 2, createdAt: 0, now: 10_000) == 30_000)
        #expect(policy.nextAttempt(failedAttempts: 30, createdAt: 0, now: 50_000_000) == 53_600_000)
        #expect(policy.nextAttempt(failedAttempts: 60, createdAt: 0, now: 86_000_000) == 86_400_000)
        #expect(policy.nextAttempt(failedAttempts: 61, createdAt: 0, now: 86_400_000) == nil)
    }

    @Test("the webhook signature is HMAC-SHA256 (RFC 4231 test case 2)")
    func signature() {
        #expect(
            WebhookSignature.sign(body: Array("what do ya want for nothing?".utf8), secret: "Jefe")
                == "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test("an e-mail has an encoded Vietnamese subject, Vietnam time, both languages and how to acknowledge")
    func email() throws {
        var settings = F.settings
        settings.exercise = true
        let text = EmailMessage.render(
            F.notice(event: F.event(.escalated, level: 3), previousLevel: 2), catalogue: F.catalogue,
            settings: settings, from: "floodwatch@bactramy.gov.vn", to: "duty@bactramy.gov.vn")
        let subject = try PythonMail.read(text).subject
        #expect(subject == "[DIỄN TẬP / EXERCISE] Câu Lâu: Cảnh báo lũ, báo động III / Flood warning, alarm level III")
        #expect(text.contains("Date: Wed, 28 Oct 2020 21:00:00 +0700\r\n"))
        #expect(text.contains("Message-ID: <floodwatch-notice-7@bactramy.gov.vn>\r\n"))
        #expect(text.contains("trên báo động III 0,07 m"))
        #expect(text.contains("above alarm level III"))
        #expect(text.contains("floodwatch ack 30 --by"))
        #expect(text.contains("EXERCISE — not a real warning."))
    }
}
