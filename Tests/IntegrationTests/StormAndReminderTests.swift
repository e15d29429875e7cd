import Alerts
import Catalogue
import Foundation
import GRDB
import Gauges
import TestSupport
import Testing

/// Storm control and reminders, with the officers' commands (`floodwatch ack`, `floodwatch cap`) run for real.
@Suite("Storm control and reminders", .timeLimit(.minutes(3)), .blockingAllowed, .takingTurns)
struct StormAndReminderTests {
    /// 50 gauges reporting every 5 s that count as silent after 5 s without a reading.
    static func fiftyGauges() throws -> StationCatalogue {
        var yaml = "rules:\n  silent: {after: 5s, intervals: 1}\nstations:\n"
        for index in 1...50 {
            let id = String(format: "g%02d", index)
            yaml += """
                  - id: \(id)
                    name: Trạm \(index)
                    river: Tranh
                    lat: \(15.0 + Double(index) / 100)
                    lon: 108.1
                    sensors:
                      level: {interval: 5s, range: [0, 20]}

                """
        }
        let path = try TestPaths.temporaryDirectory("storm") + "/stations.yaml"
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return try CatalogueLoader.load(path: path)
    }

    @Test("50 gauges going silent within a minute produce one grouped alert, not 50")
    func fiftySilentGauges() async throws {
        let catalogue = try Self.fiftyGauges()
        let rig = try AlertRig(catalogue: catalogue) { $0.silenceCheckSeconds = 1 }
        // A window wide enough for two waves of silence checks even on a loaded machine (production: 2 minutes).
        rig.configuration.storm = StormControl(threshold: 10, windowMilliseconds: 20_000)
        try await rig.start()
        let alertTopics = try AlertSubscriber(broker: rig.broker, filter: "alerts/+/+")
        // The network fails in two waves a few seconds apart: each gauge's last reading, then nothing.
        let publisher = try rig.broker.publisher()
        for (index, station) in catalogue.stations.enumerated() {
            if index == 25 { try await Task.sleep(for: .seconds(2)) }
            try publisher.publish(
                topic: "gauges/\(station.id)/level", text: #"{"ts":\#(Int(Date().timeIntervalSince1970)),"value":1.5}"#)
        }
        #expect(publisher.waitForAcknowledgements(timeoutSeconds: 10))

        #expect(
            try await eventually(timeoutSeconds: 60) {
                try rig.deliveryStatuses() == ["sent": 3]  // one grouped notice: MQTT, webhook, e-mail
                    && rig.query {
                        try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM alert_notices WHERE status = 'grouped'")
                    }
                        == 50
            }, "\(rig.dump())")
        let posts = try rig.receivers.webhooks()
        #expect(posts.count == 1)
        let body = try #require(posts.first?["body"] as? [String: Any])
        #expect(body["notice"] as? String == "grouped")
        let members = try #require(body["members"] as? [[String: Any]])
        #expect(Set(members.compactMap { $0["station"] as? String }) == Set(catalogue.stations.map(\.id)))
        #expect((body["title"] as? [String: Any])?["en"] as? String == "50 gauges went silent")

        let mqtt = alertTopics.messages
        #expect(mqtt.map(\.topic) == ["alerts/grouped/silent"])
        let mails = try rig.receivers.mails()
        #expect(mails.count == 1)
        #expect((mails.first?["data"] as? String)?.contains("Trạm 50") == true)
        try await rig.stop()
    }

