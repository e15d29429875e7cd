import Gauges
import PostgresNIO
import Storage
import Warnings

extension PostgresDatabase {
    /// The advisory lock the catalogue's synchronisation holds until it commits (an arbitrary constant: "FWstatns").
    static let catalogueLock: Int64 = 0x4657_7374_6174_6E73

    /// Writes the catalogue into `stations` and `sensors` and numbers each of its sensors' series, as the SQLite
    /// store does (`FloodDatabase.synchronizeStations`): stations no longer in the catalogue keep their row, marked
    /// `in_catalogue = 0`, because their readings stay. In one transaction, under an advisory lock: instances
    /// starting together take turns (the second's insert of a sensor the first had just written failed on its key,
    /// and that instance did not start).
    public func synchronizeStations(_ catalogue: StationCatalogue, now: Int64) async throws {
        try await pooledTransaction { [logger] connection in
            try await connection.checkedQuery("SELECT pg_advisory_xact_lock(\(Self.catalogueLock))", logger: logger)
            try await connection.checkedQuery("UPDATE stations SET in_catalogue = 0", logger: logger)
            try await connection.checkedQuery("DELETE FROM sensors", logger: logger)
            for station in catalogue.stations {
                let levels = station.alarmLevels
                try await connection.checkedQuery(
                    """
                    INSERT INTO stations (id, name, river, basin, lat, lon, alarm_1, alarm_2, alarm_3,
                                          record_level, record_year, in_catalogue, updated_at)
                    VALUES (\(station.id), \(station.name), \(station.river), \(station.basin), \(station.latitude),
                            \(station.longitude), \(levels.levelI), \(levels.levelII), \(levels.levelIII),
                            \(station.record?.level), \(station.record?.year), 1, \(now))
                    \(unescaped: FloodDatabase.stationUpdate)
                    """, logger: logger)
                for sensor in station.sensors {
                    try await connection.checkedQuery(
                        """
                        INSERT INTO sensors (station, sensor, unit, interval_s, min_value, max_value)
                        VALUES (\(station.id), \(sensor.kind.rawValue), \(sensor.unit), \(sensor.interval),
                                \(sensor.range.lowerBound), \(sensor.range.upperBound))
                        """, logger: logger)
                    try await connection.checkedQuery(
                        """
                        INSERT INTO series (station, sensor) VALUES (\(station.id), \(sensor.kind.rawValue))
                        ON CONFLICT (station, sensor) DO NOTHING
                        """, logger: logger)
                }
            }
        }
        // Numbered now, so that storing their readings needs no query for the number.
        let numbers = try await read("SELECT id, station, sensor FROM series") { rows in
            var numbers: [SensorKey: Int32] = [:]
            for try await (id, station, sensor) in rows.decode((Int32, String, String).self) {
                guard let kind = SensorKind(rawValue: sensor) else { continue }
                numbers[SensorKey(station: station, sensor: kind)] = id
            }
            return numbers
        }
        seriesNumbers.withLock { $0 = numbers }
    }
}
