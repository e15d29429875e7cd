import Gauges
import Storage
import Warnings

/// The store as one slot's ingest path sees it (issue 17): every batch and every finding of the engine written
/// under the slot's lease, on a connection of the slot's own, so that slots held by one instance store side by
/// side. A write after the lease was lost stores nothing and throws `LeaseLost`: the slot's ingest path then stops
/// without acknowledging, and the broker gives the messages to the slot's next owner.
public final class SlotStore: IngestStore, Sendable {
    public let lease: Lease
    let database: PostgresDatabase
    let connection: OwnConnection

    public init(_ database: PostgresDatabase, lease: Lease) {
        self.database = database
        self.lease = lease
        connection = OwnConnection(database.leasedConfiguration, logger: database.logger)
    }

    public func store(
        _ batch: IngestBatch, evaluateNumbered evaluate: ([Reading], [Int64], [GapChange]) -> EngineResult
    ) throws -> IngestOutcome {
        try database.waitForStore(batch, on: connection, fence: lease, evaluateNumbered: evaluate)
    }

    public func store(_ result: EngineResult, createdAt: Int64) throws {
        try waitForAsync(watching: connection) { [database, connection, lease] in
            try await database.store(result, createdAt: createdAt, on: connection, fence: lease)
        }
    }

    /// The engine's state and recent readings of the sensors of `catalogue`: the slot's stations.
    public func engineRestore(catalogue: StationCatalogue, historySeconds: Int) throws
        -> (snapshots: [SensorKey: SensorSnapshot], recent: [Reading], arrivals: [SensorKey: Int64])
    {
        try database.waitOn(connection) { [database] in
            try await database.engineRestore(catalogue: catalogue, historySeconds: historySeconds)
        }
    }

    /// Closes the slot's connection.
    public func close() async {
        await connection.close()
    }
}
