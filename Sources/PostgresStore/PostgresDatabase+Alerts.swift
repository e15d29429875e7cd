import Alerts
import PostgresNIO
import Storage

/// The alert outbox on PostgreSQL, as the SQLite store keeps it (`FloodDatabase+Alerts.swift`): notices routed to
/// their deliveries, storm control, reminders, and each delivery's attempts. Each writing method is one transaction.
///
/// Ids come from the tables' sequences (`RETURNING`), and nothing of the outbox is kept in this process, so that
/// several instances may share the database.
extension PostgresDatabase {
    /// The advisory lock a reminder pass holds until it commits (an arbitrary constant: "FWremind").
    static let reminderLock: Int64 = 0x4657_7265_6D69_6E64

    // MARK: Routing

    /// Notices not yet routed to their deliveries, oldest first, at most `limit`; read in one snapshot.
    public func newNotices(limit: Int) async throws -> [Notice] {
        try await transaction { [logger] connection in
            try await Self.readSnapshot(on: connection, logger: logger)
            var ids: [Int64] = []
            for try await id in try await connection.checkedQuery(
                "SELECT id FROM alert_notices WHERE status = 'new' ORDER BY id LIMIT \(limit)", logger: logger
            ).decode(Int64.self) {
                ids.append(id)
            }
            let notices = try await Self.readNotices(ids, on: connection, logger: logger)
            return ids.compactMap { notices[$0] }
        }
    }

    /// Creates the deliveries of notices and marks them routed, in one transaction. A delivery that exists already
    /// (the same notice, channel and target) is not made again.
    public func route(_ routes: [(notice: Int64, targets: [DeliveryTarget])], now: Int64) async throws {
        guard !routes.isEmpty else { return }
        try await transaction { [logger] connection in
            try await Self.insertDeliveries(
                routes.flatMap { route in route.targets.map { (route.notice, $0) } }, now: now, on: connection,
                logger: logger)
            try await connection.checkedQuery(
                "UPDATE alert_notices SET status = 'routed' WHERE id = ANY(\(routes.map(\.notice)))", logger: logger)
        }
    }

    /// Storm control: folds notices into one grouped notice and creates its deliveries, in one transaction. Only
    /// notices still new join the group; `targets` is asked for the grouped notice's receivers inside the
    /// transaction.
    /// - Returns: the grouped notice.
    public func group(
        _ members: [Int64], now: Int64, targets: @escaping @Sendable (Notice) -> [DeliveryTarget]
    ) async throws -> Notice? {
        try await transaction { [logger] connection in
            var groupID: Int64?
            for try await id in try await connection.checkedQuery(
                "INSERT INTO alert_notices (kind, status, created_at) VALUES ('grouped', 'routed', \(now)) RETURNING id",
                logger: logger
            ).decode(Int64.self) {
                groupID = id
            }
            guard let groupID else { throw PostgresStoreError("a grouped notice was stored without an id") }
            try await connection.checkedQuery(
                """
                UPDATE alert_notices SET status = 'grouped', group_id = \(groupID)
                WHERE id = ANY(\(members)) AND status = 'new'
                """, logger: logger)
            guard let grouped = try await Self.readNotices([groupID], on: connection, logger: logger)[groupID] else {
                return nil
            }
            try await Self.insertDeliveries(
                targets(grouped).map { (groupID, $0) }, now: now, on: connection, logger: logger)
            return grouped
        }
    }

    /// Pending deliveries, due at once, in the order given; those that exist already are skipped (their id drawn
    /// from the sequence all the same: ids may skip numbers, never repeat).
    private static func insertDeliveries(
        _ deliveries: [(notice: Int64, target: DeliveryTarget)], now: Int64, on connection: PostgresConnection,
        logger: Logger
    ) async throws {
        guard !deliveries.isEmpty else { return }
        try await connection.checkedQuery(
            """
            INSERT INTO alert_deliveries (notice_id, channel, target, status, next_attempt_at, created_at)
            SELECT notice, channel, target, 'pending', \(now), \(now)
            FROM unnest(\(deliveries.map(\.notice)), \(deliveries.map(\.target.channel.rawValue)),
                        \(deliveries.map(\.target.target))) WITH ORDINALITY AS d (notice, channel, target, position)
            ORDER BY position
            ON CONFLICT (notice_id, channel, target) DO NOTHING
            """, logger: logger)
    }

