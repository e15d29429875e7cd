import ArgumentParser
import BlockingWork
import Foundation
import Gauges
import Storage
import Synchronization

/// `floodwatch-bench shutdown`: how long `floodwatch serve` takes to exit after SIGTERM, idle and under load, and
/// the CPU it uses while idle. systemd waits for the exit on every restart; an idle service that polls burns the
/// battery of the operations centre's UPS on the night the power is out.
struct ShutdownBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shutdown",
        abstract: "Time SIGTERM → exit of serve, idle and at a fixed offered load; measure its idle CPU.",
        discussion: """
            Starts its own mosquitto (as `ingest` does) and the `floodwatch` built beside this binary, on a new \
            database of `--gauges` simulated gauges. Idle: ready, then CPU over `--idle-seconds`, then SIGTERM. \
            Under load: gauges publish at `--rate` readings/s, SIGTERM arrives mid-stream; serve is then started \
            again and must store every reading published (none lost).
            """
    )

    @Option(help: "Simulated gauges (stations with a level sensor).")
    var gauges = 1000

    @Option(help: "Readings per second offered in the loaded runs.")
    var rate = 5000

    @Option(help: "Stops measured idle and under load, each.")
    var runs = 3

    @Option(help: "Seconds of idle CPU measured.")
    var idleSeconds = 10.0

    @Option(help: ArgumentHelp("The broker configuration to start from.", valueName: "path"))
    var brokerConfig = "deploy/mosquitto.conf"

    func run() async throws {
        let workspace = try BenchWorkspace(brokerConfig: brokerConfig)
        defer { workspace.close() }
        let (folder, broker) = (workspace.folder, workspace.broker)
        let catalogue = folder + "/stations.yaml"
        try BenchStations.yaml(gauges, rain: false).write(toFile: catalogue, atomically: true, encoding: .utf8)
        let database = folder + "/shutdown.sqlite"
        func serve() throws -> ServeProcess {
            try ServeProcess(
                database: database, catalogue: catalogue, broker: broker, folder: folder, clientID: "floodwatch")
        }
        var table = BenchTable()

        print("1/2 idle: \(runs) starts, CPU over \(idleSeconds) s")
        var idleStops: [Double] = []
        var idleCPU: Double = .nan
        for run in 0..<runs {
            let process = try serve()
            _ = try await process.waitUntilReady()
            if run == 0 {
                try await Task.sleep(for: .seconds(1))  // the start-up's own work done
                let before = process.cpuSeconds()
                try await Task.sleep(for: .seconds(idleSeconds))
                idleCPU = (process.cpuSeconds() - before) / idleSeconds * 100
            } else {
                try await Task.sleep(for: .seconds(1))
            }
            let stop = process.terminate()
            guard stop.status == 0 else { throw BenchFailure("serve exited with status \(stop.status)") }
            idleStops.append(stop.seconds)
        }
        table.section("Idle serve (\(gauges) gauges, connected, nothing arriving)")
        table.row("CPU while idle (% of one core)", String(format: "%.2f %%", idleCPU))
        table.row("SIGTERM → exit (target well under 1 s)", Self.seconds(idleStops))

        print("2/2 under load: \(rate) readings/s offered, SIGTERM after 3 s")
        var loadedStops: [Double] = []
        var published = 0
        // Reading times end before now, each run after the one before, so that none lies in the future.
        let perRun = rate * 6
        let firstTime = WallClock.system() / 1000 - Int64((perRun * runs) / gauges + 2) * 300
        for _ in 0..<runs {
            let process = try serve()
            _ = try await process.waitUntilReady()
            let pacing = PacedGauges(port: broker.port, rate: rate, gauges: gauges, clientID: "bench-gauges")
            let stopPublishing = Atomic<Bool>(false)
            let first = published
            let publishing = Task {
                try await BlockingWork.onOwnThread(name: "bench-gauges") {
                    try pacing.publish(
                        perRun, from: first, firstTime: firstTime, stop: { stopPublishing.load(ordering: .relaxed) })
                }
            }
            try await Task.sleep(for: .seconds(3))
            let stop = process.terminate()
            stopPublishing.store(true, ordering: .relaxed)
            published += try await publishing.value
            guard stop.status == 0 else { throw BenchFailure("serve exited with status \(stop.status)") }
            loadedStops.append(stop.seconds)
        }
        // Everything published is queued for the persistent session or stored: one more start stores the rest.
        let last = try serve()
        _ = try await last.waitUntilReady()
        let store = try FloodDatabase(path: database)
        let deadline = ContinuousClock.now + .seconds(120)
        var stored = 0
        while ContinuousClock.now < deadline {
            stored = try store.readingCountAndSize().readings
            if stored >= published { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        _ = last.terminate()
        table.section("Serve under load (\(rate) readings/s offered, SIGTERM mid-stream)")
        table.row("SIGTERM → exit (target: within one batch commit)", Self.seconds(loadedStops))
        table.row("published / stored after a restart", IngestBench.loss(published, stored))

        print("")
        print(table.text)
        if stored != published { throw ExitCode(1) }
    }

    static func seconds(_ values: [Double]) -> String {
        values.map { String(format: "%.3f s", $0) }.joined(separator: ", ")
    }
}
