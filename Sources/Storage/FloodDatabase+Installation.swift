import GRDB

extension FloodDatabase {
    /// The installation id drawn when this database was created (migration v11): what makes CAP identifiers
    /// distinct across databases. Empty when the table has no row, which only a hand-edited database has.
    public func installationID() throws -> String {
        try pool.read { db in
            try String.fetchOne(db, sql: "SELECT id FROM installation LIMIT 1") ?? ""
        }
    }
}
