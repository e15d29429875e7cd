import Alerts
import PostgresNIO
import Storage

/// The database as it stood at a past time T, read from PostgreSQL as from SQLite (`FloodDatabase+AsOf.swift`): what
/// a situation report (bản tin) made "at T" states. Only rows whose own time (`ts`) is at or before T count.
extension PostgresDatabase {
    /// The newest good reading (quality 0) of a sensor at or before `time`, and the newest good one at least an hour
    /// older than it (for the trend). Suspect readings are left out until confirmed: a report states measurements.
    public func latest(station: String, sensor: String, at time: Int64) async throws
        -> (StoredReading, hourBefore: StoredReading?)?
    {
        try await newest(station: station, sensor: sensor, atOrBefore: time, goodOnly: true)
    }

    /// The sum and count of the good readings of a sensor with `after < ts <= through`: the rain of a window. A rain
    /// reading is the rain since the gauge's previous report, so one stamped at the window's start fell before it.
    public func total(station: String, sensor: String, after: Int64, through: Int64) async throws
        -> (sum: Double, count: Int)
    {
        try await read(
            """
            SELECT COALESCE(sum(r.value), 0), count(*) FROM series AS s JOIN series_readings AS r ON r.series = s.id
            WHERE s.station = \(station) AND s.sensor = \(sensor) AND r.ts > \(after) AND r.ts <= \(through)
                AND r.quality = 0
            """
        ) { rows in
            for try await (sum, count) in rows.decode((Double, Int).self) { return (sum, count) }
            return (0, 0)
        }
    }

    /// The warnings that were active at `time`: for each (station, sensor, rule), the latest event at or before
    /// `time` that is not an acknowledgement, when its level is above 0; with the acknowledgement made by then that
    /// covers its level, if any.
    public func activeWarnings(at time: Int64) async throws -> [ActiveWarning] {
        try await read(
            """
            SELECT a.*, (SELECT ts FROM warnings WHERE id = a.warning_id) AS raised_at,
                   k.acknowledged_by AS ack_by, k.created_at AS ack_at
            FROM warnings AS a
            JOIN (SELECT max(id) AS id FROM warnings WHERE event != 'acknowledged' AND ts <= \(time)
                  GROUP BY station, sensor, rule) AS latest ON a.id = latest.id
            LEFT JOIN warnings AS k ON k.id = (
                SELECT max(id) FROM warnings WHERE warning_id = a.warning_id AND event = 'acknowledged'
                AND ts <= \(time)
                AND id > (SELECT max(id) FROM warnings WHERE warning_id = a.warning_id
                          AND event IN ('raised', 'escalated', 'updated') AND ts <= \(time)))
            WHERE a.level > 0
            ORDER BY a.station COLLATE "C", a.sensor COLLATE "C", a.rule COLLATE "C"
            """
        ) { rows in try await Self.activeWarnings(from: rows) }
    }
}
