import Alerts
import Foundation
import GRDB
import Gauges
import TestSupport
import Testing

/// Alerts end to end: a real broker, FloodWatch's ingest and alert services, a real webhook server and a real
/// SMTP server reached through msmtp (the system's sendmail interface).
@Suite("Alerts end to end", .timeLimit(.minutes(3)), .blockingAllowed, .takingTurns)
struct AlertTests {
    @Test(
        "a level crossing over MQTT reaches the alert topic, the retained summary, the webhook and e-mail within a second"
    )
    func liveCrossing() async throws {
        let rig = try AlertRig()
        try await rig.start()
        let alertsSeen = try AlertSubscriber(broker: rig.broker, filter: "alerts/#")
        // Câu Lâu (BĐ I 2.00, II 3.00, III 4.00) is above BĐ I and rising ...
        try rig.publishLevels([2.5, 2.6, 2.7, 2.85], end: Int64(Date().timeIntervalSince1970) - 300)
        #expect(
            try await eventually {
                try rig.deliveryStatuses()["sent"] ?? 0 > 0 && rig.deliveryStatuses()["pending"] == nil
            },
            "\(rig.dump())")
        // ... then crosses BĐ II: this is the crossing we time.
        let published = Date().timeIntervalSince1970
        try rig.publishLevels([3.05])
        func levelTwo(_ body: [String: Any]) -> Bool {
            body["rule"] as? String == "level" && body["level"] as? Int == 2
        }
        func webhook() throws -> [String: Any]? {
            try rig.receivers.webhooks().first { levelTwo($0["body"] as? [String: Any] ?? [:]) }
        }
        func mail() throws -> [String: Any]? {
            try rig.receivers.mails().first {
                ($0["data"] as? String)?.contains("Flood warning, alarm level II\r\n") == true
            }
        }
        func alert() -> AlertSubscriber.Message? {
            alertsSeen.messages.first { $0.topic == "alerts/cau-lau/level" && levelTwo($0.json) }
        }
        #expect(try await eventually(timeoutSeconds: 10) { try webhook() != nil && mail() != nil && alert() != nil })

        let mqtt = try #require(alert())
        #expect(mqtt.json["event"] as? String == "escalated")
        #expect(mqtt.json["station_name"] as? String == "Câu Lâu")
        #expect(mqtt.time - published < 1.0, "MQTT alert after \(mqtt.time - published) s")

        let post = try #require(try webhook())
        let body = try #require(post["body"] as? [String: Any])
        #expect(body["event"] as? String == "escalated")
        #expect(body["previous_level"] as? Int == 1)
        #expect((body["message"] as? [String: Any])?["vi"] as? String != nil)
        #expect(post["signature_ok"] as? Bool == true)
        #expect(post["content_type"] as? String == "application/json; charset=utf-8")
        let key = try #require(post["idempotency_key"] as? String)
        #expect(key.hasPrefix("floodwatch-") && key.contains("-notice-"), "\(key)")
        let webhookDelay = try #require(post["time"] as? Double) - published
        #expect(webhookDelay < 1.0, "webhook after \(webhookDelay) s")

        let email = try #require(try mail())
        let text = try #require(email["data"] as? String)
        #expect((email["to"] as? [String]) == ["<duty@bactramy.example>"])
        #expect(text.contains("Subject: =?UTF-8?B?"))
        #expect(text.contains("Câu Lâu (Thu Bồn)"))
        #expect(text.contains("Cảnh báo lũ, báo động II"))
        let mailDelay = try #require(email["time"] as? Double) - published
        #expect(mailDelay < 1.0, "e-mail after \(mailDelay) s")

        // The retained summary: a client that connects now sees the current state at once.
        #expect(
            try await eventually {
                alertsSeen.messages.contains { message in
                    message.topic == "alerts/cau-lau"
                        && (message.json["warnings"] as? [[String: Any]] ?? []).contains(where: levelTwo)
                }
            })
        let late = try AlertSubscriber(broker: rig.broker, filter: "alerts/cau-lau", count: 1)
        #expect(try await eventually { !late.messages.isEmpty })
        let warnings = try #require(late.messages.first?.json["warnings"] as? [[String: Any]])
        #expect(warnings.contains(where: levelTwo), "\(warnings)")
        // A station without warnings has an empty list, not no message.
        let quiet = try AlertSubscriber(broker: rig.broker, filter: "alerts/hoi-an", count: 1)
        #expect(try await eventually { !quiet.messages.isEmpty })
        #expect((quiet.messages.first?.json["warnings"] as? [Any])?.isEmpty == true)
        try await rig.stop()
    }
}
