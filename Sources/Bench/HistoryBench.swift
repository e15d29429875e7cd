import Alerts
import ArgumentParser
import Foundation
import Gauges
import HTTPAPI
import Hummingbird
import Logging
import Storage

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `floodwatch-bench history`: a year of 5-minute readings for 100 stations (about 21 million rows), then the
/// hydrograph queries a dashboard makes, over real HTTP, timed at the median.
struct HistoryBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Time the history API on a year of 5-minute readings for 100 stations (release build).",
        discussion: """
            Creates the database once (a few minutes; kept for the next run), then asks the HTTP API for \
            30-day hydrographs of 720 hourly buckets and one-year hydrographs of 730 twelve-hour buckets, for \
            random stations, and prints the median and 95th percentile.
            """
    )

    @Option(help: ArgumentHelp("Database to create or reuse.", valueName: "path"))
    var database = "bench-history.sqlite"

    @Option(help: "Stations with a level and a rain sensor each.")
    var stations = 100

    @Option(help: "Days of 5-minute readings.")
    var days = 365

    @Option(help: "Requests per query kind.")
    var requests = 200

    func run() async throws {
        let history = BenchHistory(stations: stations, days: days)
        let catalogue = history.catalogue
        let store = try history.open(database)
        let start = BenchHistory.start
        let (count, bytes) = try store.readingCountAndSize()
        var logger = Logger(label: "bench")
        logger.logLevel = .critical
        let port = Int.random(in: 20_000...60_000)
        let app = APIServer.application(
            APIServer.Context(database: store, catalogue: catalogue, alertSettings: AlertSettings()),
            host: "127.0.0.1", port: port, logger: logger)
        let server = Task { try await app.runService() }
        defer { server.cancel() }
        try await Task.sleep(for: .seconds(1))

        let session = URLSession(configuration: .ephemeral)
        let end = start + Int64(days) * 86_400_000
        func time(_ label: String, range: Int64, step: String, buckets: Int) async throws {
            var timings: [Double] = []
            for request in 0..<requests {
                let station = catalogue.stations[request % catalogue.stations.count].id
                let to = end - Int64(request % 30) * 86_400_000 * (range < 86_400_000 * 100 ? 1 : 0)
                let from = to - range
                let url = URL(
                    string: "http://127.0.0.1:\(port)/api/stations/\(station)/readings?step=\(step)"
                        + "&from=\(Self.query(from))&to=\(Self.query(to))")!
                let began = ContinuousClock.now
                let (data, response) = try await session.data(from: url)
                let elapsed = ContinuousClock.now - began
                guard (response as? HTTPURLResponse)?.statusCode == 200 else {
                    throw BenchFailure("HTTP error: \(String(decoding: data, as: UTF8.self))")
                }
                if request == 0 {
                    let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
                    let got = (object?["buckets"] as? [Any])?.count ?? 0
                    guard abs(got - buckets) <= 2 else { throw BenchFailure("\(label): \(got) buckets") }
                }
                timings.append(
                    Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)
            }
            timings.sort()
            print(
                String(
                    format: "  %@: median %.2f ms, p95 %.2f ms, max %.2f ms (%d requests over HTTP)", label,
                    timings[timings.count / 2], timings[timings.count * 95 / 100], timings.last ?? 0, requests))
        }
        print("history API, \(count) readings, \(stations) stations, \(bytes / max(count, 1)) bytes per reading")
        var storage: [Double] = []
        for request in 0..<requests {
            let station = catalogue.stations[request % catalogue.stations.count].id
            let began = ContinuousClock.now
            _ = try await store.readingBuckets(
                station: station, sensor: "level", from: end - 30 * 86_400_000, to: end, stepSeconds: 3600)
            storage.append(Self.milliseconds(ContinuousClock.now - began))
        }
        storage.sort()
        print(String(format: "  (the 30-day query alone, in the database: median %.2f ms)", storage[storage.count / 2]))
        try await time("30 days, 720 × 1h buckets", range: 30 * 86_400_000, step: "1h", buckets: 720)
        try await time("1 year, 730 × 12h buckets", range: 365 * 86_400_000, step: "12h", buckets: 730)
        try await time("1 year, 365 × 1d buckets", range: 365 * 86_400_000, step: "1d", buckets: 365)
    }

    static func query(_ milliseconds: Int64) -> String {
        UnixTime.vietnam(milliseconds).replacingOccurrences(of: "+", with: "%2B")
    }

    static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.attoseconds) / 1e15 + Double(duration.components.seconds) * 1000
    }

    static func seconds(_ duration: Duration) -> String {
        String(format: "%.1f", Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
    }
}
