import Alerts
import Warnings

/// What the HTTP API, the page and the bulletins need of a store: readings and their buckets, the latest readings
/// now and as of a time, rain totals, warning events and the active warnings (now and as of a time), counter gaps,
/// the notices of the CAP feed, and an officer's acknowledgement. They know no more of the store than this
/// (issue 16: PostgreSQL beside SQLite).
///
/// Asynchronous: called from request handlers and the bulletin schedule, never on the ingest thread. Reads never
/// wait for the writer.
public protocol HistoryStore: AnyObject, Sendable {
    /// Readings of a sensor with `from <= ts <= to`, oldest first, at most `limit`.
    func readings(station: String, sensor: String, from: Int64, to: Int64, limit: Int) async throws
        -> [StoredReading]
    /// Readings summarised by buckets of `stepSeconds` (hours and days from the rollups) starting in `[from, to)`;
    /// empty buckets left out.
    func readingBuckets(station: String, sensor: String, from: Int64, to: Int64, stepSeconds: Int) async throws
        -> [ReadingBucket]
    /// The newest reading of a sensor, and the newest at least an hour older (for the trend).
    func latest(station: String, sensor: String) async throws -> (StoredReading, hourBefore: StoredReading?)?
    /// The newest good reading of a sensor at or before `time`, and the newest good one at least an hour older.
    func latest(station: String, sensor: String, at time: Int64) async throws
        -> (StoredReading, hourBefore: StoredReading?)?
    /// The sum and count of the good readings of a sensor with `after < ts <= through`.
    func total(station: String, sensor: String, after: Int64, through: Int64) async throws -> (sum: Double, count: Int)
    /// Warning events, newest first, optionally of one station and with `from <= ts <= to`.
    func warningEvents(station: String?, from: Int64?, to: Int64?, limit: Int) async throws -> [StoredWarningEvent]
    /// The active warnings, of one station or all, with their acknowledgement.
    func activeWarningsAsync(station: String?) async throws -> [ActiveWarning]
    /// The warnings that were active at `time`, with the acknowledgement made by then.
    func activeWarnings(at time: Int64) async throws -> [ActiveWarning]
    /// The gaps in gauges' counters of a station (or all), newest first; only the open ones when `open` is true.
    func sequenceGaps(station: String?, from: Int64?, to: Int64?, open: Bool, limit: Int) async throws
        -> [SequenceGap]
    /// The latest notice of each active warning: what the CAP (Atom) feed lists.
    func activeNoticesAsync() async throws -> [Notice]
    /// A notice, for its CAP document.
    func noticeAsync(_ id: Int64) async throws -> Notice?
    /// Acknowledges a warning: its acknowledgement event, with who, from where and a note.
    func acknowledgeAsync(warning: Int64, by officer: String, note: String?, from origin: String?, at now: Int64)
        async throws -> StoredWarningEvent
}

extension HistoryStore {
    public func activeWarningsAsync() async throws -> [ActiveWarning] { try await activeWarningsAsync(station: nil) }
}

/// The SQLite store.
extension FloodDatabase: HistoryStore {}
