import Foundation
import GRDB
import Gauges
import Synchronization
import Warnings

extension FloodDatabase {
    /// Largest part of a rejected payload kept in `rejected.payload`: a hostile sender cannot fill the disk
    /// through the rejected table. `payload_bytes` still records the full size.
    public static let maxStoredRejectedBytes = 256 * 1024

    /// Stores a batch in one transaction: every valid reading once, everything else in `rejected`.
    ///
    /// A reading whose (station, sensor, ts) is already stored adds no row: with the same value it is a
    /// duplicate (a redelivery after a crash, a re-uploaded backlog); with another value the stored one stays
    /// and the newcomer goes to `rejected` with reason "conflicts with stored value".
    /// `evaluate` runs inside the transaction with the readings that were new (never a duplicate), and what it
    /// returns (suspect flags, warning events, engine state) is written in the same transaction.
    /// When this returns, the batch is durable and may be acknowledged. When it throws, nothing of it is stored.
    /// `evaluate` also gets what the new readings changed about gaps in gauges' counters (`trackGaps`), for the
    /// warning engine to judge.
    public func store(
        _ batch: IngestBatch, evaluate: ([Reading], [GapChange]) -> EngineResult = { _, _ in EngineResult() }
    ) throws -> IngestOutcome {
        try store(batch) { readings, _, gaps in evaluate(readings, gaps) }
    }

    /// `store(_:evaluate:)`, with `evaluate` given each new reading's series number too (`series.id`): a number for
    /// its (station, sensor) that never changes, for the warning engine to find the sensor by.
    public func store(
        _ batch: IngestBatch, evaluateNumbered evaluate: ([Reading], [Int64], [GapChange]) -> EngineResult
    ) throws -> IngestOutcome {
        try Self.changing(seriesTails) { tails in
            try Self.changing(openHours) { hours in
                try transaction(batch, tails: &tails, openHours: &hours, evaluate: evaluate)
            }
        }
    }

    /// Runs `body` (a transaction storing readings) on the values of `state`, taken out so that it changes them in
    /// place; its changes are kept when it returns and undone when it throws, and the values put back either way.
    static func changing<Value, Result>(
        _ state: borrowing Mutex<BySeries<Value>>, _ body: (inout BySeries<Value>) throws -> Result
    ) throws -> Result {
        var values = BySeries<Value>()
        state.withLock { swap(&$0, &values) }
        defer { state.withLock { swap(&$0, &values) } }
        let mark = values.mark
        do {
            let result = try body(&values)
            values.keep()
            return result
        } catch {
            values.undo(to: mark)
            throw error
        }
    }

    private func transaction(
        _ batch: IngestBatch, tails: inout SeriesTails, openHours: inout OpenHours,
        evaluate: ([Reading], [Int64], [GapChange]) -> EngineResult
    ) throws -> IngestOutcome {
        try pool.write { db in
            var outcome = IngestOutcome()
            var stored: [Reading] = []
            var storedSeries: [Int64] = []
            stored.reserveCapacity(batch.messages.count)
            storedSeries.reserveCapacity(batch.messages.count)
            var rollups = HourlyRollups(capacity: batch.messages.count)
            // Series with no stored reading before this transaction, seen before the rollups open their hour: every
            // series with a stored reading has an open hour (`openHours`). Their gap tails need no query.
            var newSeries: Set<Int64> = []
            var insertReading = try ReadingInsert(
                in: db, numbers: seriesNumbers.withLock { $0 },
                byCatalogue: catalogueSeries.withLock { $0.take() })
            defer { catalogueSeries.withLock { $0 = insertReading.byCatalogue } }
            let storedValue = try db.cachedStatement(
                sql: "SELECT value FROM readings WHERE station = ? AND sensor = ? AND ts = ?")
            let insertRejected = try db.cachedStatement(
                sql: """
                    INSERT INTO rejected (received_at, topic, station, sensor, reason_code, reason, payload,
                                          payload_bytes)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """)

            func reject(_ message: IngestBatch.Message, _ rejection: Rejection) throws {
                let bytes = message.payload[rejection.payloadRange]
                try insertRejected.execute(arguments: [
                    batch.receivedAt, message.topic, rejection.station, rejection.sensor, rejection.reason.code,
                    rejection.message, Self.storableBytes(bytes), bytes.count,
                ])
                outcome.rejected.append(
                    RejectedRecord(
                        topic: message.topic, station: rejection.station, sensor: rejection.sensor,
                        code: rejection.reason.code, reason: rejection.message))
            }

            // By index: a copy of each message (its topic, payload and two arrays retained and released) was 2.6 %
            // of a drain's samples.
            for index in batch.messages.indices {
                for decoded in batch.messages[index].decoded.readings {
                    let reading = decoded.reading
                    if let series = try insertReading(
                        reading, catalogueIndex: decoded.catalogueIndex, receivedAt: batch.receivedAt)
                    {
                        outcome.stored += 1
                        stored.append(reading)
                        storedSeries.append(series)
                        rollups.add(reading, series: series)
                        if reading.seq != nil, tails[series] == nil, openHours[series] == nil {
                            newSeries.insert(series)
                        }
                        continue
                    }
                    let key: StatementArguments = [reading.station, reading.sensor.rawValue, reading.timestamp]
                    let stored = try Double.fetchOne(storedValue, arguments: key) ?? reading.value
                    if stored == reading.value {
                        outcome.duplicates += 1
                    } else {
                        try reject(
                            batch.messages[index],
                            Rejection(
                                reason: .conflict(
                                    stored: stored, incoming: reading.value, timestamp: reading.timestamp),
                                payloadRange: decoded.payloadRange,
                                station: reading.station, sensor: reading.sensor.rawValue))
                    }
                }
                for rejection in batch.messages[index].decoded.rejections {
                    try reject(batch.messages[index], rejection)
                }
            }
            // Before the engine runs: a reading it marks suspect then recomputes its hour without itself.
            try rollups.write(in: db, openHours: &openHours)
            if !stored.isEmpty {
                let gaps = try Self.trackGaps(
                    stored, series: storedSeries, new: newSeries, tails: &tails, at: batch.receivedAt, in: db)
                outcome.gaps = gaps.opened
                let result = evaluate(stored, storedSeries, gaps.changes)
                try Self.write(result, createdAt: batch.receivedAt, openHours: &openHours, in: db)
                outcome.warnings = result.events
                outcome.newReadings = stored
            }
            return outcome
        }
    }

    /// Valid UTF-8 is kept as TEXT so `sqlite3` and dashboards show it; anything else as a BLOB.
    static func storableBytes(_ bytes: ArraySlice<UInt8>) -> DatabaseValue {
        let kept = bytes.prefix(maxStoredRejectedBytes)
        // Text only without NUL: SQLite's text functions, and the binding of a Swift string, stop at the first one,
        // so such a payload would be kept cut short. It is kept whole as a blob instead.
        if !kept.contains(0), let text = String(validating: kept, as: UTF8.self) {
            return text.databaseValue
        }
        return Data(kept).databaseValue
    }
}
