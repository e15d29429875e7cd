import Foundation
import FoundationNetworking
import Synchronization
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `floodwatch serve --database postgres://…`: the service on a PostgreSQL server started by the test.
@Suite("serve on PostgreSQL", .timeLimit(.minutes(3)), .blockingAllowed, .takingTurns)
struct PostgresServeTests {
    @Test("a postgres:// URL: migrated at start, readings stored and acknowledged, ready, stopped by SIGTERM")
    func storesReadings() async throws {
        let postgres = try TestPostgres()
        let broker = try TestBroker()
        let service = try ServiceProcess(broker: broker, postgres: postgres)
        let process = try await service.start()
        let publisher = try broker.publisher()
        let start: Int64 = 1_665_439_200
        for i in 0..<200 {
            try publisher.publish(
                topic: "gauges/cau-lau/level", text: #"{"ts":\#(start + Int64(i) * 300),"value":2.5,"seq":\#(i)}"#)
        }
        #expect(publisher.waitForAcknowledgements(timeoutSeconds: 30))
        #expect(try await eventually { try service.readingCount() == 200 }, "\(process.output.suffix(3000))")
        #expect(await Readiness.asked(of: service).status == 200)
        process.signal(SIGTERM)
        #expect(process.waitForExit(timeoutSeconds: 20) == 0)
        #expect(try service.count("SELECT COUNT(*) FROM stations") > 0, "the catalogue is in the database")
        #expect(!process.output.contains("PSQLError – Generic"), "errors are told in words")
    }

    @Test("PostgreSQL down: a page's read is told 503 within seconds, and SIGTERM stops serve within seconds")
    func stopWhileServerIsDown() async throws {
        let postgres = try TestPostgres()
        let broker = try TestBroker()
        let service = try ServiceProcess(broker: broker, postgres: postgres)
        let process = try await service.start()
        let publisher = try broker.publisher()
        try publisher.publish(topic: "gauges/cau-lau/level", text: #"{"ts":1665439200,"value":2.5,"seq":0}"#)
        #expect(try await eventually { try service.readingCount() == 1 })

        postgres.stop(.immediate)
        // Readings keep coming while it is down: the ingest path retries, the alert service and the bulletin
        // schedule wait on the server too.
        for i in 1...20 {
            try publisher.publish(
                topic: "gauges/cau-lau/level", text: #"{"ts":\#(1_665_439_200 + i * 300),"value":2.5,"seq":\#(i)}"#)
        }
        #expect(try await eventually { process.output.contains("Cannot store readings") })
        // Seconds into the outage, not at its first failure: the ingest path is then in its retries, which once
        // rebuilt the warning engine through the pool and waited there, deaf to the stop, for a minute.
        try await Task.sleep(for: .seconds(6))
        // A page's read meanwhile: told at once that the database cannot answer, not kept waiting by the pool.
        let stations = URL(string: "http://127.0.0.1:\(service.httpPort)/api/stations")!
        func read() async -> (status: Int, body: String, took: Duration) {
            let started = ContinuousClock.now
            let answer = try? await URLSession(configuration: .ephemeral).data(from: stations)
            return (
                (answer?.1 as? HTTPURLResponse)?.statusCode ?? 0,
                answer.map { String(decoding: $0.0, as: UTF8.self) }
                    ?? "", ContinuousClock.now - started
            )
        }
        let down = await read()
        #expect(down.status == 503, "\(down)")
        #expect(down.body.contains("the database cannot answer now"), "\(down.body)")
        #expect(down.took < .seconds(10), "the pool's wait is bounded: \(down.took)")
        // And SIGTERM with such a read in flight: the HTTP server, which waits for its requests, stops too.
        let inFlight = Task { await read() }
        try await Task.sleep(for: .seconds(1))
        process.signal(SIGTERM)
        let exitStatus = process.waitForExit(timeoutSeconds: 20)
        #expect(exitStatus == 0, "SIGTERM stops serve within seconds: \(process.output.suffix(3000))")
        #expect(await inFlight.value.status == 503)
        #expect(process.output.contains("Ingest stopped") || process.output.contains("the broker will redeliver it"))
        if exitStatus == nil { process.killHard() }
    }

    @Test(
        "PostgreSQL stopped (immediate) and restarted mid-stream: nothing acknowledged lost, each reading once, back by itself"
    )
    func serverRestartMidStream() async throws {
        let postgres = try TestPostgres()
        let broker = try TestBroker()
        let service = try ServiceProcess(broker: broker, postgres: postgres)
        let process = try await service.start()
        func ready() async -> Readiness { await Readiness.asked(of: service) }
        #expect(await ready().status == 200)

        // Gauges publishing about 500 readings a second for ten seconds, sequenced QoS 1 (the crash test's
        // readings), so that the server goes away and comes back while they arrive. They hold back the last
        // half until the server is stopped: on a loaded machine the test once looked only after all 5,000 were
        // published and stored, and no batch was left to fail.
        let total = 5000
        let published = Mutex(0)
        let serverStopped = Atomic<Bool>(false)
        let publisher = try broker.publisher()
        let publishing = Task {
            try await onOwnThread {
                for i in 0..<total {
                    while i >= total / 2, !serverStopped.load(ordering: .acquiring) { usleep(10_000) }
                    let (topic, text) = DurabilityTests.payload(i)
                    try publisher.publish(topic: topic, text: text)
                    published.withLock { $0 = i + 1 }
                    if i % 10 == 9 { usleep(20_000) }
                }
                return publisher.waitForAcknowledgements(timeoutSeconds: 120)
            }
        }
        #expect(try await eventually { try service.readingCount() >= 1000 })

        // SIGQUIT: the server exits at once, as in a crash, with the service's transactions in flight.
        postgres.stop(.immediate)
        let stopped = ContinuousClock.now
        serverStopped.store(true, ordering: .releasing)
        let publishedAtStop = published.withLock { $0 }
        // Also when the server went away between two queries of a transaction, whose next query PostgresNIO then
        // loses (`checkedQuery`, `OwnConnection.giveUpIfStranded`): the ingest path once waited for ever there.
        let noticed = try await eventuallyAsync(timeoutSeconds: 10) { await ready().status == 503 }
        let noticedAfter = ContinuousClock.now - stopped
        #expect(noticed, "/readyz says the service cannot store: \(process.output.suffix(3000))")
        let down = await ready()
        #expect(down.status == 503)
        // Whichever finds the server gone first: a slot's batch, or the lease supervisor's renewal.
        #expect(
            down.database.hasPrefix("cannot write: PostgreSQL")
                || down.database.hasPrefix("cannot renew leases: PostgreSQL"),
            "/readyz names the database problem in words: \(down)")
        #expect(down.broker == "connected", "and only that: \(down)")
        #expect(
            try await eventually { process.output.contains("Cannot store readings") }, "\(process.output.suffix(3000))")
        // A few seconds down, readiness saying so all along.
        var answers: [Int] = []
        while ContinuousClock.now - stopped < .seconds(4) {
            answers.append(await ready().status)
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(answers.allSatisfy { $0 == 503 }, "/readyz while PostgreSQL is down: \(answers)")
        let publishedWhileDown = published.withLock { $0 } - publishedAtStop

        try postgres.start()
        let restarted = ContinuousClock.now
        let back = try await eventuallyAsync(timeoutSeconds: 40) { await ready().status == 200 }
        let backAfter = ContinuousClock.now - restarted
        let unavailableFor = ContinuousClock.now - stopped - noticedAfter
        let after = await ready()
        #expect(back, "/readyz is 200 again once a batch is stored: \(after)")
        #expect(try await publishing.value, "the broker acknowledged all \(total) readings")
        let stored = try await eventually(timeoutSeconds: 60) { try service.readingCount() >= total }
        #expect(stored)
        #expect(process.isRunning, "the service recovered by itself, never exiting: \(process.output.suffix(3000))")
        process.signal(SIGTERM)
        let exitStatus = process.waitForExit(timeoutSeconds: 20)
        #expect(exitStatus == 0, "SIGTERM stops it: \(process.output.suffix(3000))")
        if exitStatus == nil { process.killHard() }

        let summary = try service.rows(
            "SELECT COUNT(*) AS rows, \(DurabilityTests.distinctCounted) AS seqs, MIN(seq) AS low, MAX(seq) AS high "
                + "FROM readings"
        ).first
        let rows = summary?["rows"] as Int? ?? 0
        let distinct = summary?["seqs"] as Int? ?? 0
        print(
            "PostgreSQL restart: \(total) published (\(publishedWhileDown) while it was down), \(rows) stored, "
                + "\(rows - distinct) duplicates, \(total - distinct) lost; /readyz 503 \(noticedAfter) after the stop "
                + "and for \(unavailableFor), 200 again \(backAfter) after the restart")
        #expect(rows == total)
        #expect(distinct == total)
        #expect(summary?["low"] as Int? == 0)
        #expect(summary?["high"] as Int? == (total - 1) / 4)
        #expect(
            try service.count("SELECT COUNT(*) FROM sequence_gaps") == 0, "no reading is missing from any gauge's count"
        )
        #expect(try service.count("SELECT COUNT(*) FROM rejected") == 0)
        #expect(postgres.log.contains("database system was interrupted"), "the server recovered from its log")
    }

    @Test("PostgreSQL down longer than a lease: /readyz says 503 and why all along, and 200 once it is back")
    func outageLongerThanALease() async throws {
        let postgres = try TestPostgres()
        let broker = try TestBroker()
        // Leases of 3 s: the supervisor stops the slots' work about 2.4 s after its last renewal, and the
        // instance then runs no ingest path that could report the outage.
        let service = try ServiceProcess(broker: broker, extraArguments: ["--lease-seconds", "3"], postgres: postgres)
        let process = try await service.start()
        func ready() async -> Readiness { await Readiness.asked(of: service) }
        #expect(await ready().status == 200)

        postgres.stop(.immediate)
        let stopped = ContinuousClock.now
        #expect(try await eventuallyAsync(timeoutSeconds: 10) { await ready().status == 503 })
        var answers: [Readiness] = []
        while ContinuousClock.now - stopped < .seconds(12) {
            answers.append(await ready())
            try await Task.sleep(for: .milliseconds(250))
        }
        #expect(
            answers.allSatisfy { $0.status == 503 },
            "/readyz during a 12 s outage with 3 s leases: \(answers.map(\.status))")
        #expect(process.output.contains("stopping its work before the lease can expire"), "the slots' work stopped")
        let late = answers.last ?? Readiness()
        #expect(
            late.database.hasPrefix("cannot renew leases: PostgreSQL"),
            "/readyz says why once the work stopped: \(late)")
        #expect(!late.database.contains("PSQLError"), "in words: \(late)")

