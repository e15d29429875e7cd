import Foundation
import FoundationNetworking
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Several `serve` instances on one PostgreSQL database and one broker, sharing the stations by slots (issue 17):
/// real processes, killed and paused as a machine would be.
@Suite("Instances that take over from each other", .serialized, .timeLimit(.minutes(5)), .blockingAllowed, .takingTurns)
struct FailoverTests {
    static let slots = 4
    static let leaseSeconds = 6

    /// Level readings of six gauges spread over the four slots (by `SlotMap`: cam-le and tam-ky in slot 0, ai-nghia
    /// and hoi-an in 1, giao-thuy in 2, cau-lau in 3), each gauge counting its own (seq 0, 1, 2, …); values from 0
    /// to 3.99 m, so that some cross alarm levels and raise warnings.
    static func payload(_ i: Int) -> (topic: String, text: String) {
        let stations = ["cam-le", "ai-nghia", "giao-thuy", "cau-lau", "hoi-an", "tam-ky"]
        let ts = 1_700_000_000 + i * 60
        let value = Double((i / 6) % 400) / 100
        return ("gauges/\(stations[i % 6])/level", #"{"ts":\#(ts),"value":\#(value),"seq":\#(i / 6)}"#)
    }

    /// Who holds each unexpired slot lease now.
    static func slotHolders(_ postgres: TestPostgres) throws -> [String: String] {
        var holders: [String: String] = [:]
        for row in try postgres.rows(
            "SELECT name, owner FROM leases WHERE name LIKE 'slot-%' AND owner IS NOT NULL AND expires_at > now()")
        {
            holders[row["name"] as String] = row["owner"] as String
        }
        return holders
    }

    /// What each test runs on: a PostgreSQL server, a broker and a webhook receiver of its own, and the flags
    /// every instance shares.
    struct Cluster {
        let postgres: TestPostgres
        let broker: TestBroker
        let receivers: AlertReceivers
        let arguments: [String]

        init() throws {
            postgres = try TestPostgres()
            broker = try TestBroker()
            receivers = try AlertReceivers()
            arguments = try FailoverTests.arguments(receivers)
        }

        /// A `serve` instance on them, not started.
        func instance() throws -> ServiceProcess {
            try ServiceProcess(broker: broker, extraArguments: arguments, postgres: postgres)
        }

        /// Starts instance A, waits until it holds every slot, then starts B and waits until they hold two each.
        /// A process still running when its test ends is killed (`ChildProcess`).
        func startTwo(_ serviceA: ServiceProcess, _ serviceB: ServiceProcess) async throws -> (
            ChildProcess, ChildProcess
        ) {
            let processA = try await serviceA.start()
            #expect(
                try await eventually { try FailoverTests.slotHolders(postgres).count == FailoverTests.slots },
                "A takes every slot")
            let processB = try await serviceB.start(waitingFor: "HTTP server listening")
            // B joins: A gives two slots up (drained, released) and B takes them.
            let shared = try await eventually(timeoutSeconds: 30) {
                let owners = try FailoverTests.slotHolders(postgres).values
                return Set(owners).count == 2 && owners.count == FailoverTests.slots
            }
            let holders = (try? FailoverTests.slotHolders(postgres)) ?? [:]
            #expect(shared, "the slots are shared: \(holders)\n\(processB.output.suffix(2000))")
            return (processA, processB)
        }
    }

    /// A configuration file with a webhook receiver, and the flags of every instance: 4 slots, 6 s leases.
    static func arguments(_ receivers: AlertReceivers) throws -> [String] {
        let folder = try TestPaths.temporaryDirectory("failover")
        try """
        alerts:
          sender: floodwatch@bactramy.example
          retry: {first: 1s, max: 2s}
          webhooks:
            - name: sms-gateway
              url: \(receivers.webhookURL)
              secret: \(AlertReceivers.secret)
        """.write(toFile: folder + "/floodwatch.yaml", atomically: true, encoding: .utf8)
        return [
            "--config", folder + "/floodwatch.yaml", "--exercise", "--slots", "\(slots)", "--lease-seconds",
            "\(leaseSeconds)",
        ]
    }

