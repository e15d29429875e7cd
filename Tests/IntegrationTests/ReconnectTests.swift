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

/// FloodWatch reconnects by itself when the broker restarts, resubscribes, and gets what was queued.
@Suite("Broker restart", .timeLimit(.minutes(2)), .blockingAllowed, .takingTurns)
struct ReconnectTests {
    @Test("after a broker restart the service reconnects and stores readings published before and after")
    func brokerRestart() async throws {
        let broker = try TestBroker()
        let service = try InProcessService(broker: broker)
        try await service.start()
        let publisher = try broker.publisher()
        for i in 0..<100 {
            try publisher.publish(
                topic: "gauges/giao-thuy/level", text: #"{"ts":\#(1_700_000_000 + i * 60),"value":6.5}"#)
        }
        #expect(publisher.waitForAcknowledgements(timeoutSeconds: 20))
        #expect(try await eventually { try service.readingCount() == 100 })
        publisher.disconnect()

        try broker.restart()
        let second = try broker.publisher()
        for i in 100..<200 {
            try second.publish(topic: "gauges/giao-thuy/level", text: #"{"ts":\#(1_700_000_000 + i * 60),"value":6.6}"#)
        }
        #expect(second.waitForAcknowledgements(timeoutSeconds: 20))
        let all = try await eventually(timeoutSeconds: 30) { try service.readingCount() == 200 }
        let connections = service.service.status.connections
        try await service.stop()
        #expect(all, "readings published after the restart are stored")
        #expect(connections >= 2, "the service reconnected")
    }

    @Test("a broker restart in mid-stream loses nothing; the service says so in its log and /readyz, back within 10 s")
    func restartMidStream() async throws {
        let broker = try TestBroker()
        let service = try ServiceProcess(broker: broker)
        let process = try await service.start()
        let readyz = "http://127.0.0.1:\(service.httpPort)/readyz"
        func ready() async -> Int {
            let answer = try? await URLSession(configuration: .ephemeral).data(from: URL(string: readyz)!)
            return (answer?.1 as? HTTPURLResponse)?.statusCode ?? 0
        }
        #expect(await ready() == 200)

        // A gauge network publishing about 1,000 readings a second; its client queues while the broker is away
        // and sends again once it is back, as gauges do.
        let total = 6000
        let publisher = try broker.publisher()
        let publishing = Task {
            try await onOwnThread {
                for i in 0..<total {
                    let (topic, text) = DurabilityTests.payload(i)
                    try publisher.publish(topic: topic, text: text)
                    if i % 20 == 19 { usleep(20_000) }
                }
                return publisher.waitForAcknowledgements(timeoutSeconds: 60)
            }
        }
        #expect(try await eventually { try service.readingCount() >= 1000 })
        broker.stop()  // SIGTERM: mosquitto saves its queue (persistence on, as shipped)
        let down = try await eventuallyAsync(timeoutSeconds: 10) { await ready() == 503 }
        #expect(down, "/readyz reports the lost broker")
        try await Task.sleep(for: .seconds(1))
        let restarted = ContinuousClock.now
        try broker.start()
        #expect(try await eventuallyAsync(timeoutSeconds: 15) { await ready() == 200 })
        let reconnectedAfter = ContinuousClock.now - restarted
        #expect(reconnectedAfter < .seconds(11), "within the 10 s backoff cap (plus jitter): \(reconnectedAfter)")
        #expect(try await publishing.value, "the gauges' client delivered everything in the end")
        #expect(try await eventually(timeoutSeconds: 60) { try service.readingCount() >= total })
        process.signal(SIGTERM)
        #expect(process.waitForExit(timeoutSeconds: 20) == 0)

        let counts = try service.query { db in
            try Row.fetchOne(
                db, sql: "SELECT COUNT(*) AS rows, \(DurabilityTests.distinctCounted) AS seqs FROM readings")
        }
        let rows = counts?["rows"] as Int? ?? 0
        let distinct = counts?["seqs"] as Int? ?? 0
        print(
            "broker restart: \(total) published, \(rows) stored, \(total - distinct) lost, reconnected after \(reconnectedAfter)"
        )
        #expect(rows == total && distinct == total)
        #expect(process.output.contains("Broker connection lost; reconnecting"), "\(process.output.suffix(3000))")
        #expect(process.output.contains("Reconnected to broker"))
    }
}
