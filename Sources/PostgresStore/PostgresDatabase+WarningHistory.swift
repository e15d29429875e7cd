import Alerts
import PostgresNIO
import Storage

/// The warning time series as the HTTP API and the bulletins read it from PostgreSQL, with the SQLite store's results
/// (`FloodDatabase+History.swift`): events, and the warnings active now.
extension PostgresDatabase {
    /// Warning events, newest first, optionally of one station and with `from <= ts <= to`.
    public func warningEvents(station: String?, from: Int64?, to: Int64?, limit: Int) async throws
        -> [StoredWarningEvent]
    {
        try await read(
            """
            SELECT * FROM warnings
            WHERE (\(station)::text IS NULL OR station = \(station)) AND (\(from)::bigint IS NULL OR ts >= \(from))
                AND (\(to)::bigint IS NULL OR ts <= \(to))
            ORDER BY id DESC LIMIT \(limit)
            """
        ) { rows in
            var events: [StoredWarningEvent] = []
            for try await row in rows {
                if let event = try Self.decodeWarningsRow(row.makeRandomAccess()) { events.append(event) }
            }
            return events
        }
    }

    /// The active warnings, of one station or all, with the acknowledgement that covers each one's level: what the
    /// alert service reads (`activeWarnings(station:)`).
    public func activeWarningsAsync(station: String?) async throws -> [ActiveWarning] {
        try await activeWarnings(station: station)
    }

    /// Active warnings from rows of `warnings` with `raised_at`, `ack_by` and `ack_at`; rows this version does not
    /// understand are left out.
    static func activeWarnings(from rows: PostgresRowSequence) async throws -> [ActiveWarning] {
        var warnings: [ActiveWarning] = []
        for try await row in rows {
            let columns = row.makeRandomAccess()
            guard let latest = try decodeWarningsRow(columns) else { continue }
            warnings.append(
                ActiveWarning(
                    latest: latest, raisedAt: try columns["raised_at"].decode(Int64?.self) ?? latest.event.timestamp,
                    acknowledgedBy: try columns["ack_by"].decode(String?.self),
                    acknowledgedAt: try columns["ack_at"].decode(Int64?.self)))
        }
        return warnings
    }
}