    @Test("an unacknowledged level-2 warning is sent again until `floodwatch ack`; every CAP document validates")
    func remindersUntilAcknowledged() async throws {
        let rig = try AlertRig()
        rig.configuration.reminderIntervalMilliseconds = 1500
        rig.configuration.reminderCheckMilliseconds = 200
        try await rig.start()
        try rig.publishLevels([2.5, 2.6, 2.7, 2.85], end: Int64(Date().timeIntervalSince1970) - 300)
        try rig.publishLevels([3.05])
        func reminders() throws -> [[String: Any]] {
            try rig.receivers.webhooks().compactMap { $0["body"] as? [String: Any] }.filter {
                $0["notice"] as? String == "reminder" && $0["rule"] as? String == "level"
            }
        }
        #expect(try await eventually { try reminders().count >= 2 }, "\(rig.dump())")
        let warningID = try #require(try reminders().first?["warning_id"] as? Int)
        #expect(try reminders().allSatisfy { $0["level"] as? Int == 2 })
        #expect(try rig.receivers.mails().contains { ($0["data"] as? String)?.contains("Nhắc lại: ") == true })

        let cli = try TestPaths.executable("floodwatch")
        let folder = try TestPaths.temporaryDirectory("ack")
        // The officers' commands read the service's configuration file, as on the operations centre's server.
        try """
        database: \(rig.databasePath)
        stations: \(TestPaths.catalogue)
        alerts:
          sender: floodwatch@bactramy.example
        """.write(toFile: folder + "/floodwatch.yaml", atomically: true, encoding: .utf8)
        let store = ["--config", folder + "/floodwatch.yaml"]
        let ack = try ChildProcess(
            cli,
            ["ack", "\(warningID)", "--by", "Nguyễn Văn An, trực ban", "--note", "Đã báo các xã ven sông"] + store,
            outputPath: folder + "/ack.log")
        #expect(ack.waitForExit(timeoutSeconds: 30) == 0, "\(ack.output)")
        #expect(ack.output.contains("Warning \(warningID) acknowledged by Nguyễn Văn An, trực ban"))
        let acknowledgedAt = Date().timeIntervalSince1970
        let origin = try rig.query {
            try String.fetchOne($0, sql: "SELECT acknowledged_from FROM warnings WHERE event = 'acknowledged'")
        }
        #expect(origin?.hasPrefix("command line, ") == true, "the audit says where: \(origin ?? "nothing")")

        // The acknowledgement goes to machines: the alert topic and the webhook say who has it.
        #expect(
            try await eventually {
                try rig.receivers.webhooks().contains {
                    ($0["body"] as? [String: Any])?["acknowledged_by"] as? String == "Nguyễn Văn An, trực ban"
                }
            })
        // No reminder after the acknowledgement (three intervals later).
        try await Task.sleep(for: .seconds(4.5))
        let after = try rig.query { db in
            try Int.fetchOne(
                db,
                sql: "SELECT COUNT(*) FROM alert_notices WHERE kind = 'reminder' AND warning_id = ? AND created_at > ?",
                arguments: [warningID, Int64(acknowledgedAt * 1000)])
        }
        #expect(after == 0)
        let again = try ChildProcess(
            cli, ["ack", "\(warningID)", "--by", "Lê Thị B"] + store, outputPath: folder + "/again.log")
        #expect(again.waitForExit(timeoutSeconds: 30) == 1)
        #expect(again.output.contains("already acknowledged by Nguyễn Văn An, trực ban"))

        // Every notice made here (raised, escalated, forecast, reminders) as CAP, from the real rows.
        let notices = try rig.query { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT n.id, n.kind FROM alert_notices AS n JOIN warnings AS w ON w.id = n.event_id
                    WHERE w.event != 'acknowledged'
                    """)
        }
        #expect(Set(notices.map { $0["kind"] as String }) == ["event", "reminder"])
        for notice in notices {
            let id: Int64 = notice["id"]
            let document = folder + "/notice-\(id).xml"
            let cap = try ChildProcess(cli, ["cap", "\(id)"] + store, outputPath: document)
            #expect(cap.waitForExit(timeoutSeconds: 30) == 0)
            let check = try ChildProcess(
                "/usr/bin/xmllint", ["--noout", "--schema", TestPaths.root + "/Tests/Fixtures/CAP-v1.2.xsd", document],
                outputPath: folder + "/xmllint-\(id).log")
            #expect(check.waitForExit(timeoutSeconds: 30) == 0, "notice \(id): \(check.output)")
            let text = try String(contentsOfFile: document, encoding: .utf8)
            if notice["kind"] as String == "reminder" {
                #expect(text.contains("<msgType>Update</msgType>"))
                // The identifier carries the database's installation id: floodwatch-<id>-notice-<n>.
                #expect(
                    text.contains(
                        try Regex("<references>floodwatch@bactramy.example,floodwatch-[0-9a-f]{12}-notice-[0-9]+,")))
            }
        }
        let feed = try ChildProcess(cli, ["cap", "--feed"] + store, outputPath: folder + "/feed.xml")
        #expect(feed.waitForExit(timeoutSeconds: 30) == 0)
        #expect(feed.output.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\""))
        try await rig.stop()
    }
}
