import Logging
import PostgresNIO

extension PostgresDatabase {
    /// The channel of FloodWatch's live events (`NOTIFY`/`LISTEN`): what one instance committed, for the live
    /// streams (`GET /api/events`) of every instance.
    public static let eventsChannel = "floodwatch_events"

    /// The longest payload PostgreSQL's `NOTIFY` takes is 8,000 bytes; callers keep theirs under this.
    public static let maximumNotification = 7_900

    /// Sends each payload on the events channel, in order, on one connection of the pool.
    public func notify(_ payloads: [String]) async throws {
        guard !payloads.isEmpty else { return }
        try await withPooledConnection { [logger] connection in
            for payload in payloads {
                try await connection.checkedQuery("SELECT pg_notify(\(Self.eventsChannel), \(payload))", logger: logger)
            }
        }
    }

    /// Listens on the events channel until the task is cancelled, handing each payload to `receive`. A connection
    /// of its own, opened again a second after it broke (the server restarted): what was notified meanwhile is
    /// not seen, as with any `LISTEN`; the page's own refresh fills that in.
    public func listenForEvents(_ receive: @escaping @Sendable (String) -> Void) async {
        var configuration = PostgresConnection.Configuration(
            host: location.host, port: location.port, username: location.user, password: password,
            database: location.database, tls: .disable)
        configuration.options.connectTimeout = .seconds(5)
        while !Task.isCancelled {
            do {
                let connection = try await PostgresConnection.connect(
                    configuration: configuration, id: 2, logger: logger)
                do {
                    try await connection.listen(on: Self.eventsChannel) { notifications in
                        for try await notification in notifications { receive(notification.payload) }
                    }
                } catch {
                    if !Task.isCancelled {
                        logger.warning(
                            "Live events from PostgreSQL interrupted; listening again",
                            metadata: ["error": "\(PostgresStoreError.explaining(error))"])
                    }
                }
                try? await connection.close()
            } catch {
                logger.warning(
                    "Cannot listen for live events on PostgreSQL; trying again",
                    metadata: ["error": "\(PostgresStoreError.explaining(error))"])
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }
}
