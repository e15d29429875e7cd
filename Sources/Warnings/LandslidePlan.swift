import Gauges

/// What the `landslide` rule needs at one rain gauge: its area's risk zone, the province's zone, the table of
/// Article 46, and the 24-hour rain tiers the Article's rows are written in.
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
        guard station.sensor(.rain) != nil, station.rules.landslide.enabled, let area, let risk = area.landslideRisk,
            let khuVuc = catalogue.riskZone
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

    /// The tier the 24-hour rain has reached: 0 below the lowest.
    func tier(of rain: Double) -> Int {
        tiers.filter { $0.exclusive ? rain > $0.minimum : rain >= $0.minimum }.count
    }
}
