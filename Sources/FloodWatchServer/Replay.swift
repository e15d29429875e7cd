import Catalogue
import Gauges
import Storage
import Warnings

/// Recorded readings through the warning engine, for `floodwatch replay`: hydrologists try thresholds against past
/// floods before they change the live catalogue.
public enum Replay {
    /// Stores the readings and their warning events in the database at `path`, through the same transaction as
    /// live ingestion, in time-ordered slices of 1,000 (each one transaction, as live batches are).
    /// - Returns: the warning events, in the order they were stored.
    public static func store(
        _ readings: [Reading], into path: String, catalogue: StationCatalogue, clock: WallClock = .system
    ) throws -> [WarningEvent] {
        let database = try FloodDatabase(path: path)
        defer { database.shutDown() }
        try database.synchronizeStations(catalogue, now: clock())
        var engine = WarningEngine(catalogue: catalogue)
        var events: [WarningEvent] = []
        var start = 0
        while start < readings.count {
            let slice = readings[start..<min(start + 1000, readings.count)]
            let batch = IngestBatch(
                receivedAt: clock(),
                messages: slice.map { reading in
                    IngestBatch.Message(
                        topic: "replay", payload: [],
                        decoded: DecodedMessage(readings: [DecodedReading(reading: reading, payloadRange: 0..<0)]))
                })
            engine.beginChanges()
            do {
                // Recorded floods carry no gauge counters, so no gaps.
                let outcome = try database.store(batch) { newReadings, _ in
                    let evaluation = engine.replay(newReadings)
                    return EngineResult(
                        suspect: evaluation.suspect, events: evaluation.events,
                        snapshots: engine.takeChangedSnapshots())
                }
                engine.keepChanges()
                events += outcome.warnings
            } catch {
                engine.undoChanges()
                throw error
            }
            start += slice.count
        }
        return events
    }
}
