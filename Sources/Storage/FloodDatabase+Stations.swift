import GRDB
import Gauges

extension FloodDatabase {
    /// What a catalogue sync changes of a station already stored: everything but its id, in SQL that SQLite and
    /// PostgreSQL read alike (the PostgreSQL store's sync uses it too).
    public static let stationUpdate = """
        ON CONFLICT (id) DO UPDATE SET
            name = excluded.name, river = excluded.river, basin = excluded.basin,
            lat = excluded.lat, lon = excluded.lon, alarm_1 = excluded.alarm_1,
            alarm_2 = excluded.alarm_2, alarm_3 = excluded.alarm_3,
            record_level = excluded.record_level, record_year = excluded.record_year,
            in_catalogue = 1, updated_at = excluded.updated_at
        """

    /// Writes the catalogue into `stations` and `sensors`, so a dashboard that reads the file alone knows the
    /// stations and their alarm levels. Stations no longer in the catalogue keep their row, marked
    /// `in_catalogue = 0`, because their readings stay.
    public func synchronizeStations(_ catalogue: StationCatalogue, now: Int64) throws {
        try pool.write { db in
            try db.execute(sql: "UPDATE stations SET in_catalogue = 0")
            try db.execute(sql: "DELETE FROM sensors")
            for station in catalogue.stations {
                try db.execute(
                    sql: """
                        INSERT INTO stations (id, name, river, basin, lat, lon, alarm_1, alarm_2, alarm_3,
                                              record_level, record_year, in_catalogue, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)
                        \(Self.stationUpdate)
                        """,
                    arguments: [
                        station.id, station.name, station.river, station.basin, station.latitude,
                        station.longitude, station.alarmLevels.levelI, station.alarmLevels.levelII,
                        station.alarmLevels.levelIII, station.record?.level, station.record?.year, now,
                    ])
                for sensor in station.sensors {
                    try db.execute(
                        sql: """
                            INSERT INTO sensors (station, sensor, unit, interval_s, min_value, max_value)
                            VALUES (?, ?, ?, ?, ?, ?)
                            """,
                        arguments: [
                            station.id, sensor.kind.rawValue, sensor.unit, sensor.interval,
                            sensor.range.lowerBound, sensor.range.upperBound,
                        ])
                    // Numbered now, so that storing its readings needs no query for the number.
                    try db.execute(
                        sql: "INSERT OR IGNORE INTO series (station, sensor) VALUES (?, ?)",
                        arguments: [station.id, sensor.kind.rawValue])
                }
            }
        }
        let numbers = try pool.read { try Self.seriesNumbers(in: $0) }
        seriesNumbers.withLock { $0 = numbers }
    }
}
