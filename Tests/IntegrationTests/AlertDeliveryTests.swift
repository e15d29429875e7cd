import Alerts
import Foundation
import GRDB
import Gauges
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Alert deliveries survive receivers in trouble and service restarts, and are sent exactly once.
@Suite("Alert delivery", .timeLimit(.minutes(3)), .blockingAllowed, .takingTurns)
struct AlertDeliveryTests {
    /// The idempotency keys the outbox holds for a webhook's deliveries.
    static func webhookKeys(_ rig: AlertRig) throws -> Set<String> {
        Set(
            try rig.query { db in
                try Int64.fetchAll(db, sql: "SELECT notice_id FROM alert_deliveries WHERE channel = 'webhook'")
            }.map { "floodwatch-notice-\($0)" })
    }

    @Test("a webhook that fails its first 5 attempts and is down while the service restarts gets each event once")
    func webhookInTroubleAcrossRestart() async throws {
        let rig = try AlertRig(failFirst: 5)
        try await rig.start()
        // Notices on alerts/<station>/<rule>; the communes' retained summaries (alerts/area/<area>), published again
        // at every connection, are not notices.
        let alertTopics = try AlertSubscriber(broker: rig.broker, filter: "alerts/+/+")
        var notices: Int { alertTopics.messages.filter { !$0.topic.hasPrefix("alerts/area/") }.count }
        try rig.publishLevels([2.5, 2.6, 2.7, 2.85], end: Int64(Date().timeIntervalSince1970) - 300)
        try rig.publishLevels([3.05])
        #expect(
            try await eventually { try rig.receivers.webhooks().filter { $0["status"] as? Int == 500 }.count == 5 },
            "\(rig.dump())")

