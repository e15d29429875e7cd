import Alerts
import GRDB
import Gauges

/// The database as it stood at a past time T: what a situation report (bản tin) stated "at T" reads. Only rows whose
/// own time (`ts`: the reading's, the event's) is at or before T count, so a report of 15:00 made at 18:00 says what
/// one made at 15:00 would have said about the readings stored by then.
extension FloodDatabase {
    /// The newest good reading (quality 0) of a sensor at or before `time`, and the newest good one at least an hour
    /// older than it (for the trend). Suspect readings are left out until confirmed: a report states measurements.
    public func latest(station: String, sensor: String, at time: Int64) async throws
        -> (StoredReading, hourBefore: StoredReading?)?
    {
        try await pool.read { db in
            let newest = try db.cachedStatement(
                sql: """
                    SELECT ts, value, quality FROM readings WHERE station = ? AND sensor = ? AND ts <= ? AND quality = 0
                    ORDER BY ts DESC LIMIT 1
                    """)
            func read(atOrBefore limit: Int64) throws -> StoredReading? {
                try Row.fetchOne(newest, arguments: [station, sensor, limit]).map {
                    StoredReading(timestamp: $0["ts"], value: $0["value"], quality: $0["quality"])
                }
            }
            guard let last = try read(atOrBefore: time) else { return nil }
            return (last, try read(atOrBefore: last.timestamp - 3_600_000))
        }
    }

    /// The sum and count of the good readings of a sensor with `after < ts <= through`: the rain of a window. A rain
    /// reading is the rain since the gauge's previous report, so one stamped at the window's start fell before it.
    public func total(station: String, sensor: String, after: Int64, through: Int64) async throws
        -> (sum: Double, count: Int)
    {
        try await pool.read { db in
            let row = try Row.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT COALESCE(SUM(value), 0) AS total, COUNT(*) AS n FROM readings
                        WHERE station = ? AND sensor = ? AND ts > ? AND ts <= ? AND quality = 0
                        """),
                arguments: [station, sensor, after, through])
            return (row?["total"] ?? 0, row?["n"] ?? 0)
        }
    }

    /// The warnings that were active at `time`: for each (station, sensor, rule), the latest event at or before
    /// `time` that is not an acknowledgement, when its level is above 0; with the acknowledgement made by then that
    /// covers its level, if any. `activeWarnings()` is this at the present, read from the view `active_warnings`.
    public func activeWarnings(at time: Int64) async throws -> [ActiveWarning] {
        try await pool.read { db in
            let rows = try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT a.*,
                               (SELECT ts FROM warnings WHERE id = a.warning_id) AS raised_at,
                               k.acknowledged_by AS ack_by, k.created_at AS ack_at
                        FROM warnings AS a
                        JOIN (SELECT MAX(id) AS id FROM warnings WHERE event != 'acknowledged' AND ts <= ?1
                              GROUP BY station, sensor, rule) AS latest ON a.id = latest.id
                        LEFT JOIN warnings AS k ON k.id = (
                            SELECT MAX(id) FROM warnings WHERE warning_id = a.warning_id AND event = 'acknowledged'
                            AND ts <= ?1
                            AND id > (SELECT MAX(id) FROM warnings WHERE warning_id = a.warning_id
                                      AND event IN ('raised', 'escalated', 'updated') AND ts <= ?1))
                        WHERE a.level > 0
                        ORDER BY a.station, a.sensor, a.rule
                        """),
                arguments: [time])
            return rows.compactMap { row in
                Self.storedEvent(row).map { latest in
                    ActiveWarning(
                        latest: latest, raisedAt: row["raised_at"] ?? latest.event.timestamp,
                        acknowledgedBy: row["ack_by"], acknowledgedAt: row["ack_at"])
                }
            }
        }
    }
}
