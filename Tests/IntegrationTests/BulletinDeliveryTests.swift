import Foundation
import GRDB
import TestSupport
import Testing

/// The periodic bulletin through the real `floodwatch serve`: none while all is calm; once a warning is active, one
/// every `bulletin.every`, on `alerts/bulletin`, at the webhooks and by e-mail, the same bulletin everywhere.
@Suite("Periodic bulletin", .timeLimit(.minutes(3)), .blockingAllowed, .takingTurns)
struct BulletinDeliveryTests {
    @Test("no bulletin while calm; with a warning active one every 4 s to MQTT, webhook and e-mail, and no more")
    func everyIntervalWhileAWarningIsActive() async throws {
        let broker = try TestBroker()
        let receivers = try AlertReceivers()
        let folder = try TestPaths.temporaryDirectory("bulletin-delivery")
        try """
        alerts:
          sender: floodwatch@bactramy.example
          webhooks:
            - name: province
              url: \(receivers.webhookURL)
              secret: \(AlertReceivers.secret)
              stations: [hoi-an]
          email:
            sendmail: \(receivers.sendmailCommand.joined(separator: " "))
            from: floodwatch@bactramy.example
            recipients:
              "*": [duty@bactramy.example]
        bulletin:
          every: 4s
        """.write(toFile: folder + "/floodwatch.yaml", atomically: true, encoding: .utf8)
        let service = try ServiceProcess(broker: broker, extraArguments: ["--config", folder + "/floodwatch.yaml"])
        let process = try await service.start()
        let bulletins = try AlertSubscriber(broker: broker, filter: "alerts/bulletin")
        func count() throws -> Int {
            try service.query { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM bulletins") ?? 0 }
        }

        try await Task.sleep(for: .seconds(5))
        #expect(try count() == 0, "no warning, no bulletin")

        let publisher = try broker.publisher()
        let now = Int64(Date().timeIntervalSince1970)
        for (index, value) in [2.5, 2.6, 2.7, 2.85, 3.05].enumerated() {
            try publisher.publish(
                topic: "gauges/cau-lau/level", text: #"{"ts":\#(now - Int64(4 - index) * 300),"value":\#(value)}"#)
        }
        #expect(publisher.waitForAcknowledgements(timeoutSeconds: 10))
        let started = Date()
        func bulletinPosts() throws -> [[String: Any]] {
            try receivers.webhooks().filter {
                ($0["body"] as? [String: Any])?["format"] as? String == "floodwatch-bulletin"
            }
        }
        func bulletinMails() throws -> [String] {
            try receivers.mails().compactMap { $0["data"] as? String }.filter {
                $0.contains("BẢN TIN TÌNH HÌNH MƯA LŨ")
            }
        }
        let arrived = try await eventually(timeoutSeconds: 30) {
            let posts = try bulletinPosts().count
            let mails = try bulletinMails().count
            return bulletins.messages.count >= 2 && posts >= 2 && mails >= 2
        }
        #expect(arrived, "\(process.output.suffix(3000))")
        let elapsed = Date().timeIntervalSince(started)
        let made = try count()
        #expect(made <= Int(elapsed / 4) + 2, "one every 4 s, not one every check: \(made) in \(elapsed) s")

        let first = try #require(bulletins.messages.first?.json)
        let levels = first["levels"] as? [[String: Any]] ?? []
        let cauLau = try #require(levels.first { $0["station"] as? String == "cau-lau" })
        #expect(
            ((cauLau["text"] as? [String: Any])?["vi"] as? String)?.hasPrefix("Câu Lâu 3,05 m") == true, "\(cauLau)")
        #expect(levels.count >= 8, "every level station of the catalogue")
        #expect(((first["warnings"] as? [[String: Any]]) ?? []).contains { $0["station"] as? String == "cau-lau" })
        // The webhook that asked for Hội An only still gets the district's bulletin, the same bytes as MQTT.
        let post = try #require(try bulletinPosts().first)
        #expect(post["signature_ok"] as? Bool == true)
        let mail = try #require(try bulletinMails().first)
        #expect(mail.contains("Câu Lâu 3,05 m, trên báo động II 0,05 m"), "\(mail.prefix(1500))")
        #expect(mail.contains("FLOOD SITUATION REPORT"))

        process.signal(SIGTERM)
        #expect(process.waitForExit(timeoutSeconds: 20) == 0)
        receivers.stop()
    }
}