        // The receiver goes down; Hội An crosses BĐ I meanwhile, and the service restarts while it is down.
        rig.receivers.stop()
        try rig.publishLevels([0.8, 0.9, 1.05], station: "hoi-an")
        try await rig.stop()
        try await rig.start()
        #expect(
            try await eventually {
                try rig.query { db in
                    try Int.fetchOne(
                        db,
                        sql: """
                            SELECT COUNT(*) FROM alert_deliveries AS d JOIN alert_notices AS n ON n.id = d.notice_id
                            JOIN warnings AS w ON w.id = n.event_id
                            WHERE d.channel = 'webhook' AND d.status = 'pending' AND d.last_error IS NOT NULL
                              AND w.station = 'hoi-an'
                            """)
                } ?? 0 > 0
            }, "attempts go on against the unreachable receiver: \(rig.dump())")

        // It comes back on the same address; everything pending arrives.
        try rig.receivers.start()
        let expected = try Self.webhookKeys(rig)
        #expect(expected.count >= 4, "Câu Lâu raised, escalated, forecast; Hội An raised: \(rig.dump())")
        #expect(
            try await eventually {
                try rig.deliveryStatuses(channel: "webhook") == ["sent": expected.count]
            }, "\(rig.dump())")
        let requests = try rig.receivers.webhooks()
        let accepted = requests.filter { $0["status"] as? Int == 200 }
        let actedOn = accepted.filter { $0["duplicate"] as? Bool == false }.compactMap {
            $0["idempotency_key"] as? String
        }
        #expect(actedOn.count == expected.count, "each event acted on once: \(actedOn)")
        #expect(Set(actedOn) == expected)
        // A second copy is possible only for the request whose answer was lost when the receiver was killed.
        let duplicates = accepted.count - actedOn.count
        #expect(duplicates <= 1, "\(requests)")
        #expect(requests.allSatisfy { $0["signature_ok"] as? Bool == true })
        // Retries carry the key of the first attempt.
        let keysTried = Set(requests.compactMap { $0["idempotency_key"] as? String })
        #expect(keysTried == expected)

        // Restarting once everything is delivered sends nothing again, on any channel.
        #expect(try await eventually { try rig.deliveryStatuses() == ["sent": rig.deliveryStatuses()["sent"] ?? -1] })
        let webhooksBefore = requests.count
        let mailsBefore = try rig.receivers.mails().count
        let alertsBefore = notices
        try await rig.stop()
        try await rig.start()
        try await Task.sleep(for: .seconds(2))
        #expect(try rig.receivers.webhooks().count == webhooksBefore)
        #expect(try rig.receivers.mails().count == mailsBefore)
        #expect(notices == alertsBefore)
        try await rig.stop()
    }

    @Test("a delivery that keeps failing is given up after the retry period and `floodwatch alerts` says why")
    func givenUpAndReported() async throws {
        let rig = try AlertRig(failFirst: 1_000_000)
        rig.configuration.retry = RetryPolicy(
            firstMilliseconds: 200, maximumMilliseconds: 400, giveUpAfterMilliseconds: 1500)
        try await rig.start()
        try rig.publishLevels([2.5, 2.55])
        #expect(
            try await eventually { try rig.deliveryStatuses(channel: "webhook")["failed"] ?? 0 > 0 }, "\(rig.dump())")
        #expect(try await eventually { try rig.deliveryStatuses(channel: "email")["sent"] ?? 0 > 0 })

        let process = try ChildProcess(
            try TestPaths.executable("floodwatch"),
            ["alerts", "--database", rig.databasePath, "--stations", TestPaths.catalogue],
            outputPath: try TestPaths.temporaryDirectory("alerts-cli") + "/out.log")
        #expect(process.waitForExit(timeoutSeconds: 30) == 0)
        let output = process.output
        #expect(output.contains("webhook sms-gateway"), "\(output)")
        #expect(output.contains("failed   <- FAILED deliveries"), "\(output)")
        #expect(output.contains("gave up: HTTP 500: try again later"), "\(output)")
        #expect(output.contains("email   duty@bactramy.example"), "\(output)")
        #expect(output.contains("cau-lau level raised 1"), "\(output)")
        // The same in the metrics an operator's dashboard alarms on.
        let metrics = rig.alertMetrics
        #expect(
            metrics.counterTotal(
                label: "floodwatch_alert_deliveries_total", dimensions: [("channel", "webhook"), ("outcome", "failed")])
                >= 1)
        #expect(
            metrics.counterTotal(
                label: "floodwatch_alert_deliveries_total", dimensions: [("channel", "webhook"), ("outcome", "retry")])
                >= 1)
        #expect(
            metrics.counterTotal(
                label: "floodwatch_alert_deliveries_total", dimensions: [("channel", "email"), ("outcome", "sent")])
                >= 1)
        try await rig.stop()
    }

    @Test("the serve binary, configured by file: a SIGKILL with deliveries pending loses none, and resends none")
    func crashWithPendingDeliveries() async throws {
        let broker = try TestBroker()
        let receivers = try AlertReceivers()
        receivers.stop()  // the gateways are unreachable when the warning comes
        let folder = try TestPaths.temporaryDirectory("alerts-binary")
        try """
        alerts:
          sender: floodwatch@bactramy.example
          retry: {first: 1s, max: 1s}
          webhooks:
            - name: sms-gateway
              url: \(receivers.webhookURL)
              secret: \(AlertReceivers.secret)
          email:
            sendmail: \(receivers.sendmailCommand.joined(separator: " "))
            from: floodwatch@bactramy.example
            recipients:
              cau-lau: [duty@bactramy.example]
        """.write(toFile: folder + "/floodwatch.yaml", atomically: true, encoding: .utf8)
        let service = try ServiceProcess(
            broker: broker, extraArguments: ["--config", folder + "/floodwatch.yaml", "--exercise"])
        var process = try await service.start()
        let publisher = try broker.publisher()
        let now = Int64(Date().timeIntervalSince1970)
        for (index, value) in [2.5, 2.6, 2.7, 2.85, 3.05].enumerated() {
            try publisher.publish(
                topic: "gauges/cau-lau/level", text: #"{"ts":\#(now - Int64(4 - index) * 300),"value":\#(value)}"#)
        }
        #expect(publisher.waitForAcknowledgements(timeoutSeconds: 10))
        func count(_ sql: String) throws -> Int { try service.query { try Int.fetchOne($0, sql: sql) ?? 0 } }
        #expect(
            try await eventually {
                try count("SELECT COUNT(*) FROM alert_deliveries WHERE channel = 'webhook' AND attempts > 0") >= 2
                    && count("SELECT COUNT(*) FROM alert_deliveries WHERE channel = 'mqtt' AND status = 'sent'") >= 2
            }, "\(process.output.suffix(3000))")
        process.killHard()

        try receivers.start()
        process = try await service.start()
        #expect(
            try await eventually {
                try count("SELECT COUNT(*) FROM alert_notices WHERE status = 'new'") == 0
                    && count("SELECT COUNT(*) FROM alert_deliveries WHERE status != 'sent'") == 0
            }, "\(process.output.suffix(3000))")
        // Counted once every notice is routed: the restarted service may still route a notice that was new at the
        // kill, adding its deliveries after a count taken at start.
        let webhookDeliveries = try count("SELECT COUNT(*) FROM alert_deliveries WHERE channel = 'webhook'")
        let emailDeliveries = try count("SELECT COUNT(*) FROM alert_deliveries WHERE channel = 'email'")
        let posts = try receivers.webhooks()
        #expect(posts.count == webhookDeliveries, "one request per delivery, none lost, none repeated")
        #expect(Set(posts.compactMap { $0["idempotency_key"] as? String }).count == webhookDeliveries)
        #expect(posts.allSatisfy { ($0["body"] as? [String: Any])?["exercise"] as? Bool == true })
        let mails = try receivers.mails()
        #expect(mails.count == emailDeliveries)
        #expect(mails.allSatisfy { ($0["data"] as? String)?.contains("DIỄN TẬP — không phải cảnh báo thật.") == true })
        process.signal(SIGTERM)
        #expect(process.waitForExit(timeoutSeconds: 20) == 0)
    }
}
