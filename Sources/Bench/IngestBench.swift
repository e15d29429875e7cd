import ArgumentParser
import Foundation
import Gauges
import Ingestion
import Logging
import MQTT
import PostgresStore
import Storage
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// `floodwatch-bench ingest`: the speed figures of FloodWatch on this machine, in one run and one table.
///
/// 1. The ceiling and the drain: N QoS 1 readings from M gauges published while the consumer's persistent session
///    was away (a typhoon's backlog uploads, or FloodWatch back from an upgrade), drained first by a minimal
///    libmosquitto subscriber that only counts and acknowledges, then by FloodWatch (decode, store with
///    acknowledgement after commit, gauge counters, warning engine). Their ratio is the figure that matters: what
///    storing durably costs on this machine, whatever the machine.
/// 2. Latency at fixed offered loads (`LatencyRun`): publish to commit and publish to MQTT alert.
/// 3. Cost against the number of stations: the drain again with 10 to 10,000 stations of two sensors each, timed
///    once every sensor's first reading is in (see `Drain.knownSensors`); the first readings' rate is shown beside.
/// 4. Start-up of `serve` on a database of 21 million readings (`StartupRun`).
/// And the drain of part 1 again into PostgreSQL (`--parts postgres`), on a server of its own (`BenchPostgres`),
/// beside SQLite's rate.
/// Readings published and stored are compared in every part; any loss fails the command.
struct IngestBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Measure ingest speed, latency, cost and start-up against the broker's ceiling; print one table.",
        discussion: """
            Starts its own mosquitto from deploy/mosquitto.conf (no accounts, one loopback listener on a free \
            port, persistence in a temporary folder), so nothing else on the machine is touched. Build with \
            -c release: `swift build -c release && .build/release/floodwatch-bench ingest`. The start-up part \
            spawns the `floodwatch` beside this binary and creates bench-history.sqlite once (about 21 million \
            readings, 700 MB, about 40 s), then reuses it; `floodwatch-bench history` uses the same file.
            """
    )

    @Option(help: "Readings in the queued burst.")
    var readings = 200_000

    @Option(help: "Simulated gauges (stations with a level sensor) of the burst and the latency runs.")
    var gauges = 1000

    @Option(help: ArgumentHelp("Offered loads of the latency runs, readings per second.", valueName: "list"))
    var loads = "1000,5000,20000"

    @Option(help: "Seconds each offered load lasts.")
    var loadSeconds = 5.0

    @Option(help: ArgumentHelp("Station counts of the cost sweep (two sensors each).", valueName: "list"))
    var sweep = "10,100,1000,10000"

    @Option(help: "Readings drained at each station count of the sweep.")
    var sweepReadings = 100_000

    @Option(
        help: ArgumentHelp(
            "FloodWatch's drains of the burst, and rounds of the sweep (its station counts in turn): each figure is "
                + "their median, as each ceiling is the median of three of its drains.",
            valueName: "count"))
    var rounds = 3

    @Option(help: ArgumentHelp("History database for the start-up part, created when missing.", valueName: "path"))
    var historyDatabase = "bench-history.sqlite"

    @Option(help: ArgumentHelp("The broker configuration to start from.", valueName: "path"))
    var brokerConfig = "deploy/mosquitto.conf"

    @Option(help: ArgumentHelp("The parts to run, e.g. drain,sweep to profile them alone.", valueName: "list"))
    var parts = "drain,postgres,latency,sweep,startup"

    @Option(
        help: ArgumentHelp(
            "Seconds to wait before FloodWatch drains each burst, after printing 'draining in N s, pid P', so that a "
                + "profiler can attach to the drain alone (perf record -g -p P).",
            valueName: "seconds"))
    var pauseBeforeDrain = 0.0

    func run() async throws {
        let workspace = try BenchWorkspace(brokerConfig: brokerConfig)
        defer { workspace.close() }
        let (folder, broker) = (workspace.folder, workspace.broker)
        var table = BenchTable()
        var lossless = true
        var sqliteDrainRate: Double?
        let parts = Set(parts.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        let known: Set = ["drain", "postgres", "latency", "sweep", "startup"]
        guard !parts.isEmpty, parts.isSubset(of: known) else {
            throw ValidationError("--parts takes some of \(known.sorted().joined(separator: ",")), comma-separated")
        }
        guard rounds > 0 else { throw ValidationError("--rounds takes a positive number, e.g. 3") }

        if parts.contains("drain") {
            print("1/4 drain: \(readings) QoS 1 readings from \(gauges) gauges, broker \(broker.endpoint)")
            // The ceiling is the faster of two plain subscribers that only count and acknowledge: one on
            // FloodWatch's own MQTT session, one on libmosquitto. Each is the median of three drains: one drain
            // lasts about a second, and single ones varied from 120,000 to 240,000 messages/s between runs.
            var ceilings: [(name: String, median: Double, low: Double, high: Double)] = []
            for (name, client) in [("own session", MQTTConnection.Client.automatic), ("libmosquitto", .libmosquitto)] {
                let configuration = MQTTConfiguration(
                    host: "127.0.0.1", port: broker.port, clientID: "bench-ceiling-\(name.prefix(3))",
                    cleanSession: false)
                try Self.drainWithCounter(configuration, client: client, expected: 0)  // creates the session
                var rates: [Double] = []
                for _ in 0..<3 {
                    try Self.publishBurst(readings: readings, gauges: gauges, sensors: 1, port: broker.port)
                    rates.append(
                        Double(readings)
                            / (try Self.drainWithCounter(configuration, client: client, expected: readings)))
                }
                rates.sort()
                ceilings.append((name, rates[1], rates[0], rates[2]))
            }
            // FloodWatch's rate is the median of `rounds` drains too: one drain is as noisy as the ceiling's.
            var drains: [Drain.Figures] = []
            for _ in 0..<rounds {
                drains.append(
                    try await Drain(readings: readings, gauges: gauges, sensors: 1, pause: pauseBeforeDrain)
                        .measure(broker: broker, folder: folder))
            }
            drains.sort { $0.rate < $1.rate }
            let drain = drains[drains.count / 2]
            sqliteDrainRate = drain.rate
            let ceilingRate = ceilings.map(\.median).max()!
            lossless = lossless && drains.allSatisfy { $0.stored == readings }
            table.section("Drain of a queued burst (\(readings) readings, \(gauges) gauges)")
            for ceiling in ceilings {
                table.row(
                    "ceiling: counting subscriber (\(ceiling.name)), median of 3",
                    String(format: "%.0f messages/s (%.0f–%.0f)", ceiling.median, ceiling.low, ceiling.high))
            }
            table.row(
                "FloodWatch, ack after commit, median of \(rounds)",
                String(format: "%.0f readings/s (%.0f–%.0f)", drain.rate, drains.first!.rate, drains.last!.rate))
            table.row("ratio to the faster ceiling (target ≥ 0.70)", String(format: "%.2f", drain.rate / ceilingRate))
            table.row("published / stored", Self.loss(readings, drain.stored))
            table.row("database bytes per reading (target ≤ 40)", String(format: "%.1f", drain.bytesPerReading))
            table.row("bytes written to storage per reading", String(format: "%.0f", drain.writtenPerReading))
            table.row("peak memory while draining", String(format: "%.1f MiB", drain.peakMiB))
        }

        if parts.contains("postgres") {
            print("drain to PostgreSQL: \(readings) QoS 1 readings from \(gauges) gauges, a server of its own")
            let server = try BenchPostgres()
            var drains: [Drain.Figures] = []
            for _ in 0..<rounds {
                var drain = Drain(readings: readings, gauges: gauges, sensors: 1, pause: pauseBeforeDrain)
                drain.postgres = server
                drains.append(try await drain.measure(broker: broker, folder: folder))
            }
            server.stop()
            drains.sort { $0.rate < $1.rate }
            let drain = drains[drains.count / 2]
            lossless = lossless && drains.allSatisfy { $0.stored == readings }
            table.section("Drain to PostgreSQL 15 on this machine (the same burst; ack after commit)")
            table.row(
                "FloodWatch on PostgreSQL, median of \(rounds)",
                String(format: "%.0f readings/s (%.0f–%.0f)", drain.rate, drains.first!.rate, drains.last!.rate))
            if let sqlite = sqliteDrainRate {
                table.row("ratio to the same drain on SQLite", String(format: "%.2f", drain.rate / sqlite))
            }
            table.row("published / stored", Self.loss(readings, drain.stored))
            table.row(
                "database bytes per reading (readings, rollups, indexes)", String(format: "%.1f", drain.bytesPerReading)
            )
            table.row("peak memory of FloodWatch while draining", String(format: "%.1f MiB", drain.peakMiB))
        }

        if parts.contains("latency") {
            let offered = try Self.list(loads, "--loads")
            print("2/4 latency at \(offered.map(String.init).joined(separator: ", ")) readings/s offered")
            table.section("Latency at a fixed offered load (\(gauges) gauges, \(loadSeconds) s each): p50 / p99 / max")
            for rate in offered {
                let run = LatencyRun(rate: rate, seconds: loadSeconds, gauges: gauges)
                let figures = try await run.measure(broker: broker, folder: folder)
                lossless = lossless && figures.stored == figures.published
                table.row("\(rate)/s: publish → commit (target p99 < 20 ms at 5000/s)", figures.commit.text)
                table.row("\(rate)/s: publish → MQTT alert (target p99 < 50 ms)", figures.alert.text)
                table.row("\(rate)/s: published / stored", Self.loss(figures.published, figures.stored))
            }
        }

        if parts.contains("sweep") {
            let counts = try Self.list(sweep, "--sweep")
            print("3/4 cost from \(counts.first ?? 0) to \(counts.last ?? 0) stations, \(sweepReadings) readings each")
            table.section(
                "Cost by station count (2 sensors each, \(sweepReadings) queued readings after one of each sensor)")
            // In rounds, each round every station count in turn, and each count's median: the machine's pace drifts
            // over the minutes a sweep takes, and one round once ran its 10 stations at half their usual rate.
            var runs: [[(rate: Double, row: String)]] = Array(repeating: [], count: counts.count)
            for _ in 0..<(counts.count == 1 ? 1 : rounds) {
                for (index, stations) in counts.enumerated() {
                    let row: String
                    if counts.count == 1 {
                        let figures = try await Drain(
                            readings: sweepReadings, gauges: stations, sensors: 2, pause: pauseBeforeDrain,
                            knownSensors: true
                        ).measure(
                            broker: broker, folder: folder)
                        let published = sweepReadings + stations * 2
                        lossless = lossless && figures.stored == published
                        row = String(
                            format: "%.0f readings/s, %d warnings (the first batch, %d readings, %d warnings: %.0f/s; "
                                + "all: %.0f/s), %.0f bytes written per reading, peak %.1f MiB (target < 150), %@",
                            figures.rate, figures.warnings - figures.firstContactWarnings, figures.firstContactCount,
                            figures.firstContactWarnings, figures.firstContactRate ?? 0, figures.wholeRate,
                            figures.writtenPerReading, figures.peakMiB, Self.loss(published, figures.stored))
                    } else {
                        // Each station count in a process of its own: a peak measured after the other counts would
                        // include the memory they left behind in the allocator (135 MiB alone, 171 MiB after the
                        // rest).
                        row = try Self.sweepPointInOwnProcess(
                            stations: stations, readings: sweepReadings, brokerConfig: brokerConfig)
                        let published = sweepReadings + stations * 2
                        lossless = lossless && row.hasSuffix("\(published) / \(published)")
                    }
                    runs[index].append((Double(row.prefix { $0 != " " }) ?? 0, row))
                }
            }
            var rates: [Double] = []
            for (index, stations) in counts.enumerated() {
                let sorted = runs[index].sorted { $0.rate < $1.rate }
                let median = sorted[sorted.count / 2]
                rates.append(median.rate)
                let range =
                    sorted.count == 1
                    ? ""
                    : String(
                        format: "; median of %d rounds (%.0f–%.0f)", sorted.count, sorted[0].rate, sorted.last!.rate)
                table.row("\(stations) stations", median.row + range)
            }
            if let fastest = rates.max(), let slowest = rates.min(), fastest > 0 {
                table.row(
                    "throughput spread (target within 20 %)", String(format: "%.0f %%", (1 - slowest / fastest) * 100))
            }
        }

        if parts.contains("startup") {
            print("4/4 start-up of serve on \(historyDatabase)")
            let startup = try await StartupRun(
                history: BenchHistory(stations: 100, days: 365), databasePath: historyDatabase
            ).measure(broker: broker, folder: folder)
            table.section("Start-up of serve to /readyz 200 (\(startup.readings) readings; target < 2 s)")
            table.row(
                "page cache warm (\(startup.warm.count) starts)",
                startup.warm.map { String(format: "%.2f s", $0) }.joined(separator: ", "))
            table.row(
                "page cache dropped", startup.cold.map { String(format: "%.2f s", $0) } ?? "not measured (needs root)")
        }

        print("")
        print(table.text)
        if !lossless { throw ExitCode(1) }
    }

    /// "200000 / 200000", with LOSS when they differ.
    static func loss(_ published: Int, _ stored: Int) -> String {
        "\(published) / \(stored)" + (published == stored ? "" : "  LOSS")
    }

    static func list(_ text: String, _ option: String) throws -> [Int] {
        let values = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, values.allSatisfy({ ($0 ?? 0) > 0 }) else {
            throw ValidationError("\(option) takes positive numbers separated by commas, e.g. 1000,5000")
        }
        return values.compactMap { $0 }
    }

    /// Publishes a burst while the consumer is away: each gauge's readings in turn, 5 minutes apart, with `seq`;
    /// with 2 sensors a gauge alternates level and rain readings.
    static func publishBurst(readings: Int, gauges: Int, sensors: Int, port: Int) throws {
        let publisher = try MQTTPublisher(
            configuration: MQTTConfiguration(
                host: "127.0.0.1", port: port, clientID: "bench-gauges", cleanSession: true))
        try publisher.connect()
        let perSensor = readings / (gauges * sensors) + 1
        let start = WallClock.system() / 1000 - Int64(perSensor + 1) * 300
        for index in 0..<readings {
            let station = BenchStations.id(index % gauges)
            let turn = index / gauges
            let rain = sensors == 2 && turn % 2 == 1
            let step = turn / sensors
            let value = Self.value(gauge: index % gauges, of: gauges, rain: rain)
            try publisher.publish(
                topic: "gauges/\(station)/\(rain ? "rain" : "level")",
                text: #"{"ts":\#(start + Int64(step) * 300),"value":\#(value),"seq":\#(step)}"#)
            // Keep libmosquitto's own queue short: it would otherwise hold the whole burst in memory.
            if index % 1000 == 999, !publisher.waitForAcknowledgements(timeoutSeconds: 60) {
                throw BenchFailure("the broker stopped acknowledging the burst")
            }
        }
        guard publisher.waitForAcknowledgements(timeoutSeconds: 120) else {
            throw BenchFailure("the broker did not acknowledge the burst")
        }
        publisher.disconnect()
    }

    /// The value a simulated sensor reports: constant for each gauge, and spread over the same range whatever the
    /// number of gauges, so that every point of the sweep does the same work per reading: levels of 1.00 to 2.99 m
    /// (half of the gauges at or above BĐ I, 2 m), rain of 0 to 4.9 mm per 5 minutes. (Values taken from the burst's
    /// running index gave 10 stations a sawtooth across BĐ I; values of the gauge's number alone, `gauge % 200`,
    /// gave 10 stations levels of 1.00–1.09 m and rain under 1 mm: no warning where 10,000 stations had 5,000.)
    static func value(gauge: Int, of gauges: Int, rain: Bool) -> Double {
        rain ? Double(gauge * 50 / gauges % 50) / 10 : 1 + Double(gauge * 200 / gauges % 200) / 100
    }

    /// Counts messages with a `BenchSubscriber` (acknowledging each at once) until `expected` arrived; returns the
    /// seconds from its start to the last one. With 0, connects, subscribes and leaves (the session stays).
    @discardableResult
    static func drainWithCounter(
        _ configuration: MQTTConfiguration, client: MQTTConnection.Client = .automatic, expected: Int
    ) throws -> Double {
        let began = BenchSubscriber.now()
        let counter = BenchSubscriber(configuration, filter: GaugeTopic.filter, client: client)
        defer { counter.stop() }
        guard try counter.wait(seconds: 600, until: { subscribed, received in subscribed && received >= expected })
        else {
            throw BenchFailure("the counting subscriber got \(counter.received) of \(expected)")
        }
        return expected == 0 ? 0 : Double(counter.lastArrival - began) / 1e9
    }

    /// Runs an ingest service until `done` says so, then stops it gracefully.
    static func runUntil(_ service: IngestService, _ done: @escaping @Sendable (IngestStatus) -> Bool) async throws {
        let running = Task { try await service.run() }
        let deadline = ContinuousClock.now + .seconds(600)
        while !done(service.status), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(2))
        }
        service.stop()
        try await running.value
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

/// FloodWatch's ingest service, as `serve` runs it, draining a burst queued for its persistent session, on a new
/// database: the rate from the start of the drain to the last commit, and the process's peak memory meanwhile.
struct Drain {
    let readings: Int
    let gauges: Int
    let sensors: Int
    /// Seconds to wait, once the burst is queued, before the drain starts (`--pause-before-drain`).
    var pause = 0.0
    /// Whether the burst begins with one more reading of every sensor, drained before the clock of `rate` starts:
    /// the rate is then that of a service that already knows every sensor (its warnings raised, its state loaded),
    /// as it is a few minutes after start-up, and `firstContactRate` is that of the sensors' first readings.
    var knownSensors = false

    struct Figures {
        var rate: Double
        /// With `knownSensors`, readings/s from the start of the drain until every sensor's first reading was
        /// committed (the batch that committed the last of them included), and how many that batch left committed.
        var firstContactRate: Double?
        var firstContactCount = 0
        /// Warning events written: in all, and by the time `rate`'s clock started.
        var warnings = 0
        var firstContactWarnings = 0
        /// Every reading of the drain over its whole time, the first ones included.
        var wholeRate: Double
        var stored: Int
        var bytesPerReading: Double
        /// Bytes this process wrote to storage (log and checkpoints) per reading stored, from /proc/self/io.
        var writtenPerReading: Double
        var peakMiB: Double
    }

    /// `write_bytes` of /proc/self/io: what this process has caused to be written to storage so far.
    static func bytesWritten() -> Int {
        Int(ProcField.value("write_bytes", in: "/proc/self/io") ?? 0)
    }

    /// Where the drain stores: a new SQLite file in the workspace, or a new database on a PostgreSQL server.
    var postgres: BenchPostgres?

    func measure(broker: BenchBroker, folder: String) async throws -> Figures {
        let catalogue = BenchStations.catalogue(gauges, rain: sensors == 2)
        let database: any IngestStore
        let countAndSize: () async throws -> (readings: Int, bytes: Int)
        var close: () async -> Void = {}
        if let postgres {
            let store = PostgresDatabase(try PostgresLocation(url: try postgres.newDatabase()))
            try await store.migrate(now: WallClock.system())
            try await store.synchronizeStations(catalogue, now: WallClock.system())
            // The bytes of the readings alone: an empty migrated database is several megabytes of catalogue.
            let empty = try await store.readingCountAndSize().bytes
            database = store
            countAndSize = {
                let (readings, bytes) = try await store.readingCountAndSize()
                return (readings, bytes - empty)
            }
            close = { await store.shutDown() }
        } else {
            let file = try FloodDatabase(path: folder + "/drain-\(gauges)x\(sensors)-\(UUID().uuidString).sqlite")
            try file.synchronizeStations(catalogue, now: WallClock.system())
            database = file
            countAndSize = { try file.readingCountAndSize() }
        }
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        var configuration = IngestConfiguration(
            broker: MQTTConfiguration(
                host: "127.0.0.1", port: broker.port, clientID: "floodwatch-drain-\(gauges)x\(sensors)"))
        configuration.topicFilters = [GaugeTopic.filter]
        let session = IngestService(
            configuration: configuration, catalogue: catalogue, database: database, logger: logger)
        try await IngestBench.runUntil(session) { $0.subscribed }  // creates the session
        let firstReadings = knownSensors ? gauges * sensors : 0
        // The burst goes gauge by gauge, a level reading each, then a rain reading each: its first
        // `gauges * sensors` readings are every sensor's first.
        try IngestBench.publishBurst(
            readings: firstReadings + readings, gauges: gauges, sensors: sensors, port: broker.port)
        let stored = Stored(markAt: firstReadings)
        let service = IngestService(
            configuration: configuration, catalogue: catalogue, database: database, logger: logger,
            onCommit: { outcome in stored.add(outcome.stored, warnings: outcome.warnings.count) })
        if pause > 0 {
            // On standard error, unbuffered: a script waiting for this line sees it at once.
            FileHandle.standardError.write(Data(String(format: "draining in %.1f s, pid %d\n", pause, getpid()).utf8))
            try await Task.sleep(for: .milliseconds(Int(pause * 1000)))
        }
        PeakMemory.reset()
        let writtenBefore = Self.bytesWritten()
        let began = ContinuousClock.now
        let expected = firstReadings + readings
        try await IngestBench.runUntil(service) { _ in stored.count >= expected }
        let ended = ContinuousClock.now
        let peak = PeakMemory.mebibytes()
        let written = Self.bytesWritten() - writtenBefore
        let (rows, bytes) = try await countAndSize()
        await close()
        let wholeRate = Double(rows) / IngestBench.seconds(ended - began)
        var (rate, firstContactRate, firstContactCount) = (wholeRate, Double?.none, 0)
        var firstContactWarnings = 0
        if let (count, warnings, at) = stored.mark {
            rate = Double(rows - count) / IngestBench.seconds(ended - at)
            firstContactRate = Double(count) / IngestBench.seconds(at - began)
            (firstContactCount, firstContactWarnings) = (count, warnings)
        }
        return Figures(
            rate: rate, firstContactRate: firstContactRate, firstContactCount: firstContactCount,
            warnings: stored.warnings, firstContactWarnings: firstContactWarnings,
            wholeRate: wholeRate, stored: rows,
            bytesPerReading: Double(bytes) / Double(max(rows, 1)),
            writtenPerReading: Double(written) / Double(max(rows, 1)),
            peakMiB: peak)
    }
}

/// The process's peak resident memory (VmHWM), and a reset of it so that each part of a run is measured alone.
enum PeakMemory {
    static func mebibytes() -> Double {
        (ProcField.value("VmHWM", in: "/proc/self/status") ?? 0) / 1024  // the file says kB
    }

    /// Sets the peak to the current resident size (Linux: `5` to `/proc/self/clear_refs`).
    static func reset() {
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return }
        try? handle.write(contentsOf: Data("5\n".utf8))
        try? handle.close()
    }
}

