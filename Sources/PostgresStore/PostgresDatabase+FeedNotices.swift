import Alerts
import PostgresNIO
import Storage

/// The notices of the CAP (Atom) feed read from PostgreSQL, with the SQLite store's results
/// (`FloodDatabase+DeliveryLog.swift`): each read as the alert service reads it (`readNotices`), in one snapshot.
extension PostgresDatabase {
    /// The latest notice of each active warning, newest first: what the Atom feed lists.
    public func activeNoticesAsync() async throws -> [Notice] {
        try await transaction { [logger] connection in
            try await Self.readSnapshot(on: connection, logger: logger)
            var ids: [Int64] = []
            for try await id in try await connection.checkedQuery(
                """
                SELECT max(n.id) FROM alert_notices AS n JOIN active_warnings AS a ON a.warning_id = n.warning_id
                JOIN warnings AS w ON w.id = n.event_id
                WHERE w.event != 'acknowledged' AND n.status != 'grouped'
                GROUP BY n.warning_id ORDER BY max(n.id) DESC
                """, logger: logger
            ).decode(Int64.self) {
                ids.append(id)
            }
            let notices = try await Self.readNotices(ids, on: connection, logger: logger)
            return ids.compactMap { notices[$0] }
        }
    }

    /// A notice, for its CAP document.
    public func noticeAsync(_ id: Int64) async throws -> Notice? {
        try await transaction { [logger] connection in
            try await Self.readSnapshot(on: connection, logger: logger)
            return try await Self.readNotices([id], on: connection, logger: logger)[id]
        }
    }
}
