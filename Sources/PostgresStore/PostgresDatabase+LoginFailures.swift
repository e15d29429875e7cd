import PostgresNIO
import Storage

/// Failed HTTP authentications in the shared database (schema v5), for every instance's `FailedLogins`.
extension PostgresDatabase: LoginFailureStore {
    public func recordLoginFailure(_ address: String, at now: Int64, since: Int64) async throws
        -> (count: Int, first: Int64)
    {
        try await transaction { [logger] connection in
            // The window's older failures of every address go as new ones come: the table stays small.
            try await connection.checkedQuery("DELETE FROM login_failures WHERE at < \(since)", logger: logger)
            try await connection.checkedQuery(
                "INSERT INTO login_failures (address, at) VALUES (\(address), \(now))", logger: logger)
            for try await (count, first) in try await connection.checkedQuery(
                "SELECT count(*), min(at) FROM login_failures WHERE address = \(address) AND at >= \(since)",
                logger: logger
            ).decode((Int, Int64).self) {
                return (count, first)
            }
            return (1, now)
        }
    }

    public func loginFailures(_ address: String, since: Int64) async throws -> (count: Int, first: Int64?) {
        try await read("SELECT count(*), min(at) FROM login_failures WHERE address = \(address) AND at >= \(since)") {
            rows in
            for try await (count, first) in rows.decode((Int, Int64?).self) { return (count, first) }
            return (0, nil)
        }
    }
}
