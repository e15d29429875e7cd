/// A gauging station of the catalogue (`sensors/stations.yaml`).
public struct Station: Sendable, Hashable, Identifiable {
    /// The catalogue id, used in MQTT topics and database rows, e.g. `cau-lau`.
    public var id: String
    /// The name people use, with Vietnamese diacritics, e.g. `Câu Lâu`.
    public var name: String
    public var river: String
    public var basin: String?
    public var latitude: Double
    public var longitude: Double
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
