import PostgresNIO
import Storage
import Synchronization

extension PostgresDatabase {
    /// How long a caller waits for a connection of the pool before it is told the store is unavailable.
    ///
    /// The pool itself keeps a request waiting while it retries a server that went away, up to a minute (its
    /// "circuit breaker", not configurable in PostgresNIO 1.33): a page's read then hung for that minute, and so did
    /// a SIGTERM, since the HTTP server stops only when its requests have ended.
    static let poolWait: Duration = .seconds(5)

    /// The same while the server is known to be away (the last caller got no connection): a connection the pool
    /// has is handed out in microseconds, so this is enough to see the server back, and each read of a page (an
    /// HTTP request makes two, its address's failed logins first) is answered at once rather than after `poolWait`.
    static let poolWaitWhileAway: Duration = .milliseconds(500)

    /// Runs `body` on a connection of the pool, as `client.withConnection` does, but gives up with
    /// `StoreUnavailable` when no connection comes within `poolWait` (`poolWaitWhileAway`). Once it has a connection
    /// `body` runs to its end, however long a query takes (a year of readings).
    func withPooledConnection<Result: Sendable>(
        _ body: @escaping @Sendable (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        let leased = Leased()
        let wait = poolAway.load(ordering: .relaxed) ? Self.poolWaitWhileAway : Self.poolWait
        do {
            return try await withThrowingTaskGroup(of: Result?.self) { [client] group in
                group.addTask {
                    try await client.withConnection { [self] connection in
                        leased.flag.store(true, ordering: .releasing)
                        poolAway.store(false, ordering: .relaxed)
                        return try await body(connection)
                    }
                }
                group.addTask {
                    try? await Task.sleep(for: wait)
                    guard leased.flag.load(ordering: .acquiring) else {
                        throw StoreUnavailable(
                            "PostgreSQL: no connection within \(wait) (the server is away, or every connection is busy)"
                        )
                    }
                    return nil
                }
                while let next = try await group.next() {
                    if let result = next {
                        group.cancelAll()
                        return result
                    }
                }
                throw CancellationError()
            }
        } catch {
            let leased = leased.flag.load(ordering: .acquiring)
            if !leased, !(error is CancellationError) { poolAway.store(true, ordering: .relaxed) }
            throw Self.unavailable(error, leased: leased)
        }
    }

    /// `query` on a connection of the pool (`withPooledConnection`), its rows handed to `consume`.
    func read<Result: Sendable>(
        _ query: PostgresQuery, _ consume: @escaping @Sendable (PostgresRowSequence) async throws -> Result
    ) async throws -> Result {
        try await withPooledConnection { [logger] connection in
            try await consume(try await connection.checkedQuery(query, logger: logger))
        }
    }

    /// Runs `body` in a transaction on a connection of the pool (`withPooledConnection`).
    func pooledTransaction<Result: Sendable>(
        _ body: @escaping @Sendable (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await withPooledConnection { [logger] connection in
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

    /// `error` as `StoreUnavailable` when it says the server cannot be reached: no connection came (`leased` false:
    /// the pool gave up connecting, or `poolWait` ran out), or the connection broke under the query. Else the error
    /// in words (`PostgresStoreError.explaining`).
    static func unavailable(_ error: any Error, leased: Bool) -> any Error {
        if error is StoreUnavailable || error is CancellationError { return error }
        let explained = PostgresStoreError.explaining(error)
        if !leased { return StoreUnavailable("PostgreSQL: no connection: \(explained)") }
        if let error = error as? PSQLError,
            [.connectionError, .serverClosedConnection, .uncleanShutdown].contains(error.code)
        {
            return StoreUnavailable("\(explained)")
        }
        return explained
    }

    /// Whether `withPooledConnection`'s body got its connection.
    private final class Leased: Sendable {
        let flag = Atomic<Bool>(false)
    }
}
