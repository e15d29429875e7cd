import Gauges
import Storage
import Warnings

/// The warning engine as the ingest thread drives it: evaluated inside every commit, so a reading and the
/// warning events it causes are stored together, and asked about silent gauges when intake is idle.
///
/// Each transaction's changes to the engine are kept only once it has committed (`WarningEngine.beginChanges`):
/// a failed commit is undone and retried from the same state, so nothing is evaluated twice.
struct WarningDesk {
    private(set) var engine: WarningEngine
    /// When silent gauges were last looked for (arrival clock, Unix ms).
    private var lastSilenceCheck: Int64
    /// How often silent gauges are looked for.
    let silenceCheckMilliseconds: Int64

    /// Resumes the engine from the database: persisted state and the recent readings its windows need.
    init(catalogue: StationCatalogue, database: FloodDatabase, now: Int64, silenceCheckSeconds: Int = 10) throws {
        let restore = try database.engineRestore(
            catalogue: catalogue, historySeconds: WarningEngine.historySeconds(for: catalogue))
        engine = WarningEngine(
            catalogue: catalogue, snapshots: restore.snapshots, recent: restore.recent, arrivals: restore.arrivals)
        lastSilenceCheck = now
        silenceCheckMilliseconds = Int64(silenceCheckSeconds) * 1000
    }

    /// Stores a batch with the warning events of its new readings, in one transaction.
    mutating func store(_ batch: IngestBatch, in database: FloodDatabase) throws -> IngestOutcome {
        engine.beginChanges()
        do {
            let outcome = try database.store(batch) { newReadings, gapChanges in
                let evaluation = engine.evaluate(newReadings, arrivedAt: batch.receivedAt)
                let gapEvents = engine.judge(gapChanges, at: batch.receivedAt)
                return EngineResult(
                    suspect: evaluation.suspect, events: evaluation.events + gapEvents,
                    snapshots: engine.takeChangedSnapshots())
            }
            engine.keepChanges()
            return outcome
        } catch {
            engine.undoChanges()
            throw error
        }
    }

    /// Looks for silent gauges when the last look is `silenceCheckMilliseconds` old; stores what it finds.
    mutating func checkSilence(now: Int64, in database: FloodDatabase) throws -> [WarningEvent] {
        guard now - lastSilenceCheck >= silenceCheckMilliseconds else { return [] }
        engine.beginChanges()
        let events = engine.tick(now: now)
        let snapshots = engine.takeChangedSnapshots()
        do {
            if !events.isEmpty || !snapshots.isEmpty {
                try database.store(EngineResult(events: events, snapshots: snapshots), createdAt: now)
            }
        } catch {
            engine.undoChanges()
            throw error
        }
        engine.keepChanges()
        lastSilenceCheck = now
        return events
    }
}
