import FloodWatchServer
import Foundation
import Logging
import TestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The whole service in this process, assembled by `ServerApplication.build` as `floodwatch serve` assembles it,
/// against a real broker and a real database file.
@Suite("The application in-process", .timeLimit(.minutes(2)), .blockingAllowed, .takingTurns)
struct ServerApplicationTests {
    @Test("on --http 127.0.0.1:0 it listens on the port it chose, stores a reading, and stops at once")
    func runs() async throws {
        let broker = try TestBroker()
        let folder = try TestPaths.temporaryDirectory("application")
        let settings = try ServeSettings.resolve(
            flags: .init(
                broker: "127.0.0.1:\(broker.port)", http: "127.0.0.1:0", database: folder + "/floodwatch.sqlite",
                stations: TestPaths.catalogue, clientID: "in-process", sender: ServiceProcess.testSender),
            configFile: nil)
        let messages = MessageClock()
        let application = try await ServerApplication.build(settings, logger: messages.logger(), signals: [])
        let running = Task { try await application.run() }

        #expect(
            try await eventually(timeoutSeconds: 30) {
                application.httpPort != nil && application.ingest?.status.subscribed == true
            })
        let port = try #require(application.httpPort)
        #expect(port > 0)
        let readyz = URL(string: "http://127.0.0.1:\(port)/readyz")!
        let (_, response) = try await URLSession(configuration: .ephemeral).data(from: readyz)
        #expect((response as? HTTPURLResponse)?.statusCode == 200, "ready on the port the kernel chose")

        try broker.mosquittoPub(
            topic: "gauges/tam-ky/level", payload: #"{"ts":"2020-10-28T21:00:00+07:00","value":1.05}"#)
        #expect(try await eventually { application.ingest?.status.messagesCommitted == 1 })

        let began = ContinuousClock.now
        await application.group.triggerGracefulShutdown()
        try await running.value
        // Timed by the services' own last words, logged on their threads as they end.
        for last in ["Ingest stopped", "Alerts stopped"] {
            let stopped = try #require(messages.time(of: last), "\(last) was logged")
            #expect(stopped - began < .seconds(5), "\(last): every service stopped without waiting out a timer")
        }
        let wal = try FileManager.default.attributesOfItem(atPath: folder + "/floodwatch.sqlite-wal")
        #expect(wal[.size] as? Int == 0, "the log was copied into the database file at the end")
    }
}
