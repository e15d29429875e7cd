import Gauges
import PostgresNIO
import Storage
import Warnings

extension PostgresDatabase {
    /// Writes what the warning engine found, in one transaction, as the SQLite store does
    /// (`FloodDatabase.store(_:createdAt:)`): readings it marked suspect, each warning event with its alert notice
    /// (a committed event is always told), and the sensors' engine state.
    public func store(_ result: EngineResult, createdAt: Int64) async throws {
        try await store(result, createdAt: createdAt, on: ingestConnection, fence: nil)
    }

    /// `store(_:createdAt:)` on `own`, and under `fence` when given (`checkFence`).
    func store(_ result: EngineResult, createdAt: Int64, on own: OwnConnection, fence: Lease?) async throws {
        try await own.withTransaction { connection in
            if let fence { try await Self.checkFence(fence, on: connection, logger: logger) }
            try await Self.write(result, createdAt: createdAt, on: connection, logger: logger)
        }
    }

    /// `store(_:createdAt:)` inside the caller's transaction.
    static func write(_ result: EngineResult, createdAt: Int64, on connection: PostgresConnection, logger: Logger)
        async throws
    {
        for reading in result.suspect {
            try await connection.checkedQuery(
                """
                UPDATE series_readings SET quality = \(Int16(Quality.suspect.rawValue))
                WHERE series = (SELECT id FROM series WHERE station = \(reading.station)
                                AND sensor = \(reading.sensor.rawValue))
                AND ts = \(reading.timestamp)
                """, logger: logger)
        }
        try await sumHoursAgain(of: result.suspect, on: connection, logger: logger)
        for event in result.events {
            // A raised event opens a warning whose id is its own row id; later events belong to the warning the
            // latest event of their (station, sensor, rule) belongs to. The id is drawn first, so that a raised
            // event is written whole in one INSERT, and instances writing at once never draw the same.
            var warningID: Int64?
            var previousLevel = 0
            if event.kind != .raised {
                let rows = try await connection.checkedQuery(
                    """
                    SELECT warning_id, level FROM warnings
                    WHERE station = \(event.station) AND sensor = \(event.sensor.rawValue)
                    AND rule = \(event.rule.rawValue) AND event != 'acknowledged'
                    ORDER BY id DESC LIMIT 1
                    """, logger: logger)
                for try await (id, level) in rows.decode((Int64, Int).self) { (warningID, previousLevel) = (id, level) }
            }
            var id: Int64 = 0
            for try await drawn in try await connection.checkedQuery(
                "SELECT nextval(pg_get_serial_sequence('warnings', 'id'))", logger: logger
            ).decode(Int64.self) {
                id = drawn
            }
            try await connection.checkedQuery(
                """
                INSERT INTO warnings (id, warning_id, station, sensor, rule, event, level, ts, value, threshold,
                                      window_s, projected_ts, projected_value, late, message_vi, message_en,
                                      created_at, risk_level, area)
                VALUES (\(id), \(event.kind == .raised ? id : (warningID ?? 0)), \(event.station),
                        \(event.sensor.rawValue), \(event.rule.rawValue), \(event.kind.rawValue), \(event.level),
                        \(event.timestamp), \(event.value), \(event.threshold), \(event.windowSeconds),
                        \(event.projectedTimestamp), \(event.projectedValue), \(event.late ? 1 : 0),
                        \(event.messageVI), \(event.messageEN), \(createdAt), \(event.riskLevel), \(event.area))
                """, logger: logger)
            try await connection.checkedQuery(
                """
                INSERT INTO alert_notices (kind, event_id, warning_id, previous_level, status, created_at)
                VALUES ('event', \(id), \(event.kind == .raised ? id : (warningID ?? 0)), \(previousLevel), 'new',
                        \(createdAt))
                """, logger: logger)
        }
        for (key, snapshot) in result.snapshots {
            try await connection.checkedQuery(
                """
                INSERT INTO engine_state (station, sensor, state, updated_at)
                VALUES (\(key.station), \(key.sensor.rawValue), \(snapshot.json)::jsonb, \(createdAt))
                ON CONFLICT (station, sensor) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at
                """, logger: logger)
        }
    }
}
