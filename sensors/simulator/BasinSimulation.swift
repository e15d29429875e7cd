import Gauges

/// The simulated basin: one storm, a rain series for every rain gauge, a hydrograph for every level gauge and a
/// reservoir model for every reservoir of the catalogue, all derived from one seed.
///
/// Values depend only on the seed, the station and the storm time, never on when or in which order they are
/// asked for: live mode, accelerated mode and a test asking for the same storm hour get the same reading.
/// Pure value type, no I/O.
struct BasinSimulation: Sendable {
    let seed: UInt64
    let storm: Storm
    private(set) var rain: [String: RainSeries] = [:]
    private(set) var levels: [String: Hydrograph] = [:]
    private(set) var reservoirs: [String: ReservoirSimulation] = [:]
    private var ranges: [String: ClosedRange<Double>] = [:]
    /// Storm hours between two reports of a reservoir's figures (its catalogue interval), by station.
    private var reservoirIntervals: [String: Double] = [:]

    /// Metres of random sensor noise on a level reading (a pressure or radar gauge is good to about a centimetre).
    static let levelNoise = 0.005

    init(stations: [Station], seed: UInt64, storm kind: StormKind = .typhoon) {
        self.seed = seed
        storm = Storm(kind: kind, seed: seed)
        // Catalogue order, not dictionary order: the basin mean must add up the same way in every run.
        var gauges: [(station: Station, series: RainSeries)] = []
        for station in stations where station.sensor(.rain) != nil {
            let profile = StationProfile.of(station.id)
            var random = SeededRandom(seed: seed, stream: "rain/" + station.id)
            let series = RainSeries(
                storm: storm, factor: profile.rainFactor, delayHours: profile.rainDelayHours, random: &random)
            rain[station.id] = series
            gauges.append((station, series))
        }
        let basinRain = Self.rainGrid(storm: storm, gauges: gauges.map(\.series))
        for station in stations where station.kind != .reservoir {
            guard let sensor = station.sensor(.level) else { continue }
            let profile = StationProfile.of(station.id)
            var random = SeededRandom(seed: seed, stream: "peak/" + station.id)
            let envelope = StationProfile.envelope(
                alarms: station.alarmLevels, range: sensor.range, draw: random.unit())
            levels[station.id] = Hydrograph(
                basinRain: basinRain, lagHours: profile.lagHours, base: envelope.base, peak: envelope.peak,
                tideAmplitude: profile.tideAmplitude)
            ranges[station.id] = sensor.range
        }
        for station in stations where station.kind == .reservoir {
            // The gauges on the reservoir's own river stand for its catchment; the whole basin where there are none.
            let onRiver = gauges.filter { $0.station.river == station.river }.map(\.series)
            let catchmentRain = onRiver.isEmpty ? basinRain : Self.rainGrid(storm: storm, gauges: onRiver)
            let flows = [station.sensor(.inflow), station.sensor(.outflow)].compactMap { $0?.range }
            let flowRange = flows.dropFirst().reduce(flows.first ?? 0...15_000) {
                max($0.lowerBound, $1.lowerBound)...min($0.upperBound, $1.upperBound)
            }
            reservoirs[station.id] = ReservoirSimulation(
                catchmentRain: catchmentRain, normalLevel: station.reservoir?.normalLevel,
                levelRange: station.sensor(.level)?.range ?? 0...1_000, flowRange: flowRange)
            let interval = station.sensors.map(\.interval).max() ?? 3600
            reservoirIntervals[station.id] = Double(interval) / 3600
        }
    }

    /// The mean rain intensity (mm/h) of the given gauges on the hydrograph grid; the storm's own curve without any.
    private static func rainGrid(storm: Storm, gauges: [RainSeries]) -> [Double] {
        let stepHours = Hydrograph.stepHours
        return (0..<Hydrograph.steps(cycleHours: storm.cycleHours)).map { index in
            let from = Double(index) * stepHours
            guard !gauges.isEmpty else { return storm.intensity(atHours: from + stepHours / 2) }
            let sum = gauges.reduce(0) { $0 + $1.intensity(fromHours: from, untilHours: from + stepHours) }
            return sum / Double(gauges.count)
        }
    }

    /// What a sensor reports at storm time `hours`, having last reported at `previousHours`: the level in metres,
    /// the rain in mm fallen in between, times `rainScale` (see `RainSeries.report`), or a reservoir's flow in
    /// m³/s. Nil for a sensor the simulation has no model for.
    func value(
        station: String, sensor: SensorKind, atHours hours: Double, previousHours: Double, rainScale: Double = 1
    ) -> Double? {
        if let reservoir = reservoirs[station] {
            switch sensor {
            case .level: return reservoir.level(atHours: hours)
            case .inflow: return reservoir.inflow(atHours: hours)
            case .outflow: return reservoir.outflow(atHours: hours)
            case .rain: break
            }
        }
        switch sensor {
        case .rain:
            return rain[station]?.report(fromHours: previousHours, untilHours: hours, scale: rainScale)
        case .level:
            guard let hydrograph = levels[station], let range = ranges[station] else { return nil }
            // Noise keyed by the storm second, so it is the same reading whenever it is produced.
            let noise = SeededRandom.noise(
                seed: seed, stream: "level-noise/" + station, index: Int64((hours * 3600).rounded()))
            let level = hydrograph.level(atHours: hours) + noise * Self.levelNoise
            return min(max(level, range.lowerBound), range.upperBound)
        case .inflow, .outflow:
            // Only a reservoir has flows, and a reservoir is answered above.
            return nil
        }
    }

    /// All readings of a station at storm time `hours`, in catalogue sensor order.
    ///
    /// A reservoir's figures come from its operator once per catalogue interval (hourly) of storm time, not at every
    /// report of the gauges: inflow is worked out from the level's change over the hour, so there is nothing to
    /// send in between. They come at each whole interval, and at the first report of a run (`first`), so a run shows
    /// the reservoir at once. Gauges report every time.
    func sample(
        _ station: Station, atHours hours: Double, previousHours: Double, rainScale: Double = 1, first: Bool = false
    ) -> StationSample {
        if let interval = reservoirIntervals[station.id], !first {
            let slot = (hours / interval + 1e-9).rounded(.down)
            let previousSlot = (previousHours / interval + 1e-9).rounded(.down)
            guard slot > previousSlot else { return StationSample(station: station, values: []) }
        }
        let values = station.sensors.compactMap { sensor in
            value(
                station: station.id, sensor: sensor.kind, atHours: hours, previousHours: previousHours,
                rainScale: rainScale
            )
            .map { SensorValue(sensor: sensor.kind, value: $0) }
        }
        return StationSample(station: station, values: values)
    }
}

/// One sensor's reading before the gauge numbers and sends it.
struct SensorValue: Sendable, Hashable {
    var sensor: SensorKind
    var value: Double
}

/// Every reading of one station at one time.
struct StationSample: Sendable, Hashable {
    var station: Station
    var values: [SensorValue]
}
