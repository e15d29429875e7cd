import Alerts
import GRDB

extension FloodDatabase {
    /// Stores a bulletin and its notice in one transaction, for the alert service to route like any notice.
    /// - Returns: the notice's id.
    @discardableResult
    public func addBulletin(_ bulletin: BulletinPayload, now: Int64) throws -> Int64 {
        try pool.write { db in
            try db.execute(
                sql: "INSERT INTO bulletins (at, text, json, created_at) VALUES (?, ?, ?, ?)",
                arguments: [bulletin.at, bulletin.text, bulletin.json, now])
            let bulletinID = db.lastInsertedRowID
            try db.execute(
                sql: """
                    INSERT INTO alert_notices (kind, bulletin_id, status, created_at)
                    VALUES ('bulletin', ?, 'new', ?)
                    """,
                arguments: [bulletinID, now])
            return db.lastInsertedRowID
        }
    }

    /// When the latest bulletin was made (Unix ms UTC), nil before the first: the schedule survives a restart.
    public func lastBulletinTime() throws -> Int64? {
        try pool.read { db in
            try Int64.fetchOne(db, sql: "SELECT MAX(created_at) FROM bulletins")
        }
    }
}
