import ArgumentParser
import Foundation
import Gauges
import Ingestion
import Logging
import MQTT
import Storage
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// `floodwatch bench ingest`: how fast FloodWatch drains a burst, against how fast the broker can deliver it.
///
/// Both measurements drain the same kind of queue: N QoS 1 readings from M gauges published while the consumer's
/// persistent session was away (a typhoon's backlog uploads, or FloodWatch back from an upgrade). The ceiling is a
/// minimal libmosquitto subscriber that only counts and acknowledges; FloodWatch decodes, stores with
/// acknowledgement after commit, tracks gauge counters and runs the warning engine. The ratio of the two is the
/// figure that matters: what storing durably costs on this machine, whatever the machine.
struct IngestBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Drain N queued readings with a counting subscriber (the ceiling), then with FloodWatch; compare.",
        discussion: """
            Starts its own mosquitto from deploy/mosquitto.conf (no accounts, one loopback listener on a free \
            port, persistence in a temporary folder), so nothing else on the machine is touched. Build with \
            -c release: `swift build -c release --product floodwatch && .build/release/floodwatch bench ingest`.
            """
    )

    @Option(help: "Readings to publish.")
    var readings = 200_000

    @Option(help: "Simulated gauges (stations with a level sensor), publishing in turn.")
    var gauges = 1000

    @Option(help: ArgumentHelp("The broker configuration to start from.", valueName: "path"))
    var brokerConfig = "deploy/mosquitto.conf"

    func run() async throws {
        let folder = NSTemporaryDirectory() + "floodwatch-bench-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let broker = try BenchBroker(deployConfig: brokerConfig, folder: folder)
        defer { broker.stop() }

        let catalogue = StationCatalogue(
            stations: (0..<gauges).map { index in
                Station(
                    id: String(format: "bench-%05d", index), name: "Bench \(index)", river: "Bench", latitude: 15,
                    longitude: 108, sensors: [Sensor(kind: .level, interval: 300, range: -5...30)],
                    alarmLevels: AlarmLevels(levelI: 2, levelII: 3, levelIII: 4))
            })
        print("ingest benchmark: \(readings) QoS 1 readings from \(gauges) gauges, broker \(broker.endpoint)")

        // The ceiling: a subscriber that only counts, draining its queue.
        let ceilingConfiguration = MQTTConfiguration(
            host: "127.0.0.1", port: broker.port, clientID: "bench-ceiling", cleanSession: false)
        try Self.drainWithCounter(ceilingConfiguration, expected: 0)  // creates the session
        try publishBurst(broker: broker, catalogue: catalogue)
        let ceiling = try Self.drainWithCounter(ceilingConfiguration, expected: readings)

        // FloodWatch: the ingest service as `serve` runs it, on a new database, draining the same burst.
        let database = try FloodDatabase(path: folder + "/bench.sqlite")
        try database.synchronizeStations(catalogue, now: IngestService.systemClock())
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        var configuration = IngestConfiguration(
            broker: MQTTConfiguration(host: "127.0.0.1", port: broker.port, clientID: "floodwatch"))
        configuration.topicFilter = GaugeTopic.filter
        let session = IngestService(
            configuration: configuration, catalogue: catalogue, database: database, logger: logger)
        try await Self.runUntil(session) { $0.subscribed }  // creates the session
        try publishBurst(broker: broker, catalogue: catalogue)
        let stored = Stored()
        let service = IngestService(
            configuration: configuration, catalogue: catalogue, database: database, logger: logger,
            onCommit: { outcome in stored.add(outcome.stored) })
        let began = ContinuousClock.now
        let expected = readings
        try await Self.runUntil(service) { _ in stored.count >= expected }
        let floodwatch = Self.seconds(ContinuousClock.now - began)

        let (rows, bytes) = try database.readingCountAndSize()
        let ceilingRate = Double(readings) / ceiling
        let floodwatchRate = Double(rows) / floodwatch
        print("")
        print("| measurement | value |")
        print("|---|---|")
        print(
            String(
                format: "| ceiling: counting subscriber drains the queue | %.0f messages/s (%.2f s) |", ceilingRate,
                ceiling))
        print(
            String(
                format: "| FloodWatch drains it, ack after commit | %.0f readings/s (%.2f s) |", floodwatchRate,
                floodwatch))
        print(String(format: "| ratio to the ceiling (target ≥ 0.70) | %.2f |", floodwatchRate / ceilingRate))
        print("| readings published / stored | \(readings) / \(rows)\(rows == readings ? "" : "  LOSS") |")
        print(
            String(format: "| database bytes per reading (target ≤ 40) | %.1f |", Double(bytes) / Double(max(rows, 1))))
        print(String(format: "| peak resident memory of this process | %.1f MiB |", Self.peakMemoryMiB()))
        if rows != readings { throw ExitCode(1) }
    }

    /// Publishes the burst while the consumer is away: each gauge's readings in turn, 5 minutes apart, with `seq`.
    private func publishBurst(broker: BenchBroker, catalogue: StationCatalogue) throws {
        let publisher = try MQTTPublisher(
            configuration: MQTTConfiguration(
                host: "127.0.0.1", port: broker.port, clientID: "bench-gauges", cleanSession: true))
        try publisher.connect()
        let start = IngestService.systemClock() / 1000 - Int64(readings / gauges + 1) * 300
        for index in 0..<readings {
            let station = catalogue.stations[index % gauges].id
            let step = index / gauges
            try publisher.publish(
                topic: "gauges/\(station)/level",
                text: #"{"ts":\#(start + Int64(step) * 300),"value":\#(1 + Double(index % 200) / 100),"seq":\#(step)}"#)
            // Keep libmosquitto's own queue short: it would otherwise hold the whole burst in memory.
            if index % 1000 == 999, !publisher.waitForAcknowledgements(timeoutSeconds: 60) {
                throw ValidationError("the broker stopped acknowledging the burst")
            }
        }
        guard publisher.waitForAcknowledgements(timeoutSeconds: 120) else {
            throw ValidationError("the broker did not acknowledge the burst")
        }
        publisher.disconnect()
    }

    /// Connects, counts messages (acknowledging each at once) until `expected` arrived; returns the seconds from the
    /// connection to the last one. With 0, connects, subscribes and leaves (the session stays).
    @discardableResult
    static func drainWithCounter(_ configuration: MQTTConfiguration, expected: Int) throws -> Double {
        let connection = try MQTTConnection(configuration: configuration)
        try connection.connect()
        try connection.writePending()
        let began = ContinuousClock.now
        var received = 0
        var subscribed = false
        let deadline = began + .seconds(600)
        while ContinuousClock.now < deadline {
            for event in connection.poll(timeoutMilliseconds: 100, maxMessages: 10_000) {
                switch event {
                case .connected:
                    try connection.subscribe(GaugeTopic.filter, qos: 1)
                case .subscribed:
                    subscribed = true
                case .message:
                    received += 1
                default:
                    break
                }
            }
            try connection.writePending()
            connection.maintain()
            if subscribed, received >= expected { break }
        }
        let elapsed = seconds(ContinuousClock.now - began)
        connection.disconnect()
        guard received >= expected else {
            throw ValidationError("the counting subscriber got \(received) of \(expected)")
        }
        return elapsed
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

    static func peakMemoryMiB() -> Double {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") } ?? ""
        return (Double(line.split(separator: " ").dropFirst().first ?? "") ?? 0) / 1024
    }
}

/// Readings committed so far, counted from the ingest thread's commit hook.
private final class Stored: Sendable {
    private let value = Mutex(0)
    func add(_ count: Int) { value.withLock { $0 += count } }
    var count: Int { value.withLock { $0 } }
}
