import Alerts
import Gauges
import PostgresNIO
import Warnings

extension PostgresDatabase {
    /// The notices with these ids, each with everything needed to render it; a missing one is absent. The same
    /// notices as the SQLite store's `notices(_:)`, read in one snapshot.
    public func notices(_ ids: [Int64]) async throws -> [Int64: Notice] {
        try await transaction { [logger] connection in
            try await Self.readSnapshot(on: connection, logger: logger)
            return try await Self.readNotices(ids, on: connection, logger: logger)
        }
    }

    /// Makes the caller's transaction, before its first query, read one snapshot and write nothing: what a SQLite
    /// read transaction sees, so that a notice's parts, read by several queries, agree with one another whatever
    /// other instances commit meanwhile.
    static func readSnapshot(on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.checkedQuery("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", logger: logger)
    }

    /// Reads notices as `FloodDatabase.notice` does, inside the caller's transaction: the event told of, the
    /// bulletin, a grouped notice's members (by time, then station), and the earlier notices a CAP Update or
    /// Cancel refers to. Four queries whatever the number of notices, where SQLite asks a few for each.
    static func readNotices(_ ids: [Int64], on connection: PostgresConnection, logger: Logger) async throws
        -> [Int64: Notice]
    {
        guard !ids.isEmpty else { return [:] }
        var notices: [Int64: Notice] = [:]
        var eventOf: [Int64: Int64] = [:]
        var warningOf: [Int64: Int64] = [:]
        let rows = try await connection.checkedQuery(
            """
            SELECT n.id, n.kind, n.event_id, n.warning_id, n.previous_level, n.created_at, b.at, b.text, b.json
            FROM alert_notices AS n LEFT JOIN bulletins AS b ON b.id = n.bulletin_id
            WHERE n.id = ANY(\(ids))
            """, logger: logger)
        for try await (id, kind, eventID, warningID, previousLevel, createdAt, at, text, json) in rows.decode(
            (Int64, String, Int64?, Int64?, Int, Int64, Int64?, String?, String?).self)
        {
            guard let kind = NoticeKind(rawValue: kind) else { continue }
            var notice = Notice(id: id, kind: kind, createdAt: createdAt, event: nil, previousLevel: previousLevel)
            if let at, let text, let json {
                notice.bulletin = BulletinPayload(at: at, text: text, json: json)
            }
            notices[id] = notice
            eventOf[id] = eventID
            warningOf[id] = warningID
        }

        let eventIDs = Array(Set(eventOf.values))
        if !eventIDs.isEmpty {
            var events: [Int64: StoredWarningEvent] = [:]
            for try await row in try await connection.checkedQuery(
                "SELECT * FROM warnings WHERE id = ANY(\(eventIDs))", logger: logger)
            {
                if let event = try decodeWarningsRow(row.makeRandomAccess()) { events[event.id] = event }
            }
            for (notice, event) in eventOf { notices[notice]?.event = events[event] }
        }

        let groups = notices.values.filter { $0.kind == .grouped }.map(\.id)
        if !groups.isEmpty {
            for try await row in try await connection.checkedQuery(
                """
                SELECT n.group_id, w.* FROM alert_notices AS n JOIN warnings AS w ON w.id = n.event_id
                WHERE n.group_id = ANY(\(groups))
                ORDER BY n.group_id, w.ts, w.station COLLATE "C", w.id
                """, logger: logger)
            {
                let row = row.makeRandomAccess()
                if let member = try decodeWarningsRow(row) {
                    notices[try row["group_id"].decode(Int64.self)]?.members.append(member)
                }
            }
        }

        // What a CAP Update or Cancel refers to: the earlier CAP messages of the same warnings (acknowledgements
        // have none; a member of a grouped notice was sent as its group, so the group is referred to).
        var asked: [(notice: Int64, warning: Int64)] = []
        for notice in notices.values {
            if let warning = warningOf[notice.id] {
                asked.append((notice.id, warning))
            } else {
                asked += Set(notice.members.map(\.warningID)).map { (notice.id, $0) }
            }
        }
        if !asked.isEmpty {
            for try await (notice, id, createdAt) in try await connection.checkedQuery(
                """
                SELECT DISTINCT q.notice,
                       CASE WHEN n.status = 'grouped' THEN g.id ELSE n.id END,
                       CASE WHEN n.status = 'grouped' THEN g.created_at ELSE n.created_at END
                FROM unnest(\(asked.map(\.notice)), \(asked.map(\.warning))) AS q (notice, warning)
                JOIN alert_notices AS n ON n.warning_id = q.warning
                JOIN warnings AS w ON w.id = n.event_id
                LEFT JOIN alert_notices AS g ON g.id = n.group_id
                WHERE w.event <> 'acknowledged'
                  AND (n.status <> 'grouped' OR g.id IS NOT NULL)
                  AND CASE WHEN n.status = 'grouped' THEN g.id ELSE n.id END < q.notice
                ORDER BY 1, 2
                """, logger: logger
            ).decode((Int64, Int64, Int64).self) {
                notices[notice]?.earlier.append(EarlierNotice(id: id, createdAt: createdAt))
            }
        }
        return notices
    }

    /// A `warnings` row (its columns by name; others may come with it) as the alert code sees it; nil for a
    /// sensor, rule or event this version does not know, as `FloodDatabase.storedEvent` gives.
    static func decodeWarningsRow(_ row: PostgresRandomAccessRow) throws -> StoredWarningEvent? {
        guard let sensor = SensorKind(rawValue: try row["sensor"].decode(String.self)),
            let rule = WarningRule(rawValue: try row["rule"].decode(String.self)),
            let kind = WarningEventKind(rawValue: try row["event"].decode(String.self))
        else { return nil }
        let event = WarningEvent(
            station: try row["station"].decode(String.self), sensor: sensor, rule: rule, kind: kind,
            level: try row["level"].decode(Int.self), timestamp: try row["ts"].decode(Int64.self),
            value: try row["value"].decode(Double?.self), threshold: try row["threshold"].decode(Double?.self),
            windowSeconds: try row["window_s"].decode(Int?.self),
            projectedTimestamp: try row["projected_ts"].decode(Int64?.self),
            projectedValue: try row["projected_value"].decode(Double?.self),
            late: try row["late"].decode(Int.self) != 0, riskLevel: try row["risk_level"].decode(Int?.self),
            area: try row["area"].decode(String?.self), messageVI: try row["message_vi"].decode(String.self),
            messageEN: try row["message_en"].decode(String.self))
        return StoredWarningEvent(
            id: try row["id"].decode(Int64.self), warningID: try row["warning_id"].decode(Int64.self), event: event,
            createdAt: try row["created_at"].decode(Int64.self),
            acknowledgedBy: try row["acknowledged_by"].decode(String?.self), note: try row["note"].decode(String?.self),
            acknowledgedFrom: try row["acknowledged_from"].decode(String?.self))
    }
}