    // MARK: Reminders

    /// Adds a reminder notice for every active warning of `minimumLevel` or above that nobody acknowledged since it
    /// was raised or last escalated, and about which nothing was sent for `intervalMilliseconds`, in the order of
    /// the active warnings (station, sensor, rule).
    ///
    /// Instances sharing the database take turns (an advisory lock until commit): the second pass sees the first's
    /// reminders, so a warning is not reminded of twice.
    /// - Returns: how many reminders were added.
    @discardableResult
    public func addReminders(now: Int64, intervalMilliseconds: Int64, minimumLevel: Int) async throws -> Int {
        try await transaction { [logger] connection in
            try await connection.checkedQuery("SELECT pg_advisory_xact_lock(\(Self.reminderLock))", logger: logger)
            var added = 0
            for try await _ in try await connection.checkedQuery(
                """
                INSERT INTO alert_notices (kind, event_id, warning_id, previous_level, status, created_at)
                SELECT 'reminder', a.id, a.warning_id, a.level, 'new', \(now)
                FROM active_warnings AS a
                WHERE a.level >= \(minimumLevel)
                  AND NOT EXISTS (
                      SELECT 1 FROM warnings AS k
                      WHERE k.warning_id = a.warning_id AND k.event = 'acknowledged'
                        AND k.id > (SELECT MAX(e.id) FROM warnings AS e
                                    WHERE e.warning_id = a.warning_id AND e.event IN ('raised', 'escalated', 'updated')))
                  AND COALESCE((SELECT MAX(n.created_at) FROM alert_notices AS n WHERE n.warning_id = a.warning_id),
                               a.created_at) <= \(now - intervalMilliseconds)
                ORDER BY a.station COLLATE "C", a.sensor COLLATE "C", a.rule COLLATE "C"
                RETURNING id
                """, logger: logger
            ).decode(Int64.self) {
                added += 1
            }
            return added
        }
    }

    // MARK: Delivery

    /// Deliveries of a channel whose next attempt is due, oldest first, at most `limit`.
    /// - Parameter target: only this target's deliveries (one webhook); nil for all of the channel.
    public func dueDeliveries(_ channel: AlertChannel, target: String?, now: Int64, limit: Int) async throws
        -> [PendingDelivery]
    {
        try await transaction { [logger] connection in
            var due: [PendingDelivery] = []
            for try await (id, notice, target, attempts, createdAt) in try await connection.checkedQuery(
                """
                SELECT id, notice_id, target, attempts, created_at FROM alert_deliveries
                WHERE status = 'pending' AND channel = \(channel.rawValue) AND next_attempt_at <= \(now)
                  AND (\(target)::text IS NULL OR target = \(target))
                ORDER BY id LIMIT \(limit)
                """, logger: logger
            ).decode((Int64, Int64, String, Int, Int64).self) {
                due.append(
                    PendingDelivery(
                        id: id, noticeID: notice, channel: channel, target: target, attempts: attempts,
                        createdAt: createdAt))
            }
            return due
        }
    }

    /// Due deliveries, as `dueDeliveries`, claimed for `claimMilliseconds` in one statement: their next attempt
    /// moves on by that much, and rows another dispatcher is claiming now are skipped (`FOR UPDATE SKIP LOCKED`),
    /// so that two dispatchers (the one that took the `alerts` lease over, and one that slept through losing it)
    /// never hold the same delivery. Recording the outcome ends the claim; a dispatcher that dies with deliveries in
    /// hand leaves them due again when the claim ends.
    public func claimDueDeliveries(
        _ channel: AlertChannel, target: String?, now: Int64, limit: Int, claimMilliseconds: Int64
    ) async throws -> [PendingDelivery] {
        try await transaction { [logger] connection in
            var due: [PendingDelivery] = []
            for try await (id, notice, target, attempts, createdAt) in try await connection.checkedQuery(
                """
                UPDATE alert_deliveries SET next_attempt_at = \(now + claimMilliseconds)
                WHERE id IN (
                    SELECT id FROM alert_deliveries
                    WHERE status = 'pending' AND channel = \(channel.rawValue) AND next_attempt_at <= \(now)
                      AND (\(target)::text IS NULL OR target = \(target))
                    ORDER BY id LIMIT \(limit)
                    FOR UPDATE SKIP LOCKED)
                RETURNING id, notice_id, target, attempts, created_at
                """, logger: logger
            ).decode((Int64, Int64, String, Int, Int64).self) {
                due.append(
                    PendingDelivery(
                        id: id, noticeID: notice, channel: channel, target: target, attempts: attempts,
                        createdAt: createdAt))
            }
            // RETURNING keeps no order: oldest first, as `dueDeliveries`.
            return due.sorted { $0.id < $1.id }
        }
    }

