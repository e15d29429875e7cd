import Alerts
import GRDB
import Gauges
import Warnings

/// A delivery waiting for its next attempt (a row of `alert_deliveries`).
public struct PendingDelivery: Sendable, Hashable {
    public var id: Int64
    public var noticeID: Int64
    public var channel: AlertChannel
    public var target: String
    /// Attempts made so far.
    public var attempts: Int
    public var createdAt: Int64

    /// For the other stores (PostgreSQL), which read their deliveries themselves.
    public init(id: Int64, noticeID: Int64, channel: AlertChannel, target: String, attempts: Int, createdAt: Int64) {
        self.id = id
        self.noticeID = noticeID
        self.channel = channel
        self.target = target
        self.attempts = attempts
        self.createdAt = createdAt
    }
}

/// The outcome of one delivery attempt, as `FloodDatabase.record` writes it.
public enum DeliveryRecord: Sendable, Hashable {
    case sent(delivery: Int64, at: Int64)
    /// Retried at `nextAttemptAt`, or given up (`failed`) when that is nil.
    case failed(delivery: Int64, error: String, nextAttemptAt: Int64?)
}

extension FloodDatabase {
    // MARK: Routing

    /// Notices not yet routed to their deliveries, oldest first.
    public func newNotices(limit: Int = 500) throws -> [Notice] {
        try pool.read { db in
            let ids = try Int64.fetchAll(
                db.cachedStatement(sql: "SELECT id FROM alert_notices WHERE status = 'new' ORDER BY id LIMIT ?"),
                arguments: [limit])
            return try ids.compactMap { try Self.notice($0, in: db) }
        }
    }

    /// Creates the deliveries of notices and marks them routed, in one transaction.
    public func route(_ routes: [(notice: Int64, targets: [DeliveryTarget])], now: Int64) throws {
        try pool.write { db in
            for route in routes {
                try Self.insertDeliveries(notice: route.notice, targets: route.targets, now: now, in: db)
                try db.cachedStatement(sql: "UPDATE alert_notices SET status = 'routed' WHERE id = ?")
                    .execute(arguments: [route.notice])
            }
        }
    }

    /// Storm control: folds notices into one grouped notice and creates its deliveries, in one transaction.
    /// - Returns: the grouped notice.
    public func group(
        _ members: [Int64], now: Int64, targets: (Notice) -> [DeliveryTarget]
    ) throws -> Notice? {
        try pool.write { db in
            try db.execute(
                sql: "INSERT INTO alert_notices (kind, status, created_at) VALUES ('grouped', 'routed', ?)",
                arguments: [now])
            let groupID = db.lastInsertedRowID
            for member in members {
                try db.execute(
                    sql: "UPDATE alert_notices SET status = 'grouped', group_id = ? WHERE id = ? AND status = 'new'",
                    arguments: [groupID, member])
            }
            guard let grouped = try Self.notice(groupID, in: db) else { return nil }
            try Self.insertDeliveries(notice: groupID, targets: targets(grouped), now: now, in: db)
            return grouped
        }
    }

    private static func insertDeliveries(notice: Int64, targets: [DeliveryTarget], now: Int64, in db: Database)
        throws
    {
        let insert = try db.cachedStatement(
            sql: """
                INSERT OR IGNORE INTO alert_deliveries (notice_id, channel, target, status, next_attempt_at, created_at)
                VALUES (?, ?, ?, 'pending', ?, ?)
                """)
        for target in targets {
            try insert.execute(arguments: [notice, target.channel.rawValue, target.target, now, now])
        }
    }

    // MARK: Reminders

