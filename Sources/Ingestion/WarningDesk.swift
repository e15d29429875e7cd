import Gauges
import Storage
import Warnings

/// The warning engine as the ingest thread drives it: evaluated inside every commit, so a reading and the
/// warning events it causes are stored together, and asked about silent gauges when intake is idle.
///
/// When a transaction fails after the engine has evaluated its readings (a full disk, an I/O error), the engine
/// is rebuilt from the database before the next one, exactly as a restart rebuilds it: from the snapshots and the
/// stored readings, which hold nothing of the failed transaction. So nothing is evaluated twice, and the common
/// path keeps no copy of what each batch changes (copying each touched sensor's windows cost every batch; the
/// restart path is the one the restart tests already hold to giving the same events as an uninterrupted run).
struct WarningDesk {
    private(set) var engine: WarningEngine
    private let catalogue: StationCatalogue
    /// A transaction failed after the engine saw its readings: rebuild the engine before the next one.
    private var stale = false
    /// When silent gauges were last looked for (arrival clock, Unix ms).
    private var lastSilenceCheck: Int64
    /// How often silent gauges are looked for.
    let silenceCheckMilliseconds: Int64

    /// Resumes the engine from the database: persisted state and the recent readings its windows need.
    init(catalogue: StationCatalogue, database: any IngestStore, now: Int64, silenceCheckSeconds: Int = 10) throws {
        self.catalogue = catalogue
        engine = try Self.resume(catalogue, from: database)
        lastSilenceCheck = now
        silenceCheckMilliseconds = Int64(silenceCheckSeconds) * 1000
    }

    private static func resume(_ catalogue: StationCatalogue, from database: any IngestStore) throws -> WarningEngine {
        // One engine, its history asked of it before it is restored: building the stations' plans twice (once only
        // for that length) was a fifth of the first start of 10,000 stations.
        var engine = WarningEngine(catalogue: catalogue)
        let restore = try database.engineRestore(catalogue: catalogue, historySeconds: engine.historySeconds)
        engine.restore(snapshots: restore.snapshots, recent: restore.recent, arrivals: restore.arrivals)
        return engine
    }

    /// Rebuilds the engine from the database if a failed transaction left it ahead of what is stored.
    private mutating func catchUp(with database: any IngestStore) throws {
        guard stale else { return }
        engine = try Self.resume(catalogue, from: database)
        stale = false
    }

    /// Stores a batch with the warning events of its new readings, in one transaction.
    mutating func store(_ batch: IngestBatch, in database: any IngestStore) throws -> IngestOutcome {
        try catchUp(with: database)
        do {
            return try database.store(batch) { newReadings, series, gapChanges in
                let evaluation = engine.evaluate(newReadings, series: series, arrivedAt: batch.receivedAt)
                let gapEvents = engine.judge(gapChanges, at: batch.receivedAt)
                return EngineResult(
                    suspect: evaluation.suspect, events: evaluation.events + gapEvents,
                    snapshots: engine.takeChangedSnapshots())
            }
        } catch {
            stale = true
            throw error
        }
    }

    /// Looks for silent gauges when the last look is `silenceCheckMilliseconds` old; stores what it finds.
    mutating func checkSilence(now: Int64, in database: any IngestStore) throws -> [WarningEvent] {
        guard now - lastSilenceCheck >= silenceCheckMilliseconds else { return [] }
        try catchUp(with: database)
        let events = engine.tick(now: now)
        let snapshots = engine.takeChangedSnapshots()
        do {
            if !events.isEmpty || !snapshots.isEmpty {
                try database.store(EngineResult(events: events, snapshots: snapshots), createdAt: now)
            }
        } catch {
            stale = true
            throw error
        }
        lastSilenceCheck = now
        return events
    }
}
