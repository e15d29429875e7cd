import Foundation
import Gauges
import Storage

/// The history database of the benchmarks: 5-minute level and rain readings of `stations` stations over `days`
/// days, a year and 100 stations by default (about 21 million readings, 700 MB). Creating it takes about 40 s,
/// so it is kept and reused: `floodwatch-bench history` queries it, `floodwatch-bench ingest` starts `serve` on it.
struct BenchHistory {
    let stations: Int
    let days: Int

    /// 1 Jan 2025 00:00 +07:00: a year ending before today, as a dashboard would look back.
    static let start: Int64 = 1_735_664_400_000

    var catalogue: StationCatalogue {
        BenchStations.catalogue(stations, rain: true)
    }

    /// The same stations as a catalogue file, for `serve --stations`.
    var catalogueYAML: String {
        BenchStations.yaml(stations, rain: true)
    }

    /// Opens the database at `path`, filling it first when it holds fewer readings than it should.
    func open(_ path: String) throws -> FloodDatabase {
        let store = try FloodDatabase(path: path)
        try store.synchronizeStations(catalogue, now: 0)
        let perStation = days * 288
        let (count, _) = try store.readingCountAndSize()
        guard count < stations * perStation * 2 else { return store }
        print("creating \(stations * perStation * 2) readings in \(path) (once, about 40 s)…")
        let began = ContinuousClock.now
        let start = Self.start
        for (index, station) in catalogue.stations.enumerated() {
            let readings = (0..<perStation).lazy.flatMap { i in
                // Seasonal swell plus a flood every few weeks, different per station, and the rain before it.
                let t = Double(i) / 288
                let value = 1.5 + sin(t / 58) + 2.5 * max(0, sin(t / 4.3 + Double(index)))
                let rain = max(0, 6 * sin(t / 4.3 + Double(index) + 0.4) - 2)
                let ts = start + Int64(i) * 300_000
                return [
                    Reading(station: station.id, sensor: .level, timestamp: ts, value: (value * 100).rounded() / 100),
                    Reading(station: station.id, sensor: .rain, timestamp: ts, value: (rain * 10).rounded() / 10),
                ]
            }
            try store.importReadings(readings, receivedAt: start)
        }
        let (created, bytes) = try store.readingCountAndSize()
        let elapsed = ContinuousClock.now - began
        print("  \(created) readings in \(elapsed.components.seconds) s, \(bytes / max(created, 1)) bytes each")
        return store
    }
}
