import Gauges

/// The simulated stations of the benchmarks: `bench-00000`, `bench-00001`, … each with one level sensor reporting
/// every 5 minutes (and a rain sensor with `rain`) and alarm levels BĐ I 2 m, II 3 m, III 4 m.
enum BenchCatalogue {
    static func stations(_ count: Int, rain: Bool = false) -> StationCatalogue {
        var rules = StationRules()
        // Benchmarks publish hours of readings in seconds: the silent-gauge rule would judge reading times it
        // was not made for.
        rules.silent.enabled = false
        return StationCatalogue(
            stations: (0..<count).map { index in
                Station(
                    id: id(index), name: "Bench \(index)", river: "Bench", latitude: 15, longitude: 108,
                    sensors: [Sensor(kind: .level, interval: 300, range: -5...30)]
                        + (rain ? [Sensor(kind: .rain, interval: 300, range: 0...150)] : []),
                    alarmLevels: AlarmLevels(levelI: 2, levelII: 3, levelIII: 4), rules: rules)
            })
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