    /// Waits until the outbox is settled (every notice routed, every delivery sent), then expects each webhook
    /// delivery received by its idempotency key, none unknown, and at most `resentAtMost` received twice.
    static func expectAlertsReceived(
        _ service: ServiceProcess, _ postgres: TestPostgres, _ receivers: AlertReceivers, resentAtMost: Int,
        log: ChildProcess
    ) async throws {
        // A delivery in the hands of a dispatcher that died or was paused is due again when its claim ends (30 s).
        let settled = try await eventually(timeoutSeconds: 90) {
            try service.count("SELECT COUNT(*) FROM alert_notices WHERE status = 'new'") == 0
                && service.count("SELECT COUNT(*) FROM alert_deliveries WHERE status != 'sent'") == 0
        }
        #expect(settled, "\(log.output.suffix(3000))")
        let expected = Set(
            try postgres.rows("SELECT notice_id FROM alert_deliveries WHERE channel = 'webhook'").map {
                "floodwatch-notice-\($0["notice_id"] as Int64)"
            })
        #expect(!expected.isEmpty, "the readings raised warnings")
        let keys = try receivers.webhooks().compactMap { $0["idempotency_key"] as? String }
        let received = Set(keys)
        #expect(
            received == expected,
            "missing: \(expected.subtracting(received)); unknown: \(received.subtracting(expected))")
        let twice = Dictionary(keys.map { ($0, 1) }, uniquingKeysWith: +).filter { $0.value > 1 }
        #expect(twice.values.reduce(0, +) - twice.count <= resentAtMost, "received more than once: \(twice)")
    }

    /// Publishes `total` readings (`payload`) on a thread of its own, at most `perSecond` a second (20 at a time);
    /// true once the broker acknowledged them all.
    static func publish(_ total: Int, to broker: TestBroker, perSecond: Int = 2000) throws -> Task<Bool, any Error> {
        let pause = useconds_t(20 * 1_000_000 / perSecond)
        let publisher = try broker.publisher()
        return Task {
            try await onOwnThread {
                for i in 0..<total {
                    let (topic, text) = payload(i)
                    try publisher.publish(topic: topic, text: text)
                    if i % 20 == 19 { usleep(pause) }
                }
                return publisher.waitForAcknowledgements(timeoutSeconds: 120)
            }
        }
    }

    @Test(
        "two instances, 4 slots, 20,000 readings; one SIGKILLed mid-stream: the other holds every slot within 15 s, each reading stored once, no gap, each alert sent"
    )
    func failover() async throws {
        let cluster = try Cluster()
        let (postgres, broker, receivers) = (cluster.postgres, cluster.broker, cluster.receivers)
        let (serviceA, serviceB) = (try cluster.instance(), try cluster.instance())
        let (processA, processB) = try await cluster.startTwo(serviceA, serviceB)

        let total = 20_000
        let publishing = try Self.publish(total, to: broker)
        #expect(try await eventually(timeoutSeconds: 60) { try serviceA.readingCount() >= 5000 })
        processA.killHard()
        let killed = ContinuousClock.now
        let allTaken = try await eventually(timeoutSeconds: 30) {
            let holders = try Self.slotHolders(postgres)
            return holders.count == Self.slots && Set(holders.values).count == 1
        }
        let takeover = ContinuousClock.now - killed
        #expect(
            allTaken, "B holds every slot: \((try? Self.slotHolders(postgres)) ?? [:])\n\(processB.output.suffix(3000))"
        )
        #expect(takeover < .seconds(15), "every slot held by B \(takeover) after A was killed")

        #expect(try await publishing.value, "the broker acknowledged all \(total) readings")
        let stored = try await eventually(timeoutSeconds: 120) { try serviceB.readingCount() >= total }
        #expect(stored, "\((try? serviceB.readingCount()) ?? -1) of \(total)\n\(processB.output.suffix(3000))")
        #expect(try serviceB.readingCount() == total, "each reading once")
        #expect(try serviceB.count("SELECT COUNT(DISTINCT station || '/' || seq) FROM readings") == total)
        #expect(try serviceB.count("SELECT COUNT(*) FROM sequence_gaps") == 0, "no gauge's counter has a gap")
        #expect(try serviceB.count("SELECT COUNT(*) FROM rejected") == 0)
        // A station in no slot: kept with its reason by the rejects' session, which moved to B with A's death. At
        // QoS 0 nothing is queued for that session while its lease moves, and on this loaded machine B once stalled
        // past its 6 s lease and took it again (fenced, as it should be): the gauge publishes again, as it would.
        var published = 0
        let firstPublished = ContinuousClock.now
        let rejected = try await eventually(timeoutSeconds: 40) {
            if try serviceB.count("SELECT COUNT(*) FROM rejected") > 0 { return true }
            // Every 5 s.
            if ContinuousClock.now - firstPublished >= .seconds(5 * published) {
                try broker.mosquittoPub(
                    topic: "gauges/khong-co/level", payload: #"{"ts":\#(1_700_000_000 + published * 300),"value":1.0}"#)
                published += 1
            }
            return false
        }
        #expect(
            rejected,
            "\(processB.output.split(separator: "\n").filter { $0.contains("rejects") }.joined(separator: "\n"))")
        #expect(
            try serviceB.count("SELECT COUNT(*) FROM rejected")
                == serviceB.count(
                    "SELECT COUNT(*) FROM rejected WHERE topic = 'gauges/khong-co/level' AND reason_code = 'unknown_station'"
                ), "every rejected row is the unknown station's, with its reason")

        // Alerts: the dispatcher moved with A's death; every webhook delivery the outbox holds was received, by
        // idempotency key. The one a lane had in flight at the kill may come twice, with the same key.
        try await Self.expectAlertsReceived(serviceB, postgres, receivers, resentAtMost: 1, log: processB)

        processB.signal(SIGTERM)
        #expect(processB.waitForExit(timeoutSeconds: 20) == 0, "\(processB.output.suffix(3000))")
        #expect(try Self.slotHolders(postgres).isEmpty, "a clean stop releases every lease")
    }

    @Test(
        "a third instance joins mid-stream and takes its share of the slots; then one leaves cleanly: each reading stored once, no gap"
    )
    func scaleOutAndIn() async throws {
        let cluster = try Cluster()
        let (postgres, broker, receivers) = (cluster.postgres, cluster.broker, cluster.receivers)
        let (serviceA, serviceB) = (try cluster.instance(), try cluster.instance())
        let serviceC = try cluster.instance()
        let (processA, processB) = try await cluster.startTwo(serviceA, serviceB)
        let ownerB = try #require(
            try Self.slotHolders(postgres).values.first { processB.output.contains($0) }, "B's id is in its log")

        // About 1,000 a second for 30 s: C joins and B leaves while they arrive.
        let total = 30_000
        let publishing = try Self.publish(total, to: broker, perSecond: 1000)
        #expect(try await eventually(timeoutSeconds: 60) { try serviceA.readingCount() >= 3000 })
        let started = try await serviceC.start(waitingFor: "HTTP server listening")
        // Shares of 4 slots among three: 2, 1, 1. Those above their share drain and release; C takes them.
        let joined = try await eventually(timeoutSeconds: 30) {
            let holders = try Self.slotHolders(postgres)
            return holders.count == Self.slots && Set(holders.values).count == 3
        }
        #expect(joined, "C takes slots: \((try? Self.slotHolders(postgres)) ?? [:])\n\(started.output.suffix(2000))")
        let readingsWhenJoined = try serviceA.readingCount()
        // Each instance says of each session it runs whether it is connected.
        var connected: [Substring] = []
        let saidConnected = try await eventuallyAsync {
            let metrics = try await URLSession(configuration: .ephemeral).data(
                from: URL(string: "http://127.0.0.1:\(serviceC.httpPort)/metrics")!)
            connected = String(decoding: metrics.0, as: UTF8.self).split(separator: "\n").filter {
                $0.hasPrefix("floodwatch_broker_connected{session=\"slot-")
            }
            return !connected.isEmpty && connected.allSatisfy { Double($0.split(separator: " ").last ?? "") == 1 }
        }
        #expect(saidConnected, "C's slots' sessions in its metrics: \(connected)")

        processB.signal(SIGTERM)
        #expect(processB.waitForExit(timeoutSeconds: 20) == 0, "B leaves cleanly: \(processB.output.suffix(2000))")
        #expect(processB.output.contains("Every lease given up"))
        let left = try await eventually(timeoutSeconds: 30) {
            let holders = try Self.slotHolders(postgres)
            return holders.count == Self.slots && Set(holders.values).count == 2 && !holders.values.contains(ownerB)
        }
        #expect(left, "A and C hold B's slots: \((try? Self.slotHolders(postgres)) ?? [:])")
        let readingsWhenLeft = try serviceA.readingCount()

        #expect(try await publishing.value, "the broker acknowledged all \(total) readings")
        #expect(readingsWhenJoined < total && readingsWhenLeft < total, "C joined and B left mid-stream")
        let stored = try await eventually(timeoutSeconds: 120) { try serviceA.readingCount() >= total }
        #expect(stored, "\((try? serviceA.readingCount()) ?? -1) of \(total)")
        #expect(try serviceA.readingCount() == total, "each reading once")
        #expect(try serviceA.count("SELECT COUNT(DISTINCT station || '/' || seq) FROM readings") == total)
        #expect(try serviceA.count("SELECT COUNT(*) FROM sequence_gaps") == 0, "no gauge's counter has a gap")
        #expect(try serviceA.count("SELECT COUNT(*) FROM rejected") == 0)
        // A delivery B had in hand as it stopped is recorded as a failed attempt and sent again.
        try await Self.expectAlertsReceived(serviceA, postgres, receivers, resentAtMost: 1, log: processA)
        for process in [processA, started] {
            process.signal(SIGTERM)
            #expect(process.waitForExit(timeoutSeconds: 20) == 0, "\(process.output.suffix(2000))")
        }
        #expect(try Self.slotHolders(postgres).isEmpty, "clean stops release every lease")
    }

    @Test(
        "an instance paused (SIGSTOP) longer than its leases: the other takes its slots; woken, it writes nothing, gives them up and rejoins"
    )
    func pausedInstanceIsFenced() async throws {
        let cluster = try Cluster()
        let (postgres, broker, receivers) = (cluster.postgres, cluster.broker, cluster.receivers)
        let (serviceA, serviceB) = (try cluster.instance(), try cluster.instance())
        let (processA, processB) = try await cluster.startTwo(serviceA, serviceB)
        let ownerB = try #require(
            try Self.slotHolders(postgres).values.first { processB.output.contains($0) }, "B's id is in its log")

        let total = 12_000
        let publishing = try Self.publish(total, to: broker)
        #expect(try await eventually(timeoutSeconds: 60) { try serviceA.readingCount() >= 3000 })
        processA.signal(SIGSTOP)
        // Paused for twice its leases: B takes every slot meanwhile.
        let paused = ContinuousClock.now
        let taken = try await eventually(timeoutSeconds: 30) {
            let holders = try Self.slotHolders(postgres)
            return holders.count == Self.slots && Set(holders.values) == [ownerB]
        }
        #expect(taken, "B holds every slot while A sleeps: \((try? Self.slotHolders(postgres)) ?? [:])")
        let sleepFor = Duration.seconds(2 * Self.leaseSeconds) - (ContinuousClock.now - paused)
        if sleepFor > .zero { try await Task.sleep(for: sleepFor) }
        let outputBeforeWake = processA.output.count
        processA.signal(SIGCONT)

        // Woken: its renewals are refused, it stops its slots' work, and it rejoins with a fair share.
        let rejoined = try await eventually(timeoutSeconds: 40) {
            let holders = try Self.slotHolders(postgres)
            return holders.count == Self.slots && Set(holders.values).count == 2
        }
        let afterWake = String(processA.output.dropFirst(outputBeforeWake))
        #expect(rejoined, "A rejoins: \((try? Self.slotHolders(postgres)) ?? [:])\n\(afterWake.suffix(3000))")
        #expect(afterWake.contains("Lease lost") || afterWake.contains("lease was lost"), "\(afterWake.suffix(3000))")
        #expect(
            try postgres.rows("SELECT epoch FROM leases WHERE name LIKE 'slot-%'").allSatisfy {
                ($0["epoch"] as Int64) >= 2
            },
            "every slot was taken again")

        #expect(try await publishing.value, "the broker acknowledged all \(total) readings")
        let stored = try await eventually(timeoutSeconds: 120) { try serviceB.readingCount() >= total }
        #expect(stored, "\((try? serviceB.readingCount()) ?? -1) of \(total)")
        #expect(try serviceB.readingCount() == total, "each reading once")
        #expect(try serviceB.count("SELECT COUNT(*) FROM sequence_gaps") == 0, "no gauge's counter has a gap")
        // The woken dispatcher sends nothing more. The one delivery it had in flight when paused may have reached
        // the receiver while its answer came after the request's deadline: recorded as failed, it is sent again,
        // with the same idempotency key.
        try await Self.expectAlertsReceived(serviceB, postgres, receivers, resentAtMost: 1, log: processA)
        for process in [processA, processB] {
            process.signal(SIGTERM)
            #expect(process.waitForExit(timeoutSeconds: 20) == 0, "\(process.output.suffix(2000))")
        }
        #expect(try Self.slotHolders(postgres).isEmpty, "clean stops release every lease")
    }
}
