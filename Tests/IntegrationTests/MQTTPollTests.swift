import Foundation
import MQTT
import Testing

/// `MQTTConnection.poll` takes a backlog in bounded batches and says when it stopped at a bound: the ingest loop
/// looks for silent gauges only when it did not (the broker may still hold their readings otherwise).
@Suite("Polling a backlog", .timeLimit(.minutes(1)), .blockingAllowed, .takingTurns)
struct MQTTPollTests {
    @Test("a poll stops at maxMessages or maxBytes and says so; the one that empties the queue does not")
    func bounds() async throws {
        let broker = try TestBroker()
        let connection = try MQTTConnection(configuration: broker.configuration(clientID: "poll-test"))
        try connection.connect()
        try connection.writePending()
        var subscribed = false
        let deadline = Date().addingTimeInterval(10)
        while !subscribed, Date() < deadline {
            for event in connection.poll(timeoutMilliseconds: 50, maxMessages: 100) {
                if case .connected = event { _ = try connection.subscribe("poll/#", qos: 1) }
                if case .subscribed = event { subscribed = true }
            }
            try connection.writePending()
        }
        try #require(subscribed)

        let publisher = try broker.publisher()
        for i in 0..<50 {
            try publisher.publish(topic: "poll/\(i)", text: String(repeating: "x", count: 100))
        }
        #expect(publisher.waitForAcknowledgements(timeoutSeconds: 10))
        try await Task.sleep(for: .milliseconds(300))  // all 50 reach this client's socket

        func messages(_ events: [MQTTConnection.Event]) -> Int {
            events.filter { if case .message = $0 { true } else { false } }.count
        }
        #expect(messages(connection.poll(timeoutMilliseconds: 1000, maxMessages: 10)) == 10)
        #expect(connection.lastPollReachedLimit)
        #expect(messages(connection.poll(timeoutMilliseconds: 1000, maxMessages: 100, maxBytes: 250)) == 3)
        #expect(connection.lastPollReachedLimit, "three payloads of 100 bytes pass 250")
        var rest = 0
        while rest < 37, Date() < deadline.addingTimeInterval(10) {
            rest += messages(connection.poll(timeoutMilliseconds: 200, maxMessages: 1000))
        }
        #expect(rest == 37)
        #expect(!connection.lastPollReachedLimit, "the poll that took the rest stopped because nothing was left")
        connection.disconnect()
    }
}