/// The number of a `name: value [unit]` line of a Linux /proc file, e.g. `VmHWM` of /proc/self/status.
enum ProcField {
    static func value(_ name: String, in file: String) -> Double? {
        let text = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }) else { return nil }
        return line.dropFirst(name.count + 1).split(whereSeparator: \.isWhitespace).first.flatMap { Double($0) }
    }
}

/// Readings committed so far, counted from the ingest thread's commit hook, and the count and time of the commit that
/// first reached `markAt` readings (none when it is 0).
private final class Stored: Sendable {
    private struct State {
        var count = 0
        var warnings = 0
        var mark: (count: Int, warnings: Int, at: ContinuousClock.Instant)?
    }
    private let state = Mutex(State())
    private let markAt: Int

    init(markAt: Int = 0) { self.markAt = markAt }

    func add(_ count: Int, warnings: Int) {
        state.withLock { state in
            state.count += count
            state.warnings += warnings
            if markAt > 0, state.mark == nil, state.count >= markAt {
                state.mark = (state.count, state.warnings, .now)
            }
        }
    }

    var count: Int { state.withLock { $0.count } }
    var warnings: Int { state.withLock { $0.warnings } }
    var mark: (count: Int, warnings: Int, at: ContinuousClock.Instant)? { state.withLock { $0.mark } }
}

