import Alerting
import Alerts
import ArgumentParser
import BlockingWork
import Dispatch
import Foundation
import Gauges
import Ingestion
import Logging
import MQTT
import Storage
import Synchronization

/// One fixed offered load: gauges publish `rate` readings a second for `seconds`, and FloodWatch, wired as `serve`
/// wires it (ingest with acknowledgement after commit, then the alert service woken by the commit), stores them and
/// publishes the alerts they raise. Every time is taken in this process on one monotonic clock: a reading's publish,
/// the commit that stored it (the ingest service's commit hook) and the arrival of an alert it caused at a
/// subscriber of `alerts/+/+`.
struct LatencyRun {
    let rate: Int
    let seconds: Double
    let gauges: Int

    struct Figures {
        var published = 0
        var stored = 0
        var commit: Percentiles
        var alert: Percentiles
    }

    var total: Int { Int(Double(rate) * seconds) }

    func measure(broker: BenchBroker, folder: String) async throws -> Figures {
        let catalogue = BenchStations.catalogue(gauges)
        let database = try FloodDatabase(path: folder + "/latency-\(rate).sqlite")
        try database.synchronizeStations(catalogue, now: WallClock.system())
        var logger = Logger(label: "bench")
        logger.logLevel = .error

        let steps = (total + gauges - 1) / gauges
        // Reading times end now: none lies in the future, and none is so old that the gauge would count as silent.
        let firstTime = WallClock.system() / 1000 - Int64(steps) * 300
        let timeline = Timeline(count: total)

        var alertConfiguration = AlertConfiguration(
            broker: MQTTConfiguration(
                host: "127.0.0.1", port: broker.port, clientID: "floodwatch-alerts", cleanSession: true))
        alertConfiguration.settings.exercise = true
        let alerts = try AlertService(
            configuration: alertConfiguration, catalogue: catalogue, database: database, logger: logger)
        var configuration = IngestConfiguration(
            broker: MQTTConfiguration(host: "127.0.0.1", port: broker.port, clientID: "floodwatch-latency-\(rate)"))
        configuration.topicFilters = [GaugeTopic.filter]
        let gauges = gauges
        let ingest = IngestService(
            configuration: configuration, catalogue: catalogue, database: database, logger: logger,
            onCommit: { outcome in
                let now = Timeline.now()
                for reading in outcome.newReadings {
                    guard let gauge = BenchStations.index(of: reading.station), let step = reading.seq else {
                        continue
                    }
                    timeline.committed(Int(step) * gauges + gauge, at: now)
                }
                if !outcome.warnings.isEmpty { alerts.wake() }
            })
        let alertWatch = AlertWatch(port: broker.port) { station, time in
            guard let gauge = BenchStations.index(of: station) else { return nil }
            let step = (time / 1000 - firstTime) / 300
            return Int(step) * gauges + gauge
        }
        let alertsRunning = Task { try await alerts.run() }
        let ingestRunning = Task { try await ingest.run() }
        defer {
            alerts.stop()
            ingest.stop()
            alertWatch.stop()
        }
        let ready = ContinuousClock.now + .seconds(20)
        while !ingest.status.subscribed || !alertWatch.subscribed, ContinuousClock.now < ready {
            try await Task.sleep(for: .milliseconds(10))
        }
        try await Task.sleep(for: .milliseconds(500))  // the alert service's own connection

        let pacing = PacedGauges(port: broker.port, rate: rate, gauges: gauges, clientID: "bench-gauges-\(rate)")
        let total = total
        let published = try await BlockingWork.onOwnThread(name: "bench-gauges") {
            try pacing.publish(total, firstTime: firstTime, published: { timeline.published($0, at: Timeline.now()) })
        }
        let settle = ContinuousClock.now + .seconds(120)
        while ingest.status.messagesCommitted < published, ContinuousClock.now < settle {
            try await Task.sleep(for: .milliseconds(10))
        }
        try await Task.sleep(for: .seconds(1))  // the last alerts
        alerts.stop()
        ingest.stop()
        alertWatch.stop()
        try await alertsRunning.value
        try await ingestRunning.value

        let (rows, _) = try database.readingCountAndSize()
        return Figures(
            published: published, stored: rows, commit: Percentiles(timeline.commitLatencies()),
            alert: Percentiles(alertWatch.latencies(timeline)))
    }
}