        try postgres.start()
        let back = try await eventuallyAsync(timeoutSeconds: 40) { await ready().status == 200 }
        let after = await ready()
        #expect(back, "back by itself: \(after) \(process.output.suffix(3000))")
        // And the work with it: a reading is stored again.
        let publisher = try broker.publisher()
        try publisher.publish(topic: "gauges/cau-lau/level", text: #"{"ts":1665439200,"value":2.5,"seq":0}"#)
        #expect(try await eventually(timeoutSeconds: 30) { try service.readingCount() == 1 })
        process.signal(SIGTERM)
        let exitStatus = process.waitForExit(timeoutSeconds: 20)
        #expect(exitStatus == 0, "SIGTERM stops it: \(process.output.suffix(3000))")
        if exitStatus == nil { process.killHard() }
    }

    /// What `/readyz` answered: its HTTP status (0 when it did not answer) and what it says of each dependency.
    struct Readiness: Decodable {
        var status = 0
        var database = ""
        var broker = ""

        /// What `service`'s `/readyz` answers now.
        static func asked(of service: ServiceProcess) async -> Readiness {
            let readyz = URL(string: "http://127.0.0.1:\(service.httpPort)/readyz")!
            let answer = try? await URLSession(configuration: .ephemeral).data(from: readyz)
            var readiness = answer.flatMap { try? JSONDecoder().decode(Readiness.self, from: $0.0) } ?? Readiness()
            readiness.status = (answer?.1 as? HTTPURLResponse)?.statusCode ?? 0
            return readiness
        }

        enum CodingKeys: CodingKey {
            case database
            case broker
        }
    }
}
