import PostgresNIO

extension PostgresDatabase {
    /// The connection of the blocking caller whose call is being served (the alert service's, `alertConnection`),
    /// set by its `waitForAsync` wrappers; nil for the HTTP API's reads and the bulletin schedule, which share the
    /// client's pool.
    @TaskLocal static var callerConnection: OwnConnection?

    /// Runs `body` in a transaction: on the blocking caller's own connection when there is one (it must fail
    /// within seconds while the server is away, not wait on the pool), else on a connection of the pool.
    func transaction<Result: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> Result)
        async throws -> Result
    {
        if let own = Self.callerConnection { return try await own.withTransaction(body) }
        return try await pooledTransaction(body)
    }

    /// Waits, on the alert service's thread, for `work` run on the alert service's own connection.
    func waitOnAlertConnection<Result: Sendable>(_ work: @escaping @Sendable () async throws -> Result) throws
        -> Result
    {
        try waitOn(alertConnection, work)
    }

    /// Waits, on a blocking caller's thread, for `work` whose transactions (`transaction`) run on `own`, the
    /// caller's connection: never on the pool, which keeps a request waiting up to a minute while the server is
    /// away, and a thread waiting there cannot stop (SIGTERM during an outage once left `serve` running).
    func waitOn<Result: Sendable>(_ own: OwnConnection, _ work: @escaping @Sendable () async throws -> Result) throws
        -> Result
    {
        try waitForAsync(watching: own) {
            try await Self.$callerConnection.withValue(own) { try await work() }
        }
    }
}
