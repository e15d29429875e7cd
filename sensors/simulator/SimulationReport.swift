import Gauges

/// The lines the simulator prints about the simulated basin: what each station will do this storm, and where
/// the rivers stand now. Kept apart from the loops so the wording lives in one place.
enum SimulationReport {
    /// One line per station: a level station's base, this storm's peak and its storm hour against the alarm levels;
    /// a rain gauge's wettest 24 hours and the days of rain before them; a reservoir's inflow, releases and level.
    static func envelopes(_ simulation: BasinSimulation, stations: [Station]) -> [String] {
        stations.compactMap { station in
            if let reservoir = simulation.reservoirs[station.id] {
                return "  \(station.id): reservoir, inflow peak \(flow(reservoir.peakInflow)) m³/s near storm hour "
                    + "\(Int(reservoir.inflows.peakHours.rounded())), outflow peak \(flow(reservoir.peakOutflow)) m³/s "
                    + "(turbines \(flow(ReservoirSimulation.turbines)) + spillway, holding "
                    + "\(metres(reservoir.holdLevel)) m), level \(metres(reservoir.startLevel)) m at the start, "
                    + "highest \(metres(reservoir.highestLevel)) m"
                    + (station.reservoir?.normalLevel.map { " (normal level \(metres($0)) m)" } ?? "")
            }
            if let hydrograph = simulation.levels[station.id] {
                let alarms = station.alarmLevels.known.map { "BĐ \(roman($0.level)) \(metres($0.metres))" }
                return "  \(station.id): level base \(metres(hydrograph.base)) m, peak \(metres(hydrograph.peak)) m "
                    + "near storm hour \(Int(hydrograph.peakHours.rounded())) "
                    + "(\(alarms.isEmpty ? "no alarm levels" : alarms.joined(separator: ", ")))"
            }
            if let rain = simulation.rain[station.id] {
                return "  \(station.id): rain only, \(rainTotals(rain))"
                    + (station.area.map { " (area \($0))" } ?? "")
            }
            return nil
        }
    }

    /// `313.3 mm in the wettest 24 h (to storm hour 96), after 3 or more days of rain; 408 mm per storm`.
    static func rainTotals(_ rain: RainSeries) -> String {
        let days = rain.priorRainDays()
        let before =
            switch days {
            case 0: "no rain the day before"
            case 1: "after 1 day of rain"
            case 2: "after 2 days of rain"
            default: "after 3 or more days of rain"
            }
        return "\(millimetres(rain.wettest24Hours)) mm in the wettest 24 h "
            + "(to storm hour \(Int(rain.wettestEndHours.rounded()))), \(before); "
            + "\(Int(rain.cycleTotal.rounded())) mm per storm"
    }

    /// `ai-nghia 7.12 m (BĐ I)`-style list of every level station at a storm time; a reservoir with its flows.
    static func levels(_ simulation: BasinSimulation, stations: [Station], atHours hours: Double) -> String {
        stations.compactMap { station -> String? in
            if let reservoir = simulation.reservoirs[station.id] {
                return "\(station.id) \(metres(reservoir.level(atHours: hours))) "
                    + "(in \(flow(reservoir.inflow(atHours: hours))), out \(flow(reservoir.outflow(atHours: hours))) m³/s)"
            }
            guard
                let level = simulation.value(station: station.id, sensor: .level, atHours: hours, previousHours: hours)
            else { return nil }
            let reached = station.alarmLevels.known.last { level >= $0.metres }
            return "\(station.id) \(metres(level))" + (reached.map { " (BĐ \(roman($0.level)))" } ?? "")
        }.joined(separator: ", ")
    }

    /// Whole m³/s with thousands separated: `8,775`.
    static func flow(_ value: Double) -> String {
        let whole = Int64(value.rounded())
        let digits = String(whole.magnitude)
        var grouped = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { grouped += "," }
            grouped.append(digit)
        }
        return (whole < 0 ? "-" : "") + grouped
    }

    /// Millimetres to the tenth: `313.3`.
    static func millimetres(_ value: Double) -> String {
        let tenths = Int64((value * 10).rounded())
        return "\(tenths / 10).\(tenths.magnitude % 10)"
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
