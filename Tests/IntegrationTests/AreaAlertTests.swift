import Foundation
import GRDB
import TestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Alerts addressed by place, end to end through the real `floodwatch serve`: a level crossing at a station, a
/// flash-flood and landslide warning in a commune and a reservoir release each reach the receivers of exactly the
/// communes they concern (a webhook per commune, e-mail through a real SMTP server, `alerts/area/<area>/<rule>`),
/// and no other commune's; every CAP document served passes the schema and the consumer's checks.
@Suite("Alerts by commune", .timeLimit(.minutes(3)), .blockingAllowed, .takingTurns)
struct AreaAlertTests {
    static let staffToken = "staff-token-for-tests"

    /// The bundled catalogue with TEST values no public source gives: Câu Lâu placed in xã Trà Giáp (so a
    /// lowland level crossing has a commune to reach) and xã Trà Liên in a high landslide-risk zone.
    static func catalogue() throws -> String {
        var text = try String(contentsOfFile: TestPaths.catalogue, encoding: .utf8)
        for (anchor, added) in [
            ("  - id: cau-lau\n    name: Câu Lâu\n", "    area: tra-giap\n"),
            ("    formerly: [Trà Đông, Trà Nú, Trà Kót]\n", "    landslide_risk: high\n"),
        ] {
            let parts = text.components(separatedBy: anchor)
            guard parts.count == 2 else { throw TestFailure("'\(anchor)' is not once in the bundled catalogue") }
            text = parts[0] + anchor + added + parts[1]
        }
        let path = try TestPaths.temporaryDirectory("area-catalogue") + "/stations.yaml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Each commune's receivers: (commune, webhook path, e-mail address, the one station whose notices it gets).
    static let communes = [
        ("tra-giap", "giap", "giap@bactramy.example", "cau-lau"),
        ("tra-lien", "lien", "lien@bactramy.example", "tra-kot"),
        ("tra-doc", "doc", "doc@bactramy.example", "song-tranh-2"),
        ("tra-tan", "tan", "tan@bactramy.example", ""),
    ]

    /// The stations' names, as e-mails print them.
    static let names = ["cau-lau": "Câu Lâu", "tra-kot": "Trà Kót", "song-tranh-2": "Sông Tranh 2"]

    @Test("each warning reaches the receivers of the communes it concerns and no others; its CAP documents check")
    func routedByCommune() async throws {
        let broker = try TestBroker()
        let receivers = try AlertReceivers()
        let folder = try TestPaths.temporaryDirectory("area-alerts")
        var config = """
            alerts:
              sender: floodwatch@bactramy.example
              cap:
                web: https://floodwatch.bactramy.example/
                contact: Ban Chỉ huy PCTT, 0235 000 0000
              webhooks:

            """
        for (area, path, _, _) in Self.communes {
            config += """
                    - name: \(path)
                      url: http://127.0.0.1:\(receivers.httpPort)/\(path)
                      secret: \(AlertReceivers.secret)
                      areas: [\(area)]

                """
        }
        config += """
              email:
                sendmail: \(receivers.sendmailCommand.joined(separator: " "))
                from: floodwatch@bactramy.example
                areas:

            """
        for (area, _, address, _) in Self.communes { config += "      \(area): [\(address)]\n" }
        config += """
            access:
              tokens:
                - {name: duty, role: reader, token: \(Self.staffToken)}

            """
        try config.write(toFile: folder + "/floodwatch.yaml", atomically: true, encoding: .utf8)
        let service = try ServiceProcess(
            broker: broker, extraArguments: ["--config", folder + "/floodwatch.yaml"], stations: try Self.catalogue())
        let process = try await service.start()
        let areaTopics = try AlertSubscriber(broker: broker, filter: "alerts/area/#")

        let publisher = try broker.publisher()
        let now = Int64(Date().timeIntervalSince1970)
        // Câu Lâu rises past BĐ I and BĐ II.
        for (index, value) in [2.5, 2.6, 2.7, 2.85, 3.05].enumerated() {
            try publisher.publish(
                topic: "gauges/cau-lau/level", text: #"{"ts":\#(now - Int64(4 - index) * 300),"value":\#(value)}"#)
        }
        // Trà Kót: rain the day before, then 120 mm in the last hour: Article 46, level 1 in a high-risk zone.
        try publisher.publish(topic: "gauges/tra-kot/rain", text: #"{"ts":\#(now - 30 * 3600),"value":5.0}"#)
        for step in 0..<12 {
            try publisher.publish(
                topic: "gauges/tra-kot/rain", text: #"{"ts":\#(now - Int64(12 - step) * 300),"value":10.0}"#)
        }
        // Sông Tranh 2 opens its spillway past 500 m³/s.
        for (hours, value) in [(2, 300.0), (1, 600.0)] {
            try publisher.publish(
                topic: "gauges/song-tranh-2/outflow", text: #"{"ts":\#(now - Int64(hours) * 3600),"value":\#(value)}"#)
        }
        #expect(publisher.waitForAcknowledgements(timeoutSeconds: 10))

        func posts(_ path: String) throws -> [[String: Any]] {
            try receivers.webhooks().filter { $0["path"] as? String == "/" + path }
        }
        func rules(_ path: String) throws -> Set<String> {
            Set(try posts(path).compactMap { ($0["body"] as? [String: Any])?["rule"] as? String })
        }
        func mails(to address: String) throws -> [String] {
            try receivers.mails().filter { ($0["to"] as? [String])?.contains("<\(address)>") == true }
                .compactMap { $0["data"] as? String }
        }
        let arrived = try await eventually(timeoutSeconds: 30) {
            let topics = Set(areaTopics.messages.map(\.topic))
            return try rules("giap").contains("level") && rules("lien").contains("landslide")
                && rules("doc").contains("release") && !mails(to: "giap@bactramy.example").isEmpty
                && !mails(to: "lien@bactramy.example").isEmpty && !mails(to: "doc@bactramy.example").isEmpty
                && topics.isSuperset(
                    of: ["alerts/area/tra-giap/level", "alerts/area/tra-lien/landslide", "alerts/area/tra-doc/release"])
        }
        #expect(arrived, "\(process.output.suffix(3000))")

        // Exactly the communes concerned: each receiver's notices are about its own station only.
        for (area, path, address, station) in Self.communes {
            for post in try posts(path) {
                #expect((post["body"] as? [String: Any])?["station"] as? String == station, "\(path): \(post)")
            }
            for mail in try mails(to: address) {
                let others = Self.names.filter { $0.key != station }.map(\.value)
                #expect(
                    mail.contains(Self.names[station] ?? "?") && !others.contains(where: mail.contains),
                    "\(address) got mail about another commune: \(mail.prefix(600))")
            }
            for message in areaTopics.messages where message.topic.hasPrefix("alerts/area/\(area)/") {
                #expect(message.json["station"] as? String == station, "\(message.topic): \(message.payload)")
            }
        }
        #expect(try posts("tan").isEmpty && mails(to: "tan@bactramy.example").isEmpty, "xã Trà Tân is not concerned")
        // The landslide notice names its commune and states the official risk level.
        let landslide = try #require(
            try posts("lien").compactMap { $0["body"] as? [String: Any] }.first { $0["rule"] as? String == "landslide" }
        )
        #expect(landslide["area"] as? String == "tra-lien")
        #expect(landslide["risk_level"] as? Int == 1)
        // The retained summary per commune: a chairman's screen that connects now sees his warnings at once.
        let summary = try AlertSubscriber(broker: broker, filter: "alerts/area/tra-lien", count: 1)
        #expect(try await eventually { !summary.messages.isEmpty })
        let warnings = summary.messages.first?.json["warnings"] as? [[String: Any]] ?? []
        #expect(warnings.contains { $0["rule"] as? String == "landslide" && $0["risk_level"] as? Int == 1 })

        // Every CAP document served checks as a consumer needs it.
        let installation = try service.query { try String.fetchOne($0, sql: "SELECT id FROM installation") ?? "" }
        let ids = try service.query { try Int64.fetchAll($0, sql: "SELECT id FROM alert_notices ORDER BY id") }
        var documents: [CAPChecker.Document] = []
        for id in ids {
            let identifier = "floodwatch-\(installation)-notice-\(id)"
            let (status, text) = try await Self.get(service, "/cap/\(identifier).xml", token: Self.staffToken)
            if status == 404 { continue }  // an acknowledgement has no document
            #expect(status == 200, "\(identifier): \(text)")
            documents.append(CAPChecker.Document(identifier: identifier, text: text))
        }
        #expect(documents.count >= 3)
        let (feedStatus, feed) = try await Self.get(service, "/cap/feed.atom", token: nil)
        #expect(feedStatus == 200)
        try CAPChecker.check(documents, publicFeed: feed)
        let release = try #require(documents.first { $0.text.contains("<value>reservoir_release</value>") })
        #expect(release.text.contains("<event>Xả lũ hồ chứa</event>"))
        #expect(release.text.contains("<areaDesc>xã Trà Đốc</areaDesc>"))
        #expect(release.text.contains("<web>https://floodwatch.bactramy.example/</web>"))
        // The staff feed needs the token even though reading is open.
        #expect(try await Self.get(service, "/cap/staff.atom", token: nil).status == 401)
        #expect(try await Self.get(service, "/cap/staff.atom", token: Self.staffToken).status == 200)

        process.signal(SIGTERM)
        #expect(process.waitForExit(timeoutSeconds: 20) == 0)
        receivers.stop()
    }

    static func get(_ service: ServiceProcess, _ path: String, token: String?) async throws -> (
        status: Int, body: String
    ) {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(service.httpPort)\(path)")!)
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let (data, response) = try await URLSession(configuration: .ephemeral).data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }
}
