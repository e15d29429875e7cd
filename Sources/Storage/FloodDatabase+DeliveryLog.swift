import Alerts
import GRDB

/// A delivery as `floodwatch alerts` shows it.
public struct DeliveryLogEntry: Sendable, Hashable {
    public var id: Int64
    public var noticeID: Int64
    public var noticeKind: NoticeKind
    public var channel: AlertChannel
    public var target: String
    public var status: String
    public var attempts: Int
    public var createdAt: Int64
    public var sentAt: Int64?
    public var nextAttemptAt: Int64
    public var lastError: String?
    /// What the notice is about: "cau-lau level raised 3", "12 gauges silent", or "bulletin".
    public var subject: String
}

/// How many deliveries a channel target has in each status.
public struct DeliveryCount: Sendable, Hashable {
    public var channel: AlertChannel
    public var target: String
    public var status: String
    public var count: Int
}

extension FloodDatabase {
    /// The most recent deliveries, newest first, optionally of one channel or status.
    public func deliveryLog(limit: Int, channel: AlertChannel? = nil, status: String? = nil) throws
        -> [DeliveryLogEntry]
    {
        try pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT d.*, n.kind AS notice_kind, w.station, w.rule, w.event, w.level,
                           (SELECT COUNT(*) FROM alert_notices WHERE group_id = n.id) AS members
                    FROM alert_deliveries AS d
                    JOIN alert_notices AS n ON n.id = d.notice_id
                    LEFT JOIN warnings AS w ON w.id = n.event_id
                    WHERE (? IS NULL OR d.channel = ?) AND (? IS NULL OR d.status = ?)
                    ORDER BY d.id DESC LIMIT ?
                    """,
                arguments: [channel?.rawValue, channel?.rawValue, status, status, limit]
            ).compactMap { row in
                guard let kind = NoticeKind(rawValue: row["notice_kind"]),
                    let channel = AlertChannel(rawValue: row["channel"])
                else { return nil }
                let subject: String
                if kind == .grouped {
                    subject = "\(row["members"] as Int? ?? 0) gauges silent"
                } else if kind == .bulletin {
                    subject = "bulletin"
                } else {
                    let station: String = row["station"] ?? "?"
                    let rule: String = row["rule"] ?? "?"
                    let event: String = row["event"] ?? "?"
                    let level: Int = row["level"] ?? 0
                    subject = "\(station) \(rule) \(kind == .reminder ? "reminder" : event) \(level)"
                }
                return DeliveryLogEntry(
                    id: row["id"], noticeID: row["notice_id"], noticeKind: kind, channel: channel,
                    target: row["target"], status: row["status"], attempts: row["attempts"],
                    createdAt: row["created_at"], sentAt: row["sent_at"], nextAttemptAt: row["next_attempt_at"],
                    lastError: row["last_error"], subject: subject)
            }
        }
    }

    /// Deliveries per channel, target and status, over the whole outbox.
    public func deliveryCounts() throws -> [DeliveryCount] {
        try pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT channel, target, status, COUNT(*) AS count FROM alert_deliveries
                    GROUP BY channel, target, status ORDER BY channel, target, status
                    """
            ).compactMap { row in
                AlertChannel(rawValue: row["channel"]).map {
                    DeliveryCount(channel: $0, target: row["target"], status: row["status"], count: row["count"])
                }
            }
        }
    }

    /// Notices not yet routed (waiting for storm control or for the service to run).
    public func unroutedNoticeCount() throws -> Int {
        try pool.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM alert_notices WHERE status = 'new'") ?? 0
        }
    }

    /// The latest notice of each active warning: what the Atom feed lists.
    public func activeNotices() throws -> [Notice] {
        try pool.read(Self.activeNotices)
    }

    /// The same, for the HTTP server: read on GRDB's own threads, never blocking the event loop.
    public func activeNoticesAsync() async throws -> [Notice] {
        try await pool.read(Self.activeNotices)
    }

    /// A notice, for the HTTP server.
    public func noticeAsync(_ id: Int64) async throws -> Notice? {
        try await pool.read { db in try Self.notice(id, in: db) }
    }

    private static func activeNotices(_ db: Database) throws -> [Notice] {
        let ids = try Int64.fetchAll(
            db,
            sql: """
                SELECT MAX(n.id) FROM alert_notices AS n JOIN active_warnings AS a ON a.warning_id = n.warning_id
                JOIN warnings AS w ON w.id = n.event_id
                WHERE w.event != 'acknowledged' AND n.status != 'grouped'
                GROUP BY n.warning_id ORDER BY MAX(n.id) DESC
                """)
        return try ids.compactMap { try notice($0, in: db) }
    }
}
