import Alerts
import Foundation
import GRDB
import Ingestion
import Logging
import MQTT
import Storage
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A stop takes effect at once, whatever the services are waiting for: a reconnection delay, a retry, a receiver
/// that never answers. Nothing waits for a timer to run out.
@Suite("Stopping at once", .timeLimit(.minutes(2)), .blockingAllowed, .takingTurns)
struct PromptStopTests {
    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    /// A third of the waits the services were in (60 s), and well over a busy machine's scheduling: in a fresh
    /// clone's CI run, with the whole suite (Chromium and dozens of brokers) on 2 cores, the ingest stop was once
    /// logged 7.5 s after it was asked for; alone it takes milliseconds.
    static let limitSeconds = 20.0

    @Test("an ingest service waiting 60 s to reconnect to an absent broker stops at once")
    func ingestWaitingToReconnect() async throws {
        let nobody = try TestPaths.freePort()
        var configuration = IngestConfiguration(
            broker: MQTTConfiguration(host: "127.0.0.1", port: nobody, clientID: "floodwatch-stop-test"))
        configuration.reconnectDelay = 60...60
        let database = try FloodDatabase(path: TestPaths.temporaryDirectory("stop") + "/floodwatch.sqlite")
        let messages = MessageClock()
        let service = IngestService(
            configuration: configuration, catalogue: bundledCatalogue, database: database, logger: messages.logger())
        let running = Task { try await service.run() }
        // The first connection is refused at once; the service then waits for its next attempt.
        try await Task.sleep(for: .seconds(1))
        #expect(!service.status.brokerConnected)
        let began = ContinuousClock.now
        service.stop()
        try await running.value
        // Timed by the service's own "Ingest stopped", logged on its thread as it ends.
        let stopped = try #require(messages.time(of: "Ingest stopped"))
        #expect(stopped - began < .seconds(Self.limitSeconds), "stopped during the 60 s reconnection delay")
    }

    @Test("an alert service whose webhook receiver never answers stops at once; the delivery waits")
    func hangingWebhook() async throws {
        // A receiver that takes the connection (the kernel's backlog does) and never answers.
        let port = try TestPaths.freePort()
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        let bound = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        #expect(bound)
        #expect(listen(listener, 16) == 0)

        let rig = try AlertRig()
        rig.configuration.routing = AlertRouting(
            mqtt: false,
            webhooks: [
                WebhookSettings(
                    name: "silent-gateway", url: "http://127.0.0.1:\(port)/hook", secret: AlertReceivers.secret,
                    timeoutSeconds: 60)
            ])
        try await rig.start()
        try rig.publishLevels([3.05])
        #expect(
            try await eventually { try rig.deliveryStatuses(channel: "webhook")["pending"] ?? 0 > 0 }, "\(rig.dump())")
        // The lane has sent the request and waits for an answer that will not come.
        try await Task.sleep(for: .seconds(1))

        let began = ContinuousClock.now
        try await rig.stop()
        // The request was cancelled, not timed out: its error says so. (The time includes handing the stopped
        // services back to the test, which a loaded machine delays: the bound is half the webhook's timeout.)
        #expect(Self.seconds(since: began) < 30, "stopped without waiting for the 60 s timeout")
        let errors = try rig.query { db in
            try String.fetchAll(db, sql: "SELECT last_error FROM alert_deliveries WHERE channel = 'webhook'")
        }
        #expect(errors.contains { $0.contains("the service stopped") }, "\(errors)")
        #expect(try rig.deliveryStatuses(channel: "webhook")["sent"] == nil, "nothing counts as sent")
    }
}
