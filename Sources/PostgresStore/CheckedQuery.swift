import Logging
import PostgresNIO

extension PostgresConnection {
    /// `query`, refused at once on a connection already closed.
    ///
    /// PostgresNIO 1.33.2 writes a query to its channel with no promise (`PostgresConnection.query`), and once the
    /// closed channel's handlers are gone NIO drops that write without a word: the query's answer never comes and
    /// its caller waits for ever. It happens when the server goes away between two queries of a transaction (while
    /// the warning engine evaluates a batch, say): the ingest path then hung without a log line, `/readyz` stayed
    /// 200 and SIGTERM could not stop `serve`. Every query the store sends goes through here, on its own
    /// connections and the pool's alike (`withPooledConnection`; the pool's `client.query` is not used), so that a
    /// closed connection fails the transaction, which is retried on a new one. A close in the microseconds between
    /// the check and the write is still possible; the blocking callers' wait (`waitForAsync`) gives such a call up,
    /// and on the pool it would hold that one request.
    @discardableResult
    func checkedQuery(_ query: PostgresQuery, logger: Logger, file: String = #fileID, line: Int = #line)
        async throws -> PostgresRowSequence
    {
        guard !isClosed else { throw PostgresStoreError.connectionClosed }
        return try await self.query(query, logger: logger, file: file, line: line)
    }
}

extension PostgresStoreError {
    /// The connection closed under a transaction: the server went away, or ended the session.
    static var connectionClosed: PostgresStoreError {
        PostgresStoreError("PostgreSQL: the connection closed (the server went away or ended the session)")
    }
}
