import Foundation
import TestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
#if canImport(Glibc)
    import Glibc
#endif

/// The HTTP side of the `serve` binary: live events, Prometheus metrics and readiness, over real HTTP.
@Suite("HTTP of the serve binary", .timeLimit(.minutes(2)), .blockingAllowed, .takingTurns)
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

    static func request(_ url: String, method: String = "GET", token: String? = nil, body: String? = nil) async throws
        -> Int
    {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        request.httpBody = body.map { Data($0.utf8) }
        let (_, response) = try await URLSession(configuration: .ephemeral).data(for: request)
        return (response as? HTTPURLResponse)?.statusCode ?? 0
    }

    @Test("tokens and roles come from the configuration file: 401 without, 403 for a reader acknowledging")
    func tokensFromConfiguration() async throws {
        let folder = try TestPaths.temporaryDirectory("access")
        let reader = "reader-\(UUID().uuidString)"
        let officer = "officer-\(UUID().uuidString)"
        try officer.write(toFile: folder + "/officer.token", atomically: true, encoding: .utf8)
        try """
        access:
          read: token
          tokens:
            - {name: wall-screen, role: reader, token: \(reader)}
            - {name: duty-officer, role: officer, token_file: officer.token}
        """.write(toFile: folder + "/floodwatch.yaml", atomically: true, encoding: .utf8)
        let broker = try TestBroker()
        let service = try ServiceProcess(broker: broker, extraArguments: ["--config", folder + "/floodwatch.yaml"])
        let process = try await service.start()
        let base = "http://127.0.0.1:\(service.httpPort)"
        #expect(try await Self.request(base + "/api/stations") == 401)
        #expect(try await Self.request(base + "/api/stations", token: reader) == 200)
        #expect(try await Self.request(base + "/api/stations", token: officer) == 200)
        #expect(try await Self.request(base + "/api/stations", token: "guess") == 401)
        let ack = base + "/api/warnings/1/ack"
        #expect(try await Self.request(ack, method: "POST", token: reader, body: #"{"by":"A"}"#) == 403)
        #expect(try await Self.request(ack, method: "POST", token: officer, body: #"{"by":"A"}"#) == 404)
        #expect(try await Self.request(base + "/healthz") == 200)
        #expect(try await Self.request(base + "/") == 200)
        // Guessing tokens: after 10 failures (2 above, 8 here) this address waits, whatever it sends.
        for attempt in 1...8 {
            #expect(try await Self.request(base + "/api/stations", token: "guess-\(attempt)") == 401)
        }
        #expect(try await Self.request(base + "/api/stations", token: reader) == 429)
        #expect(process.output.contains("Failed HTTP authentication"), "each failure is logged")
        #expect(process.output.contains("from=127.0.0.1"), "with where it came from")
        #expect(!process.output.contains("guess-1"), "but not the token it tried")
        #expect(!process.output.contains(reader) && !process.output.contains(officer), "secrets never logged")
        process.signal(SIGTERM)
        #expect(process.waitForExit(timeoutSeconds: 20) == 0)
    }
}
