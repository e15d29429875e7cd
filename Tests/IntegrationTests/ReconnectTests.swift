import Foundation
import Testing

/// FloodWatch reconnects by itself when the broker restarts, resubscribes, and gets what was queued.
@Suite("Broker restart", .timeLimit(.minutes(2)))
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
}
