import Foundation
import TestSupport
import Testing

/// Two `serve` instances on one PostgreSQL database, each on a broker of its own: what one stores reaches the live
/// stream of the other (`LISTEN`/`NOTIFY`), once. With one slot (the default) the second stands by: it ingests
/// nothing, and serves the page and the API all the same.
@Suite("Live events across instances on PostgreSQL", .timeLimit(.minutes(2)), .blockingAllowed, .takingTurns)
struct PostgresLiveEventsTests {
    @Test("a reading stored by one instance appears on the other's /api/events, and once on its own")
    func acrossInstances() async throws {
        let postgres = try TestPostgres()
        let (brokerA, brokerB) = (try TestBroker(), try TestBroker())
        let serviceA = try ServiceProcess(broker: brokerA, clientID: "floodwatch-a", postgres: postgres)
        let serviceB = try ServiceProcess(broker: brokerB, clientID: "floodwatch-b", postgres: postgres)
        let processA = try await serviceA.start()
        let processB = try await serviceB.start(waitingFor: "HTTP server listening")
        let folder = try TestPaths.temporaryDirectory("sse")
        let streamA = try ChildProcess(
            "/usr/bin/curl", ["-sN", "http://127.0.0.1:\(serviceA.httpPort)/api/events"],
            outputPath: folder + "/a.txt")
        let streamB = try ChildProcess(
            "/usr/bin/curl", ["-sN", "http://127.0.0.1:\(serviceB.httpPort)/api/events"],
            outputPath: folder + "/b.txt")
        defer {
            streamA.killHard()
            streamB.killHard()
        }
        #expect(try await eventually { streamB.output.contains(": FloodWatch live events") })
        #expect(try await eventually { streamA.output.contains(": FloodWatch live events") })

        // Published to instance A's broker only: B never sees it over MQTT.
        let now = Int(Date().timeIntervalSince1970)
        try brokerA.mosquittoPub(topic: "gauges/cau-lau/level", payload: #"{"ts":\#(now),"value":1.42}"#)
        let reading = "event: reading\ndata: {\"station\":\"cau-lau\",\"sensor\":\"level\""
        #expect(
            try await eventually { streamB.output.contains(reading) && streamB.output.contains("\"value\":1.42") },
            "instance B's stream: \(streamB.output)")
        #expect(try await eventually { streamA.output.contains(reading) })
        try await Task.sleep(for: .milliseconds(500))
        #expect(streamA.output.components(separatedBy: "event: reading").count - 1 == 1, "not twice on its own")
        #expect(streamB.output.components(separatedBy: "event: reading").count - 1 == 1)
        for process in [processA, processB] {
            process.signal(SIGTERM)
            #expect(process.waitForExit(timeoutSeconds: 20) == 0)
        }
    }
}
