import Alerts
import PostgresNIO

extension PostgresDatabase {
    /// The active warnings, of one station or all, with the acknowledgement that covers each one's current level;
    /// by station, sensor and rule, as the SQLite store lists them.
    public func activeWarnings(station: String?) async throws -> [ActiveWarning] {
        try await activeWarnings(among: station.map { [$0] })
    }

    /// The active warnings of a few stations, by station: every station asked for has an entry, empty when it has
    /// none. One query for them all.
    public func activeWarnings(stations: [String]) async throws -> [String: [ActiveWarning]] {
        var byStation = Dictionary(stations.map { ($0, [ActiveWarning]()) }) { first, _ in first }
        for warning in try await activeWarnings(among: stations) {
            byStation[warning.latest.event.station, default: []].append(warning)
        }
        return byStation
    }

    /// The active warnings of these stations, or of all when nil: the view `active_warnings` for all; for some,
    /// the same query restricted to them inside, where the index (station, sensor, rule, id) serves it (the view
    /// filtered afterwards would read every warning ever stored, and the MQTT alert lane asks at each alert).
    private func activeWarnings(among stations: [String]?) async throws -> [ActiveWarning] {
        let query: PostgresQuery
        if let stations {
            query = """
                SELECT \(unescaped: Self.activeColumns)
                FROM (SELECT w.* FROM warnings AS w
                      JOIN (SELECT MAX(id) AS id FROM warnings
                            WHERE station = ANY(\(stations)) AND event <> 'acknowledged'
                            GROUP BY station, sensor, rule) AS latest ON w.id = latest.id
                      WHERE w.level > 0) AS a
                \(unescaped: Self.acknowledgementAndOrder)
                """
        } else {
            query = """
                SELECT \(unescaped: Self.activeColumns) FROM active_warnings AS a
                \(unescaped: Self.acknowledgementAndOrder)
                """
        }
        return try await transaction { [query, logger] connection in
            var warnings: [ActiveWarning] = []
            for try await row in try await connection.checkedQuery(query, logger: logger) {
                let row = row.makeRandomAccess()
                guard let latest = try Self.decodeWarningsRow(row) else { continue }
                warnings.append(
                    ActiveWarning(
                        latest: latest, raisedAt: try row["raised_at"].decode(Int64?.self) ?? latest.event.timestamp,
                        acknowledgedBy: try row["ack_by"].decode(String?.self),
                        acknowledgedAt: try row["ack_at"].decode(Int64?.self)))
            }
            return warnings
        }
    }

    /// An active warning's columns (`a`), when it was raised, and the acknowledgement (`k`) that covers it.
    private static let activeColumns = """
        a.*, (SELECT ts FROM warnings WHERE id = a.warning_id) AS raised_at,
        k.acknowledged_by AS ack_by, k.created_at AS ack_at
        """

    /// The latest acknowledgement since the warning was raised or last escalated or updated, if any; the order.
    private static let acknowledgementAndOrder = """
        LEFT JOIN warnings AS k ON k.id = (
            SELECT MAX(id) FROM warnings WHERE warning_id = a.warning_id AND event = 'acknowledged'
            AND id > (SELECT MAX(id) FROM warnings WHERE warning_id = a.warning_id
                      AND event IN ('raised', 'escalated', 'updated')))
        ORDER BY a.station COLLATE "C", a.sensor COLLATE "C", a.rule COLLATE "C"
        """
}
