import GRDB
import Gauges
import Warnings

extension FloodDatabase {
    /// Every series number stored, by station and sensor: read when the database opens and after the catalogue is
    /// synchronised (which numbers every catalogue sensor), so that storing a reading needs no query for it.
    /// Numbers are never changed or reused, so one read stays right.
    static func seriesNumbers(in db: Database) throws -> [SensorKey: Int64] {
        var numbers: [SensorKey: Int64] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT id, station, sensor FROM series") {
            guard let sensor = SensorKind(rawValue: row["sensor"]) else { continue }
            numbers[SensorKey(station: row["station"], sensor: sensor)] = row["id"]
        }
        return numbers
    }

    /// The open hour of every series with readings (`OpenHours`): one lookup of its newest reading a series. Its sums
    /// are not known: it is summed from the table when it closes.
    static func openHours(in db: Database) throws -> OpenHours {
        var hours = OpenHours()
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT id, (SELECT (MAX(ts) / 3600000) * 3600000 FROM series_readings WHERE series = series.id) AS hour
                FROM series
                """)
        while let row = try rows.next() {
            if let hour: Int64 = row["hour"] { hours[row["id"]] = OpenHour(bucket: hour) }
        }
        hours.keep()
        return hours
    }

    /// The number of a series, given one inside the caller's transaction when it has none yet.
    static func seriesNumber(station: String, sensor: String, in db: Database) throws -> Int64 {
        let arguments: StatementArguments = [station, sensor]
        if let id = try Int64.fetchOne(
            db.cachedStatement(sql: "SELECT id FROM series WHERE station = ? AND sensor = ?"), arguments: arguments)
        {
            return id
        }
        try db.cachedStatement(sql: "INSERT INTO series (station, sensor) VALUES (?, ?)").execute(arguments: arguments)
        return db.lastInsertedRowID
    }
}
