import Alerts
import PostgresNIO
import Storage

extension PostgresDatabase {
    /// Records that an officer has a warning in hand, as the SQLite store does (`FloodDatabase.acknowledge`): an
    /// `acknowledged` row in `warnings` at the warning's current level, with who, from where (the audit) and their
    /// note, and its notice, in one transaction. Reminders stop until the warning escalates again.
    ///
    /// The warning's `raised` row is locked first, so that two officers acknowledging at once, on two instances,
    /// are told apart as on SQLite: the second waits, then finds the first's acknowledgement.
    /// - Throws: `AcknowledgeError` when the warning is unknown, cleared, or acknowledged at its current level.
    public func acknowledgeAsync(
        warning warningID: Int64, by officer: String, note: String?, from origin: String?,
        at now: Int64
    ) async throws -> StoredWarningEvent {
        try await transaction { [logger] connection in
            try await connection.checkedQuery(
                "SELECT id FROM warnings WHERE id = \(warningID) FOR UPDATE", logger: logger)
            var found: StoredWarningEvent?
            for try await row in try await connection.checkedQuery(
                """
                SELECT * FROM warnings WHERE id = (SELECT max(id) FROM warnings
                                                   WHERE warning_id = \(warningID) AND event != 'acknowledged')
                """, logger: logger)
            {
                found = try Self.decodeWarningsRow(row.makeRandomAccess())
            }
            guard let latest = found else { throw AcknowledgeError.unknownWarning(warningID) }
            if latest.event.kind == .cleared {
                throw AcknowledgeError.cleared(warningID, at: latest.event.timestamp)
            }
            var previous: (by: String?, at: Int64)?
            for try await (by, at) in try await connection.checkedQuery(
                """
                SELECT acknowledged_by, created_at FROM warnings
                WHERE warning_id = \(warningID) AND event = 'acknowledged'
                  AND id > (SELECT max(id) FROM warnings WHERE warning_id = \(warningID)
                            AND event IN ('raised', 'escalated', 'updated'))
                ORDER BY id DESC LIMIT 1
                """, logger: logger
            ).decode((String?, Int64).self) {
                previous = (by, at)
            }
            if let previous {
                throw AcknowledgeError.alreadyAcknowledged(warningID, by: previous.by ?? "?", at: previous.at)
            }
            let event = latest.event
            let told = note.map { ": \($0)" } ?? ""
            let messageVI = "Đã xác nhận bởi \(officer)\(told) — \(event.messageVI)"
            let messageEN = "Acknowledged by \(officer)\(told) — \(event.messageEN)"
            var stored: StoredWarningEvent?
            for try await row in try await connection.checkedQuery(
                """
                INSERT INTO warnings (warning_id, station, sensor, rule, event, level, ts, value, threshold,
                                      window_s, late, message_vi, message_en, created_at, acknowledged_by, note,
                                      acknowledged_from, risk_level, area)
                VALUES (\(warningID), \(event.station), \(event.sensor.rawValue), \(event.rule.rawValue),
                        'acknowledged', \(event.level), \(now), \(event.value), \(event.threshold),
                        \(event.windowSeconds), 0, \(messageVI), \(messageEN), \(now), \(officer), \(note),
                        \(origin), \(event.riskLevel), \(event.area))
                RETURNING *
                """, logger: logger)
            {
                stored = try Self.decodeWarningsRow(row.makeRandomAccess())
            }
            guard let stored else { throw AcknowledgeError.unknownWarning(warningID) }
            try await connection.checkedQuery(
                """
                INSERT INTO alert_notices (kind, event_id, warning_id, previous_level, status, created_at)
                VALUES ('event', \(stored.id), \(warningID), \(event.level), 'new', \(now))
                """, logger: logger)
            return stored
        }
    }
}
