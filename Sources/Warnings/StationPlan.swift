import Gauges

/// One step of a station's alarm ladder: BĐ I–III as levels 1–3, the highest flood on record as level 4.
struct AlarmStep: Sendable, Hashable {
    var level: Int
    var metres: Double
}

/// What the engine needs of one station, worked out once from the catalogue.
final class StationPlan: Sendable {
    let station: Station
    /// Position in the catalogue: readings of one instant are evaluated, and events listed, in catalogue order.
    let index: Int
    /// The known alarm levels, then the record, lowest level first. A missing BĐ has no step.
    let alarms: [AlarmStep]
    /// The rain windows with thresholds, shortest first; empty when the rain rule is off.
    let rainWindows: [RainWindow]
    /// How far back the level sensor's window must reach behind its newest reading (ms).
    let levelHistoryMilliseconds: Int64
    /// The station's rules, stored rather than read through `station`: a computed `station.rules` copied the whole
    /// `StationRules` (every rule, their arrays retained) for each rule a reading went through.
    let rules: StationRules
    /// A reservoir's normal water level, for the `pool` rule, which every level reading meets.
    let normalLevel: Double?
    /// The area (commune, ward) the station stands in, if the catalogue says.
    let area: Area?
    /// A reservoir's areas downstream, told of its releases.
    let downstream: [Area]
    /// What Article 46 needs here, for the `landslide` rule and the risk line of `rain` messages; nil without a rain
    /// sensor, an area with a landslide risk zone, a province zone, or a table.
    let landslide: LandslidePlan?
    /// The station's zone for Article 45 and the tables, for the risk level of its `level` warnings; nil without a
    /// flood zone.
    let floodRisk: (zone: Int, tables: RiskTables)?
    /// The province's zone (`risk_zone`), for saying why a rain message's risk level is not determined.
    private let provinceZone: Int?

    /// The stretch of readings behind "now" that the trend word of a message is fitted to.
    static let trendSeconds = 3600

    init(station: Station, index: Int, catalogue: StationCatalogue) {
        self.station = station
        self.index = index
        area = catalogue.area(of: station)
        downstream = (station.reservoir?.downstream ?? []).compactMap(catalogue.area)
        landslide = LandslidePlan(station: station, area: area, catalogue: catalogue)
        floodRisk = station.floodZone.map { ($0, catalogue.riskTables) }
        provinceZone = catalogue.riskZone
        var alarms = station.alarmLevels.known.map { AlarmStep(level: $0.level, metres: $0.metres) }
        if let record = station.record { alarms.append(AlarmStep(level: 4, metres: record.level)) }
        self.alarms = alarms
        let rules = station.rules
        self.rules = rules
        normalLevel = station.reservoir?.normalLevel
        rainWindows =
            !rules.rain.enabled
            ? []
            : rules.rain.thresholds.keys.sorted().compactMap { seconds in
                guard seconds > 0, let thresholds = rules.rain.thresholds[seconds], !thresholds.isEmpty else {
                    return nil
                }
                return RainWindow(seconds: seconds, thresholds: thresholds)
            }
        levelHistoryMilliseconds = Int64(Self.levelHistorySeconds(station)) * 1000
    }

    var id: String { station.id }

    /// Article 45's assessment of water at `level`, at a station with a flood zone; nil without one, or below every
    /// band (a warning coming down within its deadband).
    func floodRisk(at level: Double) -> RiskAssessment? {
        guard let floodRisk else { return nil }
        let assessment = floodRisk.tables.flood(level: level, alarmLevels: station.alarmLevels, zone: floodRisk.zone)
        return assessment == .none ? nil : assessment
    }

    /// The last line of a flood warning (`level`, `rise`, `forecast`, the crest) for water at `level`: Article 45's
    /// answer, "below level 1" included, or that the station has no flood zone. Unlike `floodRisk(at:)`, which
    /// decides what the warning's state and `risk_level` hold, it always has something to say.
    func floodRiskStatement(at level: Double) -> RiskStatement {
        guard let floodRisk else { return .noFloodZone }
        // No rows at all (a catalogue built without the Decision's tables) decide nothing, not "below level 1".
        guard !floodRisk.tables.article45.isEmpty else { return .assessed(.undetermined) }
        return .assessed(floodRisk.tables.flood(level: level, alarmLevels: station.alarmLevels, zone: floodRisk.zone))
    }

    /// The last line of a `rain` warning: Article 46's answer for the gauge's area from the rolling sums of
    /// `LandslidePlan` (the same the `landslide` rule judges), or which input the catalogue lacks.
    func landslideRiskStatement(_ sums: RollingSum?) -> RiskStatement {
        if let landslide, let sums { return .assessed(landslide.assess(sums).risk) }
        guard let area else { return .noArea }
        guard area.landslideRisk != nil else { return .noLandslideRisk(area) }
        guard provinceZone != nil else { return .noProvinceZone }
        // Zones known but no row of the Article with a 24-hour band: the text at hand does not decide.
        return .assessed(.undetermined)
    }

    /// The highest alarm level `value` has reached, lowered by `deadband` (0 below the lowest one).
    func alarmLevel(of value: Double, deadband: Double = 0) -> Int {
        var level = 0
        for step in alarms where value >= step.metres - deadband { level = max(level, step.level) }
        return level
    }

    func alarm(_ level: Int) -> AlarmStep? {
        alarms.first { $0.level == level }
    }

    /// The level at which a silent gauge is level 2: BĐ II, or BĐ III when BĐ II is unknown.
    var silentAlarm: AlarmStep? {
        alarm(2) ?? alarm(3)
    }

    /// Seconds of level readings the rules look back over: the rise window plus the silence limit (so that the
    /// reading before `t − window` is at hand whenever the gauge has not been silent), the forecast window, and the
    /// trend of the messages.
    static func levelHistorySeconds(_ station: Station) -> Int {
        guard let sensor = station.sensor(.level) else { return 0 }
        let rules = station.rules
        var seconds = trendSeconds
        if rules.rise.enabled {
            seconds = max(seconds, rules.rise.windowSeconds + rules.silent.limit(interval: sensor.interval))
        }
        if rules.forecast.enabled { seconds = max(seconds, rules.forecast.windowSeconds) }
        return seconds
    }

    /// Seconds of readings any sensor of the station needs behind its newest reading.
    var historySeconds: Int {
        var seconds = Int(levelHistoryMilliseconds / 1000)
        if station.sensor(.rain) != nil, let longest = rainWindows.last { seconds = max(seconds, longest.seconds) }
        if let landslide { seconds = max(seconds, landslide.windowSeconds.last ?? 0) }
        if station.sensor(.outflow) != nil { seconds = max(seconds, rules.release.stepWindowSeconds) }
        return seconds
    }
}

/// One rain window and its thresholds, also as exact sums (thousandths of a millimetre).
struct RainWindow: Sendable, Hashable {
    var seconds: Int
    var thresholds: [Double]
    var units: [Int64]

    init(seconds: Int, thresholds: [Double]) {
        self.seconds = seconds
        self.thresholds = thresholds
        units = thresholds.map(RollingSum.units)
    }

    /// The level of a sum: the highest n whose threshold it reaches.
    func level(of sum: Int64) -> Int {
        var level = 0
        for (index, threshold) in units.enumerated() where sum >= threshold { level = index + 1 }
        return level
    }
}
