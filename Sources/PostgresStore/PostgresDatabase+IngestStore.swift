import Gauges
import Storage
import Warnings

/// The PostgreSQL store on the ingest path: each blocking method waits for its asynchronous twin, on the ingest
/// thread (`waitForAsync`). Until the transaction committed the call does not return, so the ingest path
/// acknowledges a batch's messages only after its commit, as on SQLite.
extension PostgresDatabase: IngestStore {
    public func store(
        _ batch: IngestBatch, evaluateNumbered evaluate: ([Reading], [Int64], [GapChange]) -> EngineResult
    ) throws -> IngestOutcome {
        try waitForStore(batch, on: ingestConnection, fence: nil, evaluateNumbered: evaluate)
    }

    public func store(_ result: EngineResult, createdAt: Int64) throws {
        try waitForAsync(watching: ingestConnection) { try await self.store(result, createdAt: createdAt) }
    }

    /// The blocking `store(_:evaluateNumbered:)` on `own`, under `fence` when given: the ingest path's, or a
    /// slot's (`SlotStore`).
    func waitForStore(
        _ batch: IngestBatch, on own: OwnConnection, fence: Lease?,
        evaluateNumbered evaluate: ([Reading], [Int64], [GapChange]) -> EngineResult
    ) throws -> IngestOutcome {
        try withoutActuallyEscaping(evaluate) { evaluate in
            let lent = LentToWaitedTask(evaluate)
            defer { lent.takeBack() }
            // Given back empty once taken back: only a transaction given up on a closed connection, which cannot
            // commit, would still ask.
            return try waitForAsync(watching: own) {
                try await self.store(batch, on: own, fence: fence) { readings, numbers, gaps in
                    lent.use({ $0(readings, numbers, gaps) }, otherwise: EngineResult())
                }
            }
        }
    }

    public func engineRestore(catalogue: StationCatalogue, historySeconds: Int) throws
        -> (snapshots: [SensorKey: SensorSnapshot], recent: [Reading], arrivals: [SensorKey: Int64])
    {
        try waitOn(ingestConnection) {
            try await self.engineRestore(catalogue: catalogue, historySeconds: historySeconds)
        }
    }
}
