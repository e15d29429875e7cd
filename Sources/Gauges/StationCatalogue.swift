/// All stations FloodWatch accepts readings from, and the places they warn about. Readings from any other station
/// are rejected.
public struct StationCatalogue: Sendable {
    /// The stations in catalogue order.
    public let stations: [Station]
    /// The communes and wards (`areas:`), in catalogue order.
    public let areas: [Area]
    /// The province's zone (khu vực 1–4) in Appendix XII of Decision 18/2021/QĐ-TTg, for the risk levels of flash
    /// floods and landslides; nil when the catalogue does not set it.
    public let riskZone: Int?
    /// The Decision's tables of risk levels (the loader attaches the bundled ones); none for a catalogue built in code.
    public let riskTables: RiskTables
    private let byID: [String: Int]
    private let areasByID: [String: Int]
    /// Each station's `Intake`, in catalogue order.
    private let intakes: [Intake]

    /// What the payload decoder needs of a station: its id and sensors. Copying a whole `Station` for every message
    /// retained and released each of its dozen strings, arrays and rules (with the lookup, 3.5 % of the samples of
    /// a drain of 10,000 stations).
    public struct Intake: Sendable {
        public let id: String
        /// The station's place in the catalogue.
        public let index: Int
        /// In catalogue order.
        public let sensors: [Sensor]

        /// The sensor of that kind, if the station has one.
        public func sensor(_ kind: SensorKind) -> Sensor? {
            sensors.first { $0.kind == kind }
        }
    }

    /// - Precondition: ids are unique, and every area a station names is listed; the catalogue loader reports
    ///   both with their line.
    public init(stations: [Station], areas: [Area] = [], riskZone: Int? = nil, riskTables: RiskTables = .none) {
        self.stations = stations
        self.areas = areas
        self.riskZone = riskZone
        self.riskTables = riskTables
        var byID: [String: Int] = [:]
        for (index, station) in stations.enumerated() {
            precondition(byID[station.id] == nil, "duplicate station id \(station.id)")
            byID[station.id] = index
        }
        self.byID = byID
        intakes = stations.enumerated().map { Intake(id: $1.id, index: $0, sensors: $1.sensors) }
        var areasByID: [String: Int] = [:]
        for (index, area) in areas.enumerated() {
            precondition(areasByID[area.id] == nil, "duplicate area id \(area.id)")
            areasByID[area.id] = index
        }
        self.areasByID = areasByID
        for station in stations {
            for id in [station.area].compactMap({ $0 }) + (station.reservoir?.downstream ?? []) {
                precondition(areasByID[id] != nil, "station \(station.id) names unknown area \(id)")
            }
        }
    }

    /// The catalogue of the stations `ids` names (in catalogue order), with every area and the risk tables: what
    /// the warning engine of one slot watches (issue 17), so that it never calls another slot's gauges silent.
    public func only(_ ids: Set<String>) -> StationCatalogue {
        StationCatalogue(
            stations: stations.filter { ids.contains($0.id) }, areas: areas, riskZone: riskZone, riskTables: riskTables)
    }

    public subscript(id: String) -> Station? {
        byID[id].map { stations[$0] }
    }

    /// A number for each sensor a catalogue can hold, from its station's place in the catalogue and its kind: the
    /// numbers of one catalogue's sensors are distinct, small and dense (at most 4 a station).
    public static func sensorIndex(station: Int, kind: SensorKind) -> Int {
        station * SensorKind.allCases.count + kind.ordinal
    }

    /// The decoder's view of the station with this id.
    public func intake(_ id: String) -> Intake? {
        byID[id].map { intakes[$0] }
    }

    /// The area with this id.
    public func area(_ id: String) -> Area? {
        areasByID[id].map { areas[$0] }
    }

    /// The area a station stands in, if the catalogue says.
    public func area(of station: Station) -> Area? {
        station.area.flatMap(area)
    }
}
