import Alerts
import GRDB
import Gauges
import Warnings

/// Why a warning cannot be acknowledged.
public enum AcknowledgeError: Error, Sendable, Hashable, CustomStringConvertible {
    case unknownWarning(Int64)
    case cleared(Int64, at: Int64)
    case alreadyAcknowledged(Int64, by: String, at: Int64)

    public var description: String {
        switch self {
        case .unknownWarning(let id):
            "there is no warning \(id); `floodwatch alerts` and the warnings table list the warning ids"
        case .cleared(let id, let at):
            "warning \(id) was cleared at \(UnixTime.vietnam(at)); there is nothing left to acknowledge"
        case .alreadyAcknowledged(let id, let by, let at):
            "warning \(id) was already acknowledged by \(by) at \(UnixTime.vietnam(at)) at its current level"
        }
    }
}

extension FloodDatabase {
    /// Records that an officer has a warning in hand: an `acknowledged` row in `warnings`, at the warning's current
    /// level, and its notice, in one transaction. Reminders stop until the warning escalates again.
    /// - Parameter origin: where it came from, for the audit: "HTTP from 10.0.0.7, token duty-officer".
    public func acknowledge(
        warning warningID: Int64, by officer: String, note: String?, from origin: String?, at now: Int64
    ) throws -> StoredWarningEvent {
        try pool.write { db in
            try Self.acknowledge(warning: warningID, by: officer, note: note, from: origin, at: now, in: db)
        }
    }

    static func acknowledge(
        warning warningID: Int64, by officer: String, note: String?, from origin: String?, at now: Int64,
        in db: Database
    ) throws -> StoredWarningEvent {
        do {
            guard
                let latestID = try Int64.fetchOne(
                    db,
                    sql: "SELECT MAX(id) FROM warnings WHERE warning_id = ? AND event != 'acknowledged'",
                    arguments: [warningID]),
                let latest = try storedEvent(latestID, in: db)
            else { throw AcknowledgeError.unknownWarning(warningID) }
            if latest.event.kind == .cleared {
                throw AcknowledgeError.cleared(warningID, at: latest.event.timestamp)
            }
            if let previous = try Row.fetchOne(
                db,
                sql: """
                    SELECT acknowledged_by, created_at FROM warnings
                    WHERE warning_id = ? AND event = 'acknowledged'
                      AND id > (SELECT MAX(id) FROM warnings WHERE warning_id = ? AND event IN ('raised', 'escalated', 'updated'))
                    ORDER BY id DESC LIMIT 1
                    """,
                arguments: [warningID, warningID])
            {
                throw AcknowledgeError.alreadyAcknowledged(
                    warningID, by: previous["acknowledged_by"] ?? "?", at: previous["created_at"])
            }
            let event = latest.event
            let messageVI = "Đã xác nhận bởi \(officer)" + (note.map { ": \($0)" } ?? "") + " — " + event.messageVI
            let messageEN = "Acknowledged by \(officer)" + (note.map { ": \($0)" } ?? "") + " — " + event.messageEN
            try db.execute(
                sql: """
                    INSERT INTO warnings (warning_id, station, sensor, rule, event, level, ts, value, threshold,
                                          window_s, late, message_vi, message_en, created_at, acknowledged_by, note,
                                          acknowledged_from, risk_level, area)
                    VALUES (?, ?, ?, ?, 'acknowledged', ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    warningID, event.station, event.sensor.rawValue, event.rule.rawValue, event.level, now,
                    event.value, event.threshold, event.windowSeconds, messageVI, messageEN, now, officer, note,
                    origin, event.riskLevel, event.area,
                ])
            let id = db.lastInsertedRowID
            try db.execute(
                sql: """
                    INSERT INTO alert_notices (kind, event_id, warning_id, previous_level, status, created_at)
                    VALUES ('event', ?, ?, ?, 'new', ?)
                    """,
                arguments: [id, warningID, event.level, now])
            guard let stored = try storedEvent(id, in: db) else {
                throw AcknowledgeError.unknownWarning(warningID)
            }
            return stored
        }
    }
}
