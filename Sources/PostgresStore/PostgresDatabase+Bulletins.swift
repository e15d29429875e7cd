import Alerts
import PostgresNIO
import Storage

/// The bulletin schedule's store on PostgreSQL, as on SQLite (`FloodDatabase+Bulletins`).
extension PostgresDatabase: BulletinStore {
    @discardableResult
    public func addBulletin(_ bulletin: BulletinPayload, now: Int64) async throws -> Int64 {
        try await pooledTransaction { [logger] connection in
            let rows = try await connection.checkedQuery(
                """
                WITH made AS (
                    INSERT INTO bulletins (at, text, json, created_at)
                    VALUES (\(bulletin.at), \(bulletin.text), \(bulletin.json), \(now))
                    RETURNING id
                )
                INSERT INTO alert_notices (kind, bulletin_id, status, created_at)
                SELECT 'bulletin', id, 'new', \(now) FROM made
                RETURNING id
                """, logger: logger)
            for try await id in rows.decode(Int64.self) { return id }
            throw PostgresStoreError("the bulletin's notice was not stored")
        }
    }

    public func lastBulletinTime() async throws -> Int64? {
        try await read("SELECT max(created_at) FROM bulletins") { rows in
            for try await time in rows.decode(Int64?.self) { return time }
            return nil
        }
    }

    public func installationID() async throws -> String {
        try await read("SELECT id FROM installation LIMIT 1") { rows in
            for try await id in rows.decode(String.self) { return id }
            return ""
        }
    }
}
