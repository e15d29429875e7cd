import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
#if canImport(Glibc)
    import Glibc
#endif

/// The HTTP side of the `serve` binary: live events, Prometheus metrics and readiness, over real HTTP.
@Suite("HTTP of the serve binary", .timeLimit(.minutes(2)))
struct HTTPServiceTests {
    static func get(_ url: String) async throws -> (status: Int, body: String) {
        let (data, response) = try await URLSession(configuration: .ephemeral).data(from: URL(string: url)!)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    @Test("new readings arrive on /api/events; /metrics counts them; /readyz follows the broker")
    func liveMetricsReadiness() async throws {
        let broker = try TestBroker()
        let service = try ServiceProcess(broker: broker)
        let process = try await service.start()
        let base = "http://127.0.0.1:\(service.httpPort)"
        let events = try ChildProcess(
            "/usr/bin/curl", ["-sN", base + "/api/events"],
            outputPath: try TestPaths.temporaryDirectory("sse") + "/events.txt")
        defer { events.killHard() }
        #expect(try await eventually { events.output.contains(": FloodWatch live events") })

        let publisher = try broker.publisher()
        let now = Int(Date().timeIntervalSince1970)
        try publisher.publish(topic: "gauges/cau-lau/level", text: #"{"ts":\#(now),"value":1.42}"#)
        #expect(publisher.waitForAcknowledgements(timeoutSeconds: 10))
        #expect(
            try await eventually {
                events.output.contains("event: reading\ndata: {\"station\":\"cau-lau\",\"sensor\":\"level\"")
                    && events.output.contains("\"value\":1.42")
            }, "\(events.output)")

        let metrics = try await Self.get(base + "/metrics")
        #expect(metrics.status == 200)
        #expect(metrics.body.contains("floodwatch_readings_stored_total 1"), "\(metrics.body.prefix(2000))")
        #expect(metrics.body.contains("floodwatch_broker_connected 1"))

        #expect(try await Self.get(base + "/readyz").status == 200)
        broker.stop()
        #expect(try await eventuallyAsync { try await Self.get(base + "/readyz").status == 503 })
        let down = try await Self.get(base + "/readyz")
        #expect(down.body.contains("not connected to 127.0.0.1:\(broker.port)"), "\(down.body)")
        #expect(try await Self.get(base + "/healthz").status == 200, "alive all the same")
        try broker.start()
        #expect(try await eventuallyAsync(timeoutSeconds: 30) { try await Self.get(base + "/readyz").status == 200 })
        process.signal(SIGTERM)
        #expect(process.waitForExit(timeoutSeconds: 20) == 0)
    }
}
