import Gauges

/// The simulated stations of every benchmark: `bench-00000`, `bench-00001`, … each with a level sensor reporting
/// every 5 minutes (and a rain sensor with `rain`), alarm levels BĐ I 2 m, II 3 m, III 4 m, and the silent-gauge
/// rule off: benchmarks publish hours of reading time in seconds, which that rule was not made for.
///
/// Defined once, as `Station` values; the catalogue file that `serve --stations` reads is written from the same
/// values. (Parsing a 10,000-station file instead would leave the YAML parser's memory in the process whose peak
/// the benchmark measures.)
enum BenchStations {
    static func catalogue(_ count: Int, rain: Bool = false) -> StationCatalogue {
        var rules = StationRules()
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

    /// `catalogue(count, rain:)` as a catalogue file.
    static func yaml(_ count: Int, rain: Bool) -> String {
        let stations = catalogue(count, rain: rain).stations
        let silent = stations.first?.rules.silent.enabled ?? true
        return "rules:\n  silent: {enabled: \(silent)}\nstations:\n"
            + stations.map { station in
                var text = "  - id: \(station.id)\n    name: \(station.name)\n    river: \(station.river)\n"
                text += "    lat: \(station.latitude)\n    lon: \(station.longitude)\n    sensors:\n"
                for sensor in station.sensors {
                    text += "      \(sensor.kind.rawValue): {interval: \(sensor.interval)s, "
                    text += "range: [\(sensor.range.lowerBound), \(sensor.range.upperBound)]}\n"
                }
                let levels = station.alarmLevels.known.map { "\(["I", "II", "III"][$0.level - 1]): \($0.metres)" }
                return text + "    alarm_levels: {\(levels.joined(separator: ", "))}\n"
            }.joined()
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
