import Gauges
import Warnings

/// What the ingest path needs of a store (`IngestService`, `WarningDesk`): a batch stored with what the warning
/// engine makes of its new readings in one transaction, the engine's findings between batches (silent gauges), and
/// what the engine resumes from. The ingest path knows no more of the store than this, so that another store
/// (PostgreSQL, issue 16) can stand in for the SQLite file.
///
/// Blocking: called on the ingest thread, never on Swift's cooperative pool. Every method either does all of its
/// writes or none, and when it returns they are durable: the ingest path acknowledges a batch's messages only then.
public protocol IngestStore: AnyObject, Sendable {
    /// Stores a batch: each valid reading once, duplicates counted, everything else kept as rejected; `evaluate` runs
    /// inside the transaction with the readings that were new, their series numbers (stable for the store's life)
    /// and the gap changes they revealed, and what it returns is written in the same transaction.
    /// (`FloodDatabase.store(_:evaluateNumbered:)` says it in full.)
    func store(
        _ batch: IngestBatch, evaluateNumbered evaluate: ([Reading], [Int64], [GapChange]) -> EngineResult
    ) throws -> IngestOutcome

    /// Writes warning events, their alert notices and engine state found outside a batch (silent gauges).
    func store(_ result: EngineResult, createdAt: Int64) throws

    /// The engine's persisted state, and for every sensor of the catalogue its stored readings of the last
    /// `historySeconds` before its newest one, with the latest arrival among them.
    func engineRestore(catalogue: StationCatalogue, historySeconds: Int) throws
        -> (snapshots: [SensorKey: SensorSnapshot], recent: [Reading], arrivals: [SensorKey: Int64])
}

/// The SQLite store.
extension FloodDatabase: IngestStore {}