extension IngestBench {
    /// Runs `floodwatch-bench ingest --parts sweep --sweep <stations>` and returns its row's value ("36383
    /// readings/s, … peak 135.2 MiB …, 100000 / 100000").
    static func sweepPointInOwnProcess(stations: Int, readings: Int, brokerConfig: String) throws -> String {
        let process = Process()
        var buffer = [CChar](repeating: 0, count: 4096)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard length > 0 else { throw ValidationError("cannot find this executable to run a sweep point") }
        process.executableURL = URL(
            fileURLWithPath: String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self))
        process.arguments = [
            "ingest", "--parts", "sweep", "--sweep", String(stations), "--sweep-readings", String(readings),
            "--broker-config", brokerConfig,
        ]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let prefix = "| \(stations) stations | "
        guard process.terminationStatus == 0,
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix(prefix) })
        else {
            throw ValidationError("the sweep point of \(stations) stations failed:\n\(text)")
        }
        return String(line.dropFirst(prefix.count).dropLast(2))
    }
}

/// The one table the benchmark prints: sections of measurement / value rows, as Markdown.
struct BenchTable {
    private var lines = ["| measurement | value |", "|---|---|"]

    mutating func section(_ title: String) {
        lines.append("| **\(title)** | |")
    }

    mutating func row(_ measurement: String, _ value: String) {
        lines.append("| \(measurement) | \(value) |")
    }

    var text: String { lines.joined(separator: "\n") }
}
