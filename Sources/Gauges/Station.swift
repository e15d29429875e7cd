/// A gauging station of the catalogue (`sensors/stations.yaml`), or a reservoir that reports like one.
public struct Station: Sendable, Hashable, Identifiable {
    /// What the station is: a river or rain gauge, or a reservoir (level above sea level, inflow, outflow).
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case gauge
        case reservoir
    }
    /// The catalogue id, used in MQTT topics and database rows, e.g. `cau-lau`.
    public var id: String
    /// The name people use, with Vietnamese diacritics, e.g. `Câu Lâu`.
    public var name: String
    public var river: String
    public var basin: String?
    public var latitude: Double
    public var longitude: Double
    /// Whether the position is approximate.
    public var approximate: Bool
    public var kind: Kind
    /// A reservoir's operating levels and the areas downstream of it; nil for a gauge.
    public var reservoir: Reservoir?
    /// The id of the area (commune, ward) the station stands in, if the catalogue says.
    public var area: String?
    /// The station's zone (khu vực 1–4) for the flood risk levels of Article 45 of Decision 18/2021/QĐ-TTg, where
    /// known.
    public var floodZone: Int?
    /// The sensors the station reports, in catalogue order.
    public var sensors: [Sensor]
    public var alarmLevels: AlarmLevels
    public var record: FloodRecord?
    /// How the warning rules judge this station.
    public var rules: StationRules

    public init(
        id: String,
        name: String,
        river: String,
        basin: String? = nil,
        latitude: Double,
        longitude: Double,
        approximate: Bool = false,
        kind: Kind = .gauge,
        reservoir: Reservoir? = nil,
        area: String? = nil,
        floodZone: Int? = nil,
        sensors: [Sensor],
        alarmLevels: AlarmLevels = AlarmLevels(),
        record: FloodRecord? = nil,
        rules: StationRules = StationRules()
    ) {
        self.id = id
        self.name = name
        self.river = river
        self.basin = basin
        self.latitude = latitude
        self.longitude = longitude
        self.approximate = approximate
        self.kind = kind
        self.reservoir = reservoir
        self.area = area
        self.floodZone = floodZone
        self.sensors = sensors
        self.alarmLevels = alarmLevels
        self.record = record
        self.rules = rules
    }

    /// The sensor of that kind, if the station has one.
    public func sensor(_ kind: SensorKind) -> Sensor? {
        sensors.first { $0.kind == kind }
    }
}

/// What the catalogue knows of a reservoir (`reservoir:` of a station of `kind: reservoir`).
public struct Reservoir: Sendable, Hashable {
    /// The normal water level (mực nước dâng bình thường), metres above sea level, where public.
    public var normalLevel: Double?
    /// The areas (communes) downstream, where its releases are felt, by id.
    public var downstream: [String]

    public init(normalLevel: Double? = nil, downstream: [String] = []) {
        self.normalLevel = normalLevel
        self.downstream = downstream
    }
}
