import Gauges

/// The simulated basin: one storm, a rain series for every rain gauge and a hydrograph for every level gauge
/// of the catalogue, all derived from one seed.
///
/// Values depend only on the seed, the station and the storm time, never on when or in which order they are
/// asked for: live mode, accelerated mode and a test asking for the same storm hour get the same reading.
/// Pure value type, no I/O.
struct BasinSimulation: Sendable {
    let seed: UInt64
    let storm: Storm
    private(set) var rain: [String: RainSeries] = [:]
    private(set) var levels: [String: Hydrograph] = [:]
    private var ranges: [String: ClosedRange<Double>] = [:]

    /// Metres of random sensor noise on a level reading (a pressure or radar gauge is good to about a centimetre).
    static let levelNoise = 0.005

    init(stations: [Station], seed: UInt64, storm kind: StormKind = .typhoon) {
        self.seed = seed
        storm = Storm(kind: kind, seed: seed)
        // Catalogue order, not dictionary order: the basin mean must add up the same way in every run.
        var gauges: [RainSeries] = []
        for station in stations where station.sensor(.rain) != nil {
            let profile = StationProfile.of(station.id)
            var random = SeededRandom(seed: seed, stream: "rain/" + station.id)
            let series = RainSeries(
                storm: storm, factor: profile.rainFactor, delayHours: profile.rainDelayHours, random: &random)
            rain[station.id] = series
            gauges.append(series)
        }
        let basinRain = Self.rainGrid(storm: storm, gauges: gauges)
        for station in stations {
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
    /// or the rain in mm fallen in between, times `rainScale` (see `RainSeries.report`). Nil for a sensor the
    /// simulation has no model for.
    func value(
        station: String, sensor: SensorKind, atHours hours: Double, previousHours: Double, rainScale: Double = 1
    ) -> Double? {
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
            // No reservoir model yet: a reservoir's flows are not simulated.
            return nil
        }
    }

    /// All readings of a station at storm time `hours`, in catalogue sensor order.
    func sample(_ station: Station, atHours hours: Double, previousHours: Double, rainScale: Double = 1)
        -> StationSample
    {
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