    /// Adds a reminder notice for every active warning of `minimumLevel` or above that nobody acknowledged since
    /// it was raised or last escalated, and about which nothing was sent for `intervalMilliseconds`.
    /// - Returns: how many reminders were added.
    @discardableResult
    public func addReminders(now: Int64, intervalMilliseconds: Int64, minimumLevel: Int) throws -> Int {
        try pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO alert_notices (kind, event_id, warning_id, previous_level, status, created_at)
                    SELECT 'reminder', a.id, a.warning_id, a.level, 'new', ?
                    FROM active_warnings AS a
                    WHERE a.level >= ?
                      AND NOT EXISTS (
                          SELECT 1 FROM warnings AS k
                          WHERE k.warning_id = a.warning_id AND k.event = 'acknowledged'
                            AND k.id > (SELECT MAX(e.id) FROM warnings AS e
                                        WHERE e.warning_id = a.warning_id AND e.event IN ('raised', 'escalated', 'updated')))
                      AND COALESCE((SELECT MAX(n.created_at) FROM alert_notices AS n WHERE n.warning_id = a.warning_id),
                                   a.created_at) <= ?
                    """,
                arguments: [now, minimumLevel, now - intervalMilliseconds])
            return db.changesCount
        }
    }

    // MARK: Delivery

    /// Deliveries of a channel whose next attempt is due, oldest first.
    /// - Parameter target: only this target's deliveries (one webhook); nil for all of the channel.
    public func dueDeliveries(_ channel: AlertChannel, target: String? = nil, now: Int64, limit: Int = 200) throws
        -> [PendingDelivery]
    {
        try pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT id, notice_id, target, attempts, created_at FROM alert_deliveries
                    WHERE status = 'pending' AND channel = ? AND next_attempt_at <= ? AND (? IS NULL OR target = ?)
                    ORDER BY id LIMIT ?
                    """,
                arguments: [channel.rawValue, now, target, target, limit]
            ).map { row in
                PendingDelivery(
                    id: row["id"], noticeID: row["notice_id"], channel: channel, target: row["target"],
                    attempts: row["attempts"], createdAt: row["created_at"])
            }
        }
    }

    /// The earliest next attempt of a channel's pending deliveries (of one target, when given), if any.
    public func nextAttempt(_ channel: AlertChannel, target: String? = nil) throws -> Int64? {
        try pool.read { db in
            try Int64.fetchOne(
                db,
                sql: """
                    SELECT MIN(next_attempt_at) FROM alert_deliveries
                    WHERE status = 'pending' AND channel = ? AND (? IS NULL OR target = ?)
                    """,
                arguments: [channel.rawValue, target, target])
        }
    }

    public func markSent(_ delivery: Int64, at now: Int64) throws {
        try record([.sent(delivery: delivery, at: now)])
    }

    /// Records a failed attempt: retried at `nextAttemptAt`, or given up (`failed`) when that is nil.
    public func markAttemptFailed(_ delivery: Int64, error: String, nextAttemptAt: Int64?) throws {
        try record([.failed(delivery: delivery, error: error, nextAttemptAt: nextAttemptAt)])
    }

    /// Records the outcomes of attempts made together, in one transaction: one commit for a batch of MQTT alerts
    /// rather than one each, which would make every alert wait behind the ingest service's commits.
    public func record(_ outcomes: [DeliveryRecord]) throws {
        guard !outcomes.isEmpty else { return }
        try pool.write { db in
            for outcome in outcomes {
                switch outcome {
                case .sent(let delivery, let now):
                    try db.cachedStatement(
                        sql: """
                            UPDATE alert_deliveries
                            SET status = 'sent', attempts = attempts + 1, sent_at = ?, last_error = NULL
                            WHERE id = ?
                            """
                    ).execute(arguments: [now, delivery])
                case .failed(let delivery, let error, let nextAttemptAt?):
                    try db.cachedStatement(
                        sql: """
                            UPDATE alert_deliveries SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?
                            WHERE id = ?
                            """
                    ).execute(arguments: [error, nextAttemptAt, delivery])
                case .failed(let delivery, let error, nil):
                    try db.cachedStatement(
                        sql: """
                            UPDATE alert_deliveries SET status = 'failed', attempts = attempts + 1, last_error = ?
                            WHERE id = ?
                            """
                    ).execute(arguments: [error, delivery])
                }
            }
        }
    }

    /// A notice with everything needed to render it.
    public func notice(_ id: Int64) throws -> Notice? {
        try pool.read { db in try Self.notice(id, in: db) }
    }

    /// Several notices read together, by id; a missing one is absent. One read transaction for a batch of alerts.
    public func notices(_ ids: [Int64]) throws -> [Int64: Notice] {
        try pool.read { db in
            var notices: [Int64: Notice] = [:]
            for id in ids {
                notices[id] = try Self.notice(id, in: db)
            }
            return notices
        }
    }

    static func notice(_ id: Int64, in db: Database) throws -> Notice? {
        guard
            let row = try Row.fetchOne(
                db.cachedStatement(
                    sql:
                        "SELECT id, kind, event_id, warning_id, previous_level, created_at, bulletin_id FROM alert_notices WHERE id = ?"
                ),
                arguments: [id]),
            let kind = NoticeKind(rawValue: row["kind"])
        else { return nil }
        var notice = Notice(
            id: id, kind: kind, createdAt: row["created_at"], event: nil, previousLevel: row["previous_level"])
        if let eventID: Int64 = row["event_id"] {
            notice.event = try storedEvent(eventID, in: db)
        }
        if let bulletinID: Int64 = row["bulletin_id"],
            let bulletin = try Row.fetchOne(
                db, sql: "SELECT at, text, json FROM bulletins WHERE id = ?", arguments: [bulletinID])
        {
            notice.bulletin = BulletinPayload(at: bulletin["at"], text: bulletin["text"], json: bulletin["json"])
        }
        if kind == .grouped {
            notice.members = try Row.fetchAll(
                db,
                sql: """
                    SELECT w.* FROM alert_notices AS n JOIN warnings AS w ON w.id = n.event_id
                    WHERE n.group_id = ? ORDER BY w.ts, w.station
                    """,
                arguments: [id]
            ).compactMap(storedEvent)
        }
        // What a CAP Update or Cancel refers to: the earlier CAP messages of the same warnings (acknowledgements
        // have none; a member of a grouped notice was sent as its group, so the group is referred to).
        let warnings: [Int64]
        if let warningID: Int64 = row["warning_id"] {
            warnings = [warningID]
        } else {
            warnings = Array(Set(notice.members.map(\.warningID))).sorted()
        }
        if !warnings.isEmpty {
            let placeholders = Array(repeating: "?", count: warnings.count).joined(separator: ", ")
            notice.earlier = try Row.fetchAll(
                db,
                sql: """
                    SELECT DISTINCT CASE WHEN n.status = 'grouped' THEN g.id ELSE n.id END AS id,
                           CASE WHEN n.status = 'grouped' THEN g.created_at ELSE n.created_at END AS created_at
                    FROM alert_notices AS n
                    JOIN warnings AS w ON w.id = n.event_id
                    LEFT JOIN alert_notices AS g ON g.id = n.group_id
                    WHERE n.warning_id IN (\(placeholders)) AND w.event != 'acknowledged'
                      AND (n.status != 'grouped' OR g.id IS NOT NULL)
                      AND CASE WHEN n.status = 'grouped' THEN g.id ELSE n.id END < ?
                    ORDER BY 1
                    """,
                arguments: StatementArguments(warnings + [id])
            ).map { EarlierNotice(id: $0["id"], createdAt: $0["created_at"]) }
        }
        return notice
    }

    static func storedEvent(_ id: Int64, in db: Database) throws -> StoredWarningEvent? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM warnings WHERE id = ?"), arguments: [id])
            .flatMap(storedEvent)
    }

    /// A `warnings` row as the alert code sees it; nil for a row this version does not understand.
    static func storedEvent(_ row: Row) -> StoredWarningEvent? {
        guard let sensor = SensorKind(rawValue: row["sensor"]), let rule = WarningRule(rawValue: row["rule"]),
            let kind = WarningEventKind(rawValue: row["event"])
        else { return nil }
        let event = WarningEvent(
            station: row["station"], sensor: sensor, rule: rule, kind: kind, level: row["level"],
            timestamp: row["ts"], value: row["value"], threshold: row["threshold"], windowSeconds: row["window_s"],
            projectedTimestamp: row["projected_ts"], projectedValue: row["projected_value"], late: row["late"],
            riskLevel: row["risk_level"], area: row["area"], messageVI: row["message_vi"], messageEN: row["message_en"])
        return StoredWarningEvent(
            id: row["id"], warningID: row["warning_id"], event: event, createdAt: row["created_at"],
            acknowledgedBy: row["acknowledged_by"], note: row["note"], acknowledgedFrom: row["acknowledged_from"])
    }

    // MARK: State

    /// The active warnings, of one station or all, with their acknowledgement.
    public func activeWarnings(station: String? = nil) throws -> [ActiveWarning] {
        try pool.read { db in try Self.activeWarnings(station: station, in: db) }
    }

    /// The active warnings of a few stations, each by its own indexed query, in one read transaction.
    public func activeWarnings(stations: [String]) throws -> [String: [ActiveWarning]] {
        try pool.read { db in
            var byStation: [String: [ActiveWarning]] = [:]
            for station in stations {
                byStation[station] = try Self.activeWarnings(station: station, in: db)
            }
            return byStation
        }
    }

    static func activeWarnings(station: String?, in db: Database) throws -> [ActiveWarning] {
        do {
            // The view `active_warnings` for all stations; for one, the same query restricted to it inside, where
            // the index (station, sensor, rule, id) serves it. Filtering the view instead reads every warning ever
            // stored: the MQTT alert lane asks this for each alert's station.
            let active =
                station == nil
                ? "active_warnings"
                : """
                (SELECT w.* FROM warnings AS w
                 JOIN (SELECT MAX(id) AS id FROM warnings WHERE station = ? AND event != 'acknowledged'
                       GROUP BY station, sensor, rule) AS latest ON w.id = latest.id
                 WHERE w.level > 0)
                """
            let rows = try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT a.*,
                               (SELECT ts FROM warnings WHERE id = a.warning_id) AS raised_at,
                               k.acknowledged_by AS ack_by, k.created_at AS ack_at
                        FROM \(active) AS a
                        LEFT JOIN warnings AS k ON k.id = (
                            SELECT MAX(id) FROM warnings WHERE warning_id = a.warning_id AND event = 'acknowledged'
                            AND id > (SELECT MAX(id) FROM warnings WHERE warning_id = a.warning_id
                                      AND event IN ('raised', 'escalated', 'updated')))
                        ORDER BY a.station, a.sensor, a.rule
                        """),
                arguments: station.map { [$0] } ?? [])
            return rows.compactMap { row in
                storedEvent(row).map { latest in
                    ActiveWarning(
                        latest: latest, raisedAt: row["raised_at"] ?? latest.event.timestamp,
                        acknowledgedBy: row["ack_by"], acknowledgedAt: row["ack_at"])
                }
            }
        }
    }
}
