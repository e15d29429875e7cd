import Catalogue
import Gauges

/// The simulated stations of every benchmark: `bench-00000`, `bench-00001`, … each with a level sensor reporting
/// every 5 minutes (and a rain sensor with `rain`), alarm levels BĐ I 2 m, II 3 m, III 4 m, and the silent-gauge
/// rule off: benchmarks publish hours of reading time in seconds, which that rule was not made for.
///
/// Written once, as a catalogue file (what `serve --stations` reads), and loaded from that text for the services
/// the benchmarks run in-process: both always describe the same stations.
enum BenchStations {
    static func yaml(_ count: Int, rain: Bool) -> String {
        let sensors =
            "      level: {interval: 5m, range: [-5, 30]}\n"
            + (rain ? "      rain: {interval: 5m, range: [0, 150]}\n" : "")
        return "rules:\n  silent: {enabled: false}\nstations:\n"
            + (0..<count).map { index in
                "  - id: \(id(index))\n    name: Bench \(index)\n    river: Bench\n    lat: 15\n    lon: 108\n"
                    + "    sensors:\n" + sensors + "    alarm_levels: {I: 2, II: 3, III: 4}\n"
            }.joined()
    }

    static func catalogue(_ count: Int, rain: Bool = false) throws -> StationCatalogue {
        try CatalogueLoader.parse(yaml: yaml(count, rain: rain), file: "bench stations")
    }

    static func id(_ index: Int) -> String {
        let digits = String(index)
        return "bench-" + String(repeating: "0", count: max(0, 5 - digits.count)) + digits
    }

    /// The index in `id`, or nil for another station.
    static func index(of station: String) -> Int? {
        station.hasPrefix("bench-") ? Int(station.dropFirst(6)) : nil
    }
}
