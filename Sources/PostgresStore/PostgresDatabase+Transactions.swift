import PostgresNIO

extension PostgresDatabase {
    /// The connection of the blocking caller whose call is being served (the alert service's, `alertConnection`),
    /// set by its `waitForAsync` wrappers; nil for the HTTP API's reads and the bulletin schedule, which share the
    /// client's pool.
    @TaskLocal static var callerConnection: OwnConnection?

    /// Runs `body` in a transaction: on the blocking caller's own connection when there is one (it must fail
    /// within seconds while the server is away, not wait on the pool), else on a connection of the pool.
    func transaction<Result: Sendable>(_ body: (PostgresConnection) async throws -> Result)
        async throws -> Result
    {
        if let own = Self.callerConnection { return try await own.withTransaction(body) }
        return try await client.withConnection { connection in
            try await connection.checkedQuery("BEGIN", logger: logger)
            do {
                let result = try await body(connection)
                try await connection.checkedQuery("COMMIT", logger: logger)
                return result
            } catch {
                // The connection goes back to the pool: it must not stay inside the failed transaction.
                _ = try? await connection.checkedQuery("ROLLBACK", logger: logger)
                throw error
            }
        }
    }

    /// Waits, on the alert service's thread, for `work` run on the alert service's own connection.
    func waitOnAlertConnection<Result: Sendable>(_ work: @escaping @Sendable () async throws -> Result) throws
        -> Result
    {
        try waitForAsync(watching: alertConnection) {
            try await Self.$callerConnection.withValue(self.alertConnection) { try await work() }
        }
    }
}
