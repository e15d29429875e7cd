import Foundation
import GRDB
import TestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
#if canImport(Glibc)
    import Glibc
#endif

/// Loss upstream made visible: a gauge's counter (`seq`) that skips, and the broker's own dropped-message count.
@Suite("Readings lost upstream", .timeLimit(.minutes(2)), .blockingAllowed, .takingTurns)
struct SequenceGapTests {
    static func get(_ url: String) async throws -> [String: Any] {
        let (data, _) = try await URLSession(configuration: .ephemeral).data(from: URL(string: url)!)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test("a gap in a gauge's counter is recorded, shown at /api/gaps and raises a warning; the backlog clears it")
    func gapRaisedThenFilled() async throws {
        let broker = try TestBroker()
        let service = try ServiceProcess(broker: broker)
        let process = try await service.start()
        let base = "http://127.0.0.1:\(service.httpPort)"
        let publisher = try broker.publisher()
        let start = Int(Date().timeIntervalSince1970) / 300 * 300 - 3 * 3600
        func reading(_ seq: Int, _ station: String = "cau-lau") -> String {
            #"{"ts":\#(start + seq * 300),"value":\#(1.0 + Double(seq) / 100),"seq":\#(seq)}"#
        }
        // Câu Lâu's gauge numbers its readings 0…19; 10…14 do not arrive. Hội An's loses 3 and 4 for good.
        for seq in Array(0...9) + Array(15...19) {
            try publisher.publish(topic: "gauges/cau-lau/level", text: reading(seq))
        }
        for seq in [0, 1, 2, 5, 6] {
            try publisher.publish(topic: "gauges/hoi-an/level", text: reading(seq, "hoi-an"))
        }
        #expect(publisher.waitForAcknowledgements(timeoutSeconds: 10))
        #expect(try await eventually { try service.readingCount() == 20 })

        let open = try await Self.get(base + "/api/gaps?open=true")
        let gaps = try #require(open["gaps"] as? [[String: Any]])
        let found = Set(gaps.map { "\($0["station"]!) \($0["first_seq"]!)-\($0["last_seq"]!) \($0["missing"]!)" })
        #expect(found == ["cau-lau 10-14 5", "hoi-an 3-4 2"], "\(gaps)")
        let warnings = try service.query { db in
            try Row.fetchAll(db, sql: "SELECT station, event, level, message_en FROM warnings WHERE rule = 'gap'")
        }
        #expect(warnings.count == 2)
        let cauLau = try #require(warnings.first { $0["station"] as String == "cau-lau" })
        #expect(cauLau["event"] as String == "raised" && cauLau["level"] as Int == 1)
        #expect(
            (cauLau["message_en"] as String).contains(
                "5 water level readings lost before reaching FloodWatch (seq 10–14)"),
            "\(cauLau["message_en"] as String)")
        #expect(process.output.contains("Readings lost upstream"))
        let metrics = try String(contentsOf: URL(string: base + "/metrics")!, encoding: .utf8)
        #expect(
            metrics.contains("floodwatch_sequence_gaps_total 2")
                && metrics.contains("floodwatch_readings_missing_total 7"))

        // The link comes back and the gauge uploads what it kept: Câu Lâu's gap is filled, its warning cleared.
        let backlog = (10...14).map { reading($0) }.joined(separator: ",")
        try publisher.publish(topic: "gauges/cau-lau/level", text: "[" + backlog + "]")
        #expect(publisher.waitForAcknowledgements(timeoutSeconds: 10))
        #expect(try await eventually { try service.readingCount() == 25 })
        let stillOpen = try #require(try await Self.get(base + "/api/gaps?open=true")["gaps"] as? [[String: Any]])
        #expect(stillOpen.map { $0["station"] as? String } == ["hoi-an"], "\(stillOpen)")
        let all = try #require(try await Self.get(base + "/api/gaps?station=cau-lau")["gaps"] as? [[String: Any]])
        #expect(all.count == 1 && all[0]["filled"] is String, "the filled gap stays in the history: \(all)")
        #expect(
            try service.query {
                try String.fetchOne(
                    $0, sql: "SELECT event FROM warnings WHERE rule = 'gap' AND station = 'cau-lau' ORDER BY id DESC")
            } == "cleared")
        process.signal(SIGTERM)
        #expect(process.waitForExit(timeoutSeconds: 20) == 0)
    }

    @Test("messages the broker dropped while FloodWatch was away are reported in the log, /api/gaps and /metrics")
    func brokerDrops() async throws {
        // A queue of 10 for an absent client, and $SYS every second, so the test need not wait.
        let broker = try TestBroker(extraConfiguration: ["max_queued_messages 10", "sys_interval 1"])
        let service = try ServiceProcess(broker: broker)
        let first = try await service.start()
        first.signal(SIGTERM)
        #expect(first.waitForExit(timeoutSeconds: 20) == 0)

        let publisher = try broker.publisher()
        for i in 0..<40 {
            let (topic, text) = DurabilityTests.payload(i)
            try publisher.publish(topic: topic, text: text)
        }
        #expect(publisher.waitForAcknowledgements(timeoutSeconds: 10))
        let process = try await service.start()
        let base = "http://127.0.0.1:\(service.httpPort)"
        #expect(
            try await eventually(timeoutSeconds: 10) {
                // "The broker dropped messages" (or "has dropped … since it started" when the first count is not 0).
                process.output.contains("readings may have been lost before FloodWatch")
            }, "\(process.output.suffix(2000))")
        let dropped = try await Self.get(base + "/api/gaps")["broker_dropped_messages"] as? Int
        #expect((dropped ?? 0) >= 20, "40 published, at most about 10 queued: \(String(describing: dropped))")
        let metrics = try String(contentsOf: URL(string: base + "/metrics")!, encoding: .utf8)
        #expect(metrics.contains("floodwatch_broker_dropped_messages \(dropped ?? -1)"))
        #expect(try service.readingCount() < 40, "what the broker dropped never arrived")
        process.signal(SIGTERM)
        #expect(process.waitForExit(timeoutSeconds: 20) == 0)
    }
}
