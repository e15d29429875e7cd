import ArgumentParser
import BlockingWork
import Foundation
import MQTT

#if canImport(Glibc)
    import Glibc
#endif

/// `floodwatch-bench instances`: the rate of one and of several `floodwatch serve` instances sharing a PostgreSQL
/// database by slots (issue 17), on this machine.
///
/// For each instance count, in rounds: a new database; the instances started with the same client id (so that a
/// slot's session is the same whoever holds it) and waited for until every slot is held and their shares settled
/// (each instance holding some) and each is ready. Then they are paused (SIGSTOP; 30 s leases outlast the pause)
/// while gauges publish a burst on several connections, which the broker queues for the slots' sessions, and woken
/// (SIGCONT): the rate is the readings over the time from the wake to the last commit, counted in the database.
struct InstancesBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "instances",
        abstract: "Measure the rate of one and of several serve instances sharing PostgreSQL by slots.",
        discussion: """
            Starts its own mosquitto (as `ingest` does), a PostgreSQL 15 server of its own (as the PostgreSQL \
            part of `ingest` does) and the `floodwatch` built beside this binary: `swift build -c release && \
            .build/release/floodwatch-bench instances`.
            """
    )

    @Option(help: "Readings in each burst.")
    var readings = 200_000

    @Option(help: "Simulated gauges (stations with a level sensor).")
    var gauges = 1000

    @Option(help: "Slots the stations are divided into (--slots of serve).")
    var slots = 4

    @Option(help: ArgumentHelp("Instance counts to measure, in turn.", valueName: "list"))
    var instances = "1,2"

    @Option(help: "Bursts at each instance count; each figure is their median.")
    var rounds = 3

    @Option(help: "Connections publishing each burst, each a share of the gauges.")
    var publishers = 4

    @Option(help: ArgumentHelp("The broker configuration to start from.", valueName: "path"))
    var brokerConfig = "deploy/mosquitto.conf"

    func run() async throws {
        let counts = try IngestBench.list(instances, "--instances")
        guard rounds > 0, publishers > 0, slots > 0, counts.allSatisfy({ $0 > 0 && $0 <= slots }) else {
            throw ValidationError("--rounds, --publishers and --slots take positive numbers; --instances 1 to --slots")
        }
        guard gauges % publishers == 0 else {
            // Each gauge on one connection, so that its readings arrive in order.
            throw ValidationError("--gauges must be a multiple of --publishers")
        }
        let workspace = try BenchWorkspace(brokerConfig: brokerConfig)
        defer { workspace.close() }
        let (folder, broker) = (workspace.folder, workspace.broker)
        let catalogue = folder + "/stations.yaml"
        try BenchStations.yaml(gauges, rain: false).write(toFile: catalogue, atomically: true, encoding: .utf8)
        let server = try BenchPostgres()
        defer { server.stop() }
        var table = BenchTable()
        table.section(
            "\(readings) readings from \(gauges) gauges, \(slots) slots, PostgreSQL 15 on this machine; medians of \(rounds)"
        )
        var lossless = true
        var single: Double?
        var round = 0
        for count in counts {
            print("\(count) instance\(count == 1 ? "" : "s"): \(rounds) bursts of \(readings) readings")
            var runs: [Run] = []
            for _ in 0..<rounds {
                round += 1
                let run = try await measure(
                    instances: count, round: round, server: server, broker: broker, catalogue: catalogue,
                    folder: folder)
                lossless = lossless && run.stored == readings
                runs.append(run)
            }
            runs.sort { $0.rate < $1.rate }
            let median = runs[runs.count / 2]
            if count == counts.first { single = median.rate }
            let label = "\(count) instance\(count == 1 ? "" : "s")"
            table.row(
                "\(label): readings stored per second",
                String(format: "%.0f (%.0f–%.0f)", median.rate, runs.first!.rate, runs.last!.rate)
                    + (count == counts.first ? "" : String(format: ", %.2f of %d's", median.rate / single!, counts[0])))
            table.row(
                "\(label): burst published and queued in / drained in",
                String(format: "%.2f s / %.2f s", median.published, median.seconds))
            table.row(
                "\(label): CPU during the drain: FloodWatch / PostgreSQL / mosquitto",
                String(
                    format: "%.1f / %.1f / %.1f s of %.1f (%d cores × the drain)", median.cpu.floodwatch,
                    median.cpu.postgres, median.cpu.mosquitto,
                    median.seconds * Double(ProcessInfo.processInfo.activeProcessorCount),
                    ProcessInfo.processInfo.activeProcessorCount))
            table.row(
                "\(label): peak memory of each instance",
                median.peakMiB.map { String(format: "%.1f MiB", $0) }.joined(separator: ", "))
            table.row(
                "\(label): published / stored, every burst",
                runs.map { IngestBench.loss(readings, $0.stored) }.joined(separator: "; "))
        }
        print("")
        print(table.text)
        if !lossless { throw ExitCode(1) }
    }

    /// What one burst measured.
    struct Run {
        var rate: Double
        /// Seconds from the wake to the last commit, and of the publication of the burst while the instances slept.
        var seconds: Double
        var published: Double
        var stored: Int
        var peakMiB: [Double]
        /// CPU seconds used during the drain by the instances together, PostgreSQL's processes and the broker.
        var cpu: (floodwatch: Double, postgres: Double, mosquitto: Double)
    }

    func measure(
        instances count: Int, round: Int, server: BenchPostgres, broker: BenchBroker, catalogue: String,
        folder: String
    ) async throws -> Run {
        let database = try server.newNamedDatabase()
        let processes = try (0..<count).map { index in
            try ServeProcess(
                database: database.url, catalogue: catalogue, broker: broker, folder: folder, clientID: "floodwatch",
                extraArguments: ["--slots", "\(slots)", "--lease-seconds", "30"], logName: "r\(round)-i\(index)")
        }
        func query(_ sql: String) throws -> String { try server.psql(sql, database: database.name) }
        // Every slot held, each instance holding some, every held slot's session subscribed (`/readyz`).
        let deadline = ContinuousClock.now + .seconds(120)
        while true {
            // Nothing until the first instance migrated the database.
            let answer = try? query(
                """
                SELECT count(*) || ' ' || count(DISTINCT owner) FROM leases
                WHERE name LIKE 'slot-%' AND owner IS NOT NULL AND expires_at > now()
                """)
            if answer == "\(slots) \(count)" {
                for process in processes { _ = try await process.waitUntilReady() }
                break
            }
            guard ContinuousClock.now < deadline else {
                let log = processes.map { (try? String(contentsOfFile: $0.logPath, encoding: .utf8)) ?? "" }.joined(
                    separator: "\n---\n")
                throw BenchFailure(
                    "the instances did not share the \(slots) slots within 120 s: \(answer ?? "")\n\(log.prefix(4000))")
            }
            try await Task.sleep(for: .milliseconds(200))
        }

        // The burst is queued while the instances are paused (their leases outlast it), then drained: publishing
        // at once beside them, on two cores, measured the publishers' pace, not FloodWatch's.
        for process in processes { kill(process.process.processIdentifier, SIGSTOP) }
        let publishingBegan = ContinuousClock.now
        let (port, readings, gauges, publishers) = (broker.port, readings, gauges, publishers)
        let published =
            try await Self.publish(readings: readings, gauges: gauges, publishers: publishers, port: port)
            - publishingBegan
        let cpuBefore = (
            floodwatch: processes.map { $0.cpuSeconds() }.reduce(0, +), postgres: Self.cpuSeconds(of: "postgres"),
            mosquitto: Self.cpuSeconds(of: "mosquitto")
        )
        for process in processes { kill(process.process.processIdentifier, SIGCONT) }
        let began = ContinuousClock.now
        var stored = 0
        var committed = began
        let storing = ContinuousClock.now + .seconds(300)
        while ContinuousClock.now < storing {
            stored = Int(try query("SELECT count(*) FROM readings")) ?? 0
            if stored >= readings {
                committed = .now
                break
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        let cpu = (
            floodwatch: processes.map { $0.cpuSeconds() }.reduce(0, +) - cpuBefore.floodwatch,
            postgres: Self.cpuSeconds(of: "postgres") - cpuBefore.postgres,
            mosquitto: Self.cpuSeconds(of: "mosquitto") - cpuBefore.mosquitto
        )
        let peaks = processes.map { $0.peakMiB() }
        for process in processes {
            let stop = process.terminate()
            guard stop.status == 0 else { throw BenchFailure("serve exited with status \(stop.status)") }
        }
        let seconds = IngestBench.seconds(committed - began)
        return Run(
            rate: Double(stored) / seconds, seconds: seconds, published: IngestBench.seconds(published),
            stored: stored, peakMiB: peaks, cpu: cpu)
    }

    /// CPU seconds, user and system, used so far by every process of this command name (`/proc/<pid>/stat`); the
    /// benchmark's own PostgreSQL and mosquitto are the only ones on a development machine.
    static func cpuSeconds(of command: String) -> Double {
        let pids = (try? FileManager.default.contentsOfDirectory(atPath: "/proc"))?.filter { Int($0) != nil } ?? []
        var ticks = 0.0
        for pid in pids {
            guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                let open = text.firstIndex(of: "("), let close = text.lastIndex(of: ")"),
                text[text.index(after: open)..<close] == command
            else { continue }
            let fields = text[text.index(after: close)...].split(separator: " ")
            guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { continue }
            ticks += user + system
        }
        return ticks / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// Publishes the burst on `publishers` connections at once, each the readings of its share of the gauges, in
    /// order (each gauge's `seq` counts up); returns when the broker acknowledged all.
    static func publish(readings: Int, gauges: Int, publishers: Int, port: Int) async throws
        -> ContinuousClock.Instant
    {
        let perGauge = readings / gauges
        let start = Int64(Date().timeIntervalSince1970) - Int64(perGauge + 1) * 300
        try await withThrowingTaskGroup(of: Void.self) { group in
            for publisher in 0..<publishers {
                group.addTask {
                    try await BlockingWork.onOwnThread(name: "bench-publisher-\(publisher)") {
                        let connection = try MQTTPublisher(
                            configuration: MQTTConfiguration(
                                host: "127.0.0.1", port: port, clientID: "bench-gauges-\(publisher)",
                                cleanSession: true))
                        try connection.connect()
                        defer { connection.disconnect() }
                        var sent = 0
                        for index in stride(from: publisher, to: readings, by: publishers) {
                            let gauge = index % gauges
                            let step = index / gauges
                            try connection.publish(
                                topic: "gauges/\(BenchStations.id(gauge))/level",
                                text:
                                    #"{"ts":\#(start + Int64(step) * 300),"value":\#(IngestBench.value(gauge: gauge, of: gauges, rain: false)),"seq":\#(step)}"#
                            )
                            sent += 1
                            // Keep libmosquitto's own queue short, as the ingest benchmark's burst does.
                            if sent % 1000 == 0, !connection.waitForAcknowledgements(timeoutSeconds: 60) {
                                throw BenchFailure("the broker stopped acknowledging the burst")
                            }
                        }
                        guard connection.waitForAcknowledgements(timeoutSeconds: 120) else {
                            throw BenchFailure("the broker did not acknowledge the burst")
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        return .now
    }
}
