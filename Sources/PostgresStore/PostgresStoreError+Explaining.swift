import PostgresNIO

extension PostgresStoreError {
    /// An error of the PostgreSQL client told in words an operator can act on. PostgresNIO describes its errors
    /// only as "PSQLError – Generic description…" (so that nothing leaks to end users); the log, `/readyz` and the
    /// start-up message need what went wrong: the connection refused, the server's own message, the SQL state.
    /// The query and its values are left out: they may hold readings' payloads.
    static func explaining(_ error: any Error) -> any Error {
        switch error {
        case let error as PSQLError:
            var words = "PostgreSQL: \(error.code)"
            if let message = error.serverInfo?[.message] {
                words += ": \(message)"
                if let state = error.serverInfo?[.sqlState] { words += " (SQLSTATE \(state))" }
                if let detail = error.serverInfo?[.detail] { words += "; \(detail)" }
            }
            if let underlying = error.underlying { words += ": \(underlying)" }
            return PostgresStoreError(words)
        case let error as PostgresTransactionError:
            guard let cause = error.beginError ?? error.closureError ?? error.commitError else { return error }
            return explaining(cause)
        default:
            return error
        }
    }
}
