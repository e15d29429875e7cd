import Gauges

/// The lines the simulator prints about the simulated basin: what each station will do this storm, and where
/// the rivers stand now. Kept apart from the loops so the wording lives in one place.
enum SimulationReport {
    /// One line per level station: base, this storm's peak and its storm hour, against the alarm levels.
    static func envelopes(_ simulation: BasinSimulation, stations: [Station]) -> [String] {
        stations.compactMap { station in
            if let hydrograph = simulation.levels[station.id] {
                let alarms = station.alarmLevels.known.map { "BĐ \(roman($0.level)) \(metres($0.metres))" }
                return "  \(station.id): level base \(metres(hydrograph.base)) m, peak \(metres(hydrograph.peak)) m "
                    + "near storm hour \(Int(hydrograph.peakHours.rounded())) "
                    + "(\(alarms.isEmpty ? "no alarm levels" : alarms.joined(separator: ", ")))"
            }
            if let rain = simulation.rain[station.id] {
                return "  \(station.id): rain only, \(Int(rain.cycleTotal.rounded())) mm per storm"
            }
            return nil
        }
    }

    /// `ai-nghia 7.12 m (BĐ I)`-style list of every level station at a storm time.
    static func levels(_ simulation: BasinSimulation, stations: [Station], atHours hours: Double) -> String {
        stations.compactMap { station -> String? in
            guard
                let level = simulation.value(station: station.id, sensor: .level, atHours: hours, previousHours: hours)
            else { return nil }
            let reached = station.alarmLevels.known.last { level >= $0.metres }
            return "\(station.id) \(metres(level))" + (reached.map { " (BĐ \(roman($0.level)))" } ?? "")
        }.joined(separator: ", ")
    }

    static func roman(_ level: Int) -> String {
        ["0", "I", "II", "III"][min(max(level, 0), 3)]
    }

    static func metres(_ value: Double) -> String {
        let centimetres = Int64((value * 100).rounded())
        let sign = centimetres < 0 ? "-" : ""
        let magnitude = centimetres.magnitude
        let fraction = magnitude % 100
        return "\(sign)\(magnitude / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}