/// Publish and commit times of every reading of a run, by index (nanoseconds of the monotonic clock).
final class Timeline: Sendable {
    private struct Times {
        var published: [UInt64]
        var committed: [UInt64]
    }
    private let times: Mutex<Times>

    init(count: Int) {
        times = Mutex(Times(published: Array(repeating: 0, count: count), committed: Array(repeating: 0, count: count)))
    }

    static func now() -> UInt64 { BenchSubscriber.now() }

    func published(_ index: Int, at time: UInt64) {
        times.withLock { $0.published[index] = time }
    }

    func committed(_ index: Int, at time: UInt64) {
        times.withLock { times in
            if times.committed.indices.contains(index) { times.committed[index] = time }
        }
    }

    func publishedAt(_ index: Int) -> UInt64? {
        times.withLock { times in
            times.published.indices.contains(index) && times.published[index] > 0 ? times.published[index] : nil
        }
    }

    /// Milliseconds from publish to commit, for every reading committed.
    func commitLatencies() -> [Double] {
        times.withLock { times in
            zip(times.published, times.committed).compactMap { published, committed in
                committed > published && published > 0 ? Double(committed - published) / 1e6 : nil
            }
        }
    }
}

/// A subscriber of `alerts/+/+` (a `BenchSubscriber`), noting when each alert arrived and which reading caused it
/// (the alert's station and reading time, mapped to a reading index by `reading`).
final class AlertWatch: Sendable {
    private final class Arrivals: Sendable {
        let list = Mutex<[(index: Int, time: UInt64)]>([])
    }
    private let arrivals = Arrivals()
    private let subscriber: BenchSubscriber

    init(port: Int, reading: @escaping @Sendable (String, Int64) -> Int?) {
        let arrivals = self.arrivals
        subscriber = BenchSubscriber(
            MQTTConfiguration(host: "127.0.0.1", port: port, clientID: "bench-alert-watch", cleanSession: true),
            filter: "alerts/+/+"
        ) { message, now in
            guard
                let body = try? JSONSerialization.jsonObject(with: Data(message.payload)) as? [String: Any],
                let station = body["station"] as? String, let time = body["time"] as? String,
                case .success(let milliseconds) = RFC3339.milliseconds(time),
                let index = reading(station, milliseconds)
            else { return }
            arrivals.list.withLock { $0.append((index, now)) }
        }
    }

    var subscribed: Bool { subscriber.subscribed }

    func stop() { subscriber.stop() }

    /// Milliseconds from the publish of the reading that caused each alert to the alert's arrival.
    func latencies(_ timeline: Timeline) -> [Double] {
        arrivals.list.withLock { arrivals in
            arrivals.compactMap { arrival in
                timeline.publishedAt(arrival.index).map { Double(arrival.time &- $0) / 1e6 }
            }
        }
    }
}

/// p50, p99 and maximum of a set of latencies (milliseconds).
struct Percentiles {
    var count: Int
    var p50: Double
    var p99: Double
    var max: Double

    init(_ values: [Double]) {
        let sorted = values.sorted()
        count = sorted.count
        func at(_ fraction: Double) -> Double {
            sorted.isEmpty ? .nan : sorted[Swift.max(0, Int((fraction * Double(sorted.count)).rounded(.up)) - 1)]
        }
        p50 = at(0.5)
        p99 = at(0.99)
        max = sorted.last ?? .nan
    }

    var text: String {
        count == 0 ? "none" : String(format: "%.1f / %.1f / %.1f ms (%d)", p50, p99, max, count)
    }
}
