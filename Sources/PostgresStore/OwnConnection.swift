import Logging
import PostgresNIO
import Synchronization

/// One PostgreSQL connection kept for one caller that works on threads of its own (the ingest path, the alert
/// service), opened when first needed and opened again after it broke.
///
/// Not the client's pool: when the server goes away the pool keeps each request waiting while it retries in the
/// background, for up to a minute before it fails them (its "circuit breaker"), and after a long outage it waits up
/// to a minute between attempts. The ingest path must fail a batch within seconds instead, so that it says why
/// (log, `/readyz`, metrics) and retries on its own schedule; and it must be back as soon as the server is.
/// A connection that failed is closed and forgotten, and the next call connects afresh, at most
/// `connectTimeout` later.
final class OwnConnection: Sendable {
    private let configuration: PostgresConnection.Configuration
    private let logger: Logger
    private let slot = Slot()
    /// The transaction running now, for `giveUpIfStranded`.
    private let running = Mutex<Running?>(nil)
    private let turns = Atomic<Int>(0)

    /// How long a transaction may wait on a connection that has closed before its caller gives it up.
    static let strandedAfter: Duration = .seconds(2)

    init(_ configuration: PostgresConnection.Configuration, connectTimeout: TimeAmount = .seconds(5), logger: Logger) {
        var configuration = configuration
        configuration.options.connectTimeout = connectTimeout
        self.configuration = configuration
        self.logger = logger
    }

    /// Runs `body` in a transaction on the connection. When anything fails, the connection is closed, which ends
    /// the transaction unfinished (the server rolls it back): whether it broke or not, the caller retries the whole
    /// transaction on a clean one.
    ///
    /// One transaction at a time: callers that come together (the alert service's lanes, each on a thread of its
    /// own) take turns.
    func withTransaction<Result: Sendable>(_ body: (PostgresConnection) async throws -> Result) async throws -> Result {
        await slot.take()
        let turn = turns.add(1, ordering: .relaxed).newValue
        running.withLock { $0 = Running(turn: turn) }
        do {
            let connection = try await slot.connection { [configuration, logger] in
                try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
            }
            running.withLock { if $0?.turn == turn { $0?.connection = connection } }
            do {
                try await connection.checkedQuery("BEGIN", logger: logger)
                let result = try await body(connection)
                try await connection.checkedQuery("COMMIT", logger: logger)
                await finish(turn)
                return result
            } catch {
                await slot.forget(connection)
                throw error
            }
        } catch {
            await finish(turn)
            throw error
        }
    }

    /// Ends turn `turn` and hands the connection to the next caller, unless the turn was given up already.
    private func finish(_ turn: Int) async {
        let current = running.withLock { running in
            guard running?.turn == turn else { return false }
            running = nil
            return true
        }
        if current { await slot.give() }
    }

    /// Called by a caller waiting for a transaction (`waitForAsync`): true, and the transaction given up, when it
    /// has waited `strandedAfter` on a connection that closed. Its query was lost (`checkedQuery` says how) and
    /// its answer would never come. The connection is forgotten and the turn handed on, so the next call connects
    /// afresh; the server rolled the transaction back when the connection closed.
    func giveUpIfStranded(now: ContinuousClock.Instant = .now) -> Bool {
        let stranded = running.withLock { running -> PostgresConnection? in
            guard let connection = running?.connection, connection.isClosed else { return nil }
            guard let since = running?.closedSince else {
                running?.closedSince = now
                return nil
            }
            guard now - since >= Self.strandedAfter else { return nil }
            running = nil
            return connection
        }
        guard let stranded else { return false }
        logger.error(
            "A PostgreSQL query got no answer after its connection closed; the transaction is given up and retried")
        Task { [slot] in
            await slot.forget(stranded)
            await slot.give()
        }
        return true
    }

    /// Closes the connection, if open.
    func close() async {
        await slot.forget(nil)
    }

    /// The transaction whose turn it is: its number, its connection once open, and since when that connection has
    /// been seen closed.
    private struct Running {
        let turn: Int
        var connection: PostgresConnection?
        var closedSince: ContinuousClock.Instant?
    }

    /// The open connection, if any, and whose turn it is.
    private actor Slot {
        private var open: PostgresConnection?
        private var busy = false
        private var waiting: [CheckedContinuation<Void, Never>] = []

        /// Waits for the turn to use the connection.
        func take() async {
            guard busy else {
                busy = true
                return
            }
            await withCheckedContinuation { waiting.append($0) }
        }

        /// Hands the turn to the next caller waiting, if any.
        func give() {
            if waiting.isEmpty {
                busy = false
            } else {
                waiting.removeFirst().resume()
            }
        }

        func connection(_ connect: @Sendable () async throws -> PostgresConnection) async throws
            -> PostgresConnection
        {
            if let open, !open.isClosed { return open }
            await forget(nil)
            let connection = try await connect()
            open = connection
            return connection
        }

        /// Forgets `connection` (or whichever is open, for nil) and closes it: PostgresNIO requires a connection
        /// closed before it is let go, even one the server closed.
        func forget(_ connection: PostgresConnection?) async {
            guard let current = open, connection == nil || current === connection else { return }
            open = nil
            try? await current.close()
        }
    }
}
