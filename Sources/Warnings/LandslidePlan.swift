import Gauges

/// What Article 46 needs at one rain gauge: its area's risk zone, the province's zone, the table of the Article, and
/// the 24-hour rain tiers the Article's rows are written in.
///
/// Made whether or not the `landslide` rule is on: the `rain` rule's messages state the same risk level from the
/// same sums, and a station turning the `landslide` rule off does not make that level unknown.
struct LandslidePlan: Sendable {
    let area: Area
    let risk: Area.LandslideRisk
    /// The province's zone (khu vực) of Appendix XII.
    let khuVuc: Int
    let tables: RiskTables
    /// The lower bounds of the 24-hour rain bands of the Article's rows, lowest first ("từ 100 mm", "trên 200 mm",
    /// "trên 400 mm"): the rule's levels 1, 2, 3.
    let tiers: [(minimum: Double, exclusive: Bool)]
    let settings: StationRules.LandslideRule

    /// The rolling windows: the last 24 hours, and the three 24-hour windows before it, whose rain makes the days
    /// of prior rain ("trên 2 ngày" needs the third).
    let windowSeconds = [86_400, 172_800, 259_200, 345_600]

    init?(station: Station, area: Area?, catalogue: StationCatalogue) {
        guard station.sensor(.rain) != nil, let area, let risk = area.landslideRisk, let khuVuc = catalogue.riskZone
        else { return nil }
        var tiers: [(minimum: Double, exclusive: Bool)] = []
        for band in catalogue.riskTables.article46.compactMap(\.rain24h) {
            guard let minimum = band.minimum,
                !tiers.contains(where: { $0.minimum == minimum && $0.exclusive == band.minimumExclusive })
            else { continue }
            tiers.append((minimum, band.minimumExclusive))
        }
        guard !tiers.isEmpty else { return nil }
        self.area = area
        self.risk = risk
        self.khuVuc = khuVuc
        self.tables = catalogue.riskTables
        self.tiers = tiers.sorted { $0.minimum < $1.minimum }
        settings = station.rules.landslide
    }

    /// The rain of the last 24 hours (mm), the days it had rained before (0–3, 3 for "more than 2"), and the risk
    /// level the Article gives them in this area.
    func assess(_ sums: RollingSum) -> (rain: Double, priorDays: Int, risk: RiskAssessment) {
        let rain = Double(sums.sum(0)) / 1000
        let priorDays = LandslideRule.priorRainDays(sums, dayMillimetres: settings.rainDayMillimetres)
        return (rain, priorDays, tables.landslide(rain24h: rain, priorRainDays: priorDays, zone: khuVuc, risk: risk))
    }

    /// The tier the 24-hour rain has reached: 0 below the lowest.
    func tier(of rain: Double) -> Int {
        tiers.filter { $0.exclusive ? rain > $0.minimum : rain >= $0.minimum }.count
    }
}
