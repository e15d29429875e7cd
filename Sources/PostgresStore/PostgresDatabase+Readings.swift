import Gauges
import PostgresNIO
import Storage
import Warnings

extension PostgresDatabase {
    /// Stores a batch in one transaction, as the SQLite store does (`FloodDatabase.store(_:evaluateNumbered:)`):
    /// each valid reading once; one whose (station, sensor, ts) is stored already is a duplicate when its value is
    /// the same and goes to `rejected` as a conflict otherwise (the stored value stays); what the decoder refused
    /// goes to `rejected` with its reason and bytes. The gaps the new readings open or fill in their gauges'
    /// counters are tracked (`trackGaps`), and `evaluate` runs inside the transaction with the new readings, their
    /// series numbers and those gap changes; what it returns is written in the same transaction. When this
    /// returns, the batch is committed.
    ///
    /// The readings go in with one statement (arrays unnested), and `ON CONFLICT (series, ts) DO NOTHING
    /// RETURNING` names the rows that were new. The hourly rollups are not kept here yet (issue 16).
    public func store(
        _ batch: IngestBatch,
        evaluateNumbered evaluate: ([Reading], [Int64], [GapChange]) -> EngineResult = { _, _, _ in EngineResult() }
    ) async throws -> IngestOutcome {
        let known = seriesNumbers.withLock { $0 }
        let (outcome, numbered) = try await ingestConnection.withTransaction {
            connection -> (IngestOutcome, [SensorKey: Int32]) in
            var outcome = IngestOutcome()
            var numbers = known
            var readings: [(reading: Reading, series: Int32, message: Int, range: Range<Int>)] = []
            for (index, message) in batch.messages.enumerated() {
                for decoded in message.decoded.readings {
                    let key = SensorKey(station: decoded.reading.station, sensor: decoded.reading.sensor)
                    let series: Int32
                    if let number = numbers[key] {
                        series = number
                    } else {
                        series = try await Self.seriesNumber(key, on: connection, logger: logger)
                        numbers[key] = series
                    }
                    readings.append((decoded.reading, series, index, decoded.payloadRange))
                }
            }

            // A reading of a month with no partition yet (a backlog from long ago, a clock years ahead) would fail
            // its whole batch, and the batch would be retried for ever: its month is created here, in this
            // transaction, under the migrations' lock. Months known to exist are not asked for again.
            let made = createdMonths.withLock { $0 }
            let missing = Set(readings.map { PostgresSchema.Month.containing($0.reading.timestamp) }).subtracting(made)
            if !missing.isEmpty {
                try await connection.query(
                    "SELECT pg_advisory_xact_lock(\(PostgresSchema.migrationLock))", logger: logger)
                for month in missing.sorted(by: { ($0.year, $0.month) < ($1.year, $1.month) }) {
                    try await connection.query(
                        PostgresQuery(unsafeSQL: PostgresSchema.createPartition(month)), logger: logger)
                }
            }

            var new: Set<Key> = []
            if !readings.isEmpty {
                let rows = try await connection.query(
                    """
                    INSERT INTO series_readings (series, ts, value, quality, seq, arrival_ms)
                    SELECT series, ts, value, quality, CASE WHEN has_seq THEN seq END, arrival_ms
                    FROM unnest(\(readings.map(\.series)), \(readings.map(\.reading.timestamp)),
                                \(readings.map(\.reading.value)), \(readings.map { Int16($0.reading.quality.rawValue) }),
                                \(readings.map { $0.reading.seq ?? 0 }), \(readings.map { $0.reading.seq != nil }),
                                \(readings.map { batch.receivedAt &- $0.reading.timestamp }))
                        AS batch (series, ts, value, quality, seq, has_seq, arrival_ms)
                    ON CONFLICT (series, ts) DO NOTHING
                    RETURNING series, ts
                    """, logger: logger)
                for try await (series, ts) in rows.decode((Int32, Int64).self) { new.insert(Key(series, ts)) }
            }

            // The others were stored before (or earlier in this batch): the same value is a duplicate.
            var stored: [Key: Double] = [:]
            let old = readings.filter { !new.contains(Key($0.series, $0.reading.timestamp)) }
            if !old.isEmpty {
                let rows = try await connection.query(
                    """
                    SELECT r.series, r.ts, r.value FROM series_readings AS r
                    JOIN unnest(\(old.map(\.series)), \(old.map(\.reading.timestamp))) AS k (series, ts)
                        ON r.series = k.series AND r.ts = k.ts
                    """, logger: logger)
                for try await (series, ts, value) in rows.decode((Int32, Int64, Double).self) {
                    stored[Key(series, ts)] = value
                }
            }
            var rejections: [(message: Int, rejection: Rejection)] = []
            var taken: Set<Key> = []
            var newSeries: [Int64] = []
            for item in readings {
                let key = Key(item.series, item.reading.timestamp)
                if new.contains(key), taken.insert(key).inserted {
                    outcome.stored += 1
                    outcome.newReadings.append(item.reading)
                    newSeries.append(Int64(item.series))
                    continue
                }
                let value = stored[key] ?? item.reading.value
                if value == item.reading.value {
                    outcome.duplicates += 1
                } else {
                    rejections.append(
                        (
                            item.message,
                            Rejection(
                                reason: .conflict(
                                    stored: value, incoming: item.reading.value, timestamp: item.reading.timestamp),
                                payloadRange: item.range, station: item.reading.station,
                                sensor: item.reading.sensor.rawValue)
                        ))
                }
            }
            for (index, message) in batch.messages.enumerated() {
                rejections += message.decoded.rejections.map { (index, $0) }
            }
            for (index, rejection) in rejections {
                let message = batch.messages[index]
                let bytes = message.payload[rejection.payloadRange].prefix(FloodDatabase.maxStoredRejectedBytes)
                let text = bytes.contains(0) ? nil : String(validating: bytes, as: UTF8.self)
                try await connection.query(
                    """
                    INSERT INTO rejected (received_at, topic, station, sensor, reason_code, reason, payload,
                                          payload_text, payload_bytes)
                    VALUES (\(batch.receivedAt), \(message.topic), \(rejection.station), \(rejection.sensor),
                            \(rejection.reason.code), \(rejection.message), \(ByteBuffer(bytes: bytes)), \(text),
                            \(Int32(rejection.payloadRange.count)))
                    """, logger: logger)
                outcome.rejected.append(
                    RejectedRecord(
                        topic: message.topic, station: rejection.station, sensor: rejection.sensor,
                        code: rejection.reason.code, reason: rejection.message))
            }
            try await Self.addToHourlyRollups(outcome.newReadings, series: newSeries, on: connection, logger: logger)
            if !outcome.newReadings.isEmpty {
                let gaps = try await Self.trackGaps(
                    outcome.newReadings, series: newSeries, at: batch.receivedAt, on: connection, logger: logger)
                outcome.gaps = gaps.opened
                let result = evaluate(outcome.newReadings, newSeries, gaps.changes)
                try await Self.write(result, createdAt: batch.receivedAt, on: connection, logger: logger)
                outcome.warnings = result.events
            }
            return (outcome, numbers)
        }
        // Numbers given, and months created, in a transaction that failed do not exist: kept only once it committed.
        seriesNumbers.withLock { $0.merge(numbered) { old, _ in old } }
        createdMonths.withLock {
            $0.formUnion(
                batch.messages.flatMap(\.decoded.readings).map {
                    PostgresSchema.Month.containing($0.reading.timestamp)
                })
        }
        return outcome
    }

    /// A reading's key in `series_readings`.
    struct Key: Hashable {
        var series: Int32
        var ts: Int64
        init(_ series: Int32, _ ts: Int64) {
            self.series = series
            self.ts = ts
        }
    }

    /// The number of a series, given one inside the caller's transaction when it has none yet.
    static func seriesNumber(_ key: SensorKey, on connection: PostgresConnection, logger: Logger) async throws -> Int32
    {
        try await connection.query(
            """
            INSERT INTO series (station, sensor) VALUES (\(key.station), \(key.sensor.rawValue))
            ON CONFLICT (station, sensor) DO NOTHING
            """, logger: logger)
        for try await id in try await connection.query(
            "SELECT id FROM series WHERE station = \(key.station) AND sensor = \(key.sensor.rawValue)",
            logger: logger
        ).decode(Int32.self) {
            return id
        }
        throw PostgresStoreError("the series of \(key.station)/\(key.sensor.rawValue) has no number")
    }
}

/// A store error with its explanation.
public struct PostgresStoreError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