    /// The earliest next attempt of a channel's pending deliveries (of one target, when given), if any.
    public func nextAttempt(_ channel: AlertChannel, target: String?) async throws -> Int64? {
        try await transaction { [logger] connection in
            var next: Int64?
            for try await earliest in try await connection.checkedQuery(
                """
                SELECT MIN(next_attempt_at) FROM alert_deliveries
                WHERE status = 'pending' AND channel = \(channel.rawValue)
                  AND (\(target)::text IS NULL OR target = \(target))
                """, logger: logger
            ).decode(Int64?.self) {
                next = earliest
            }
            return next
        }
    }

    /// Records the outcomes of attempts made together, in one transaction and one statement: the outcomes of each
    /// delivery folded in their order (`DeliveryChange`), to what SQLite's one UPDATE per outcome leaves.
    public func record(_ outcomes: [DeliveryRecord]) async throws {
        guard !outcomes.isEmpty else { return }
        let changes = DeliveryChange.folding(outcomes)
        try await transaction { [logger] connection in
            // Arrays carry no NULL here: an empty status keeps the row's, and flags say which values to set.
            _ = try await connection.checkedQuery(
                """
                UPDATE alert_deliveries AS d
                SET attempts = d.attempts + o.attempts,
                    status = COALESCE(NULLIF(o.status, ''), d.status),
                    sent_at = CASE WHEN o.sent THEN o.sent_at ELSE d.sent_at END,
                    last_error = CASE WHEN o.failed THEN o.last_error END,
                    next_attempt_at = CASE WHEN o.retried THEN o.next_attempt_at ELSE d.next_attempt_at END
                FROM unnest(\(changes.map(\.delivery)), \(changes.map(\.attempts)),
                            \(changes.map { $0.status ?? "" }), \(changes.map { $0.sentAt != nil }),
                            \(changes.map { $0.sentAt ?? 0 }), \(changes.map { $0.lastError != nil }),
                            \(changes.map { $0.lastError ?? "" }), \(changes.map { $0.nextAttemptAt != nil }),
                            \(changes.map { $0.nextAttemptAt ?? 0 }))
                    AS o (id, attempts, status, sent, sent_at, failed, last_error, retried, next_attempt_at)
                WHERE d.id = o.id
                """, logger: logger)
        }
    }
}

/// What the outcomes of one delivery recorded together leave in its row, folded in their order: each attempt
/// counts; the latest outcome says the error (none once sent); a sending sets the status and time sent, a retry
/// the next attempt, a giving up the status `failed`.
struct DeliveryChange: Equatable {
    var delivery: Int64
    var attempts = 0
    /// `sent` or `failed`; nil keeps the row's.
    var status: String?
    /// When it was sent; nil keeps the row's.
    var sentAt: Int64?
    /// The latest attempt's error: nil when it was sent (the column cleared).
    var lastError: String?
    /// The next attempt; nil keeps the row's.
    var nextAttemptAt: Int64?

    /// One change per delivery, in the order of each delivery's first outcome.
    static func folding(_ outcomes: [DeliveryRecord]) -> [DeliveryChange] {
        var order: [Int64] = []
        var changes: [Int64: DeliveryChange] = [:]
        for outcome in outcomes {
            let delivery: Int64
            switch outcome {
            case .sent(let id, _), .failed(let id, _, _): delivery = id
            }
            var change = changes[delivery] ?? DeliveryChange(delivery: delivery)
            if changes[delivery] == nil { order.append(delivery) }
            change.attempts += 1
            switch outcome {
            case .sent(_, let at):
                change.status = "sent"
                change.sentAt = at
                change.lastError = nil
            case .failed(_, let error, let next?):
                change.lastError = error
                change.nextAttemptAt = next
            case .failed(_, let error, nil):
                change.status = "failed"
                change.lastError = error
            }
            changes[delivery] = change
        }
        return order.map { changes[$0]! }
    }
}
