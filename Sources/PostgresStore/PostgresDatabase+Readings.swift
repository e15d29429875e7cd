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
    /// RETURNING` names the rows that were new; the hourly rollups are added to in the same transaction.
    public func store(
        _ batch: IngestBatch,
        evaluateNumbered evaluate: ([Reading], [Int64], [GapChange]) -> EngineResult = { _, _, _ in EngineResult() }
    ) async throws -> IngestOutcome {
        try await store(batch, on: ingestConnection, fence: nil, evaluateNumbered: evaluate)
    }

    /// `store(_:evaluateNumbered:)` on `own`, and under `fence` when given: the transaction first checks that the
    /// lease is still held (`checkFence`), and stores nothing, throwing `LeaseLost`, when it is not.
    func store(
        _ batch: IngestBatch, on own: OwnConnection, fence: Lease?,
        evaluateNumbered evaluate: ([Reading], [Int64], [GapChange]) -> EngineResult
    ) async throws -> IngestOutcome {
        let known = seriesNumbers.withLock { $0 }
        let (outcome, numbered) = try await own.withTransaction {
            connection -> (IngestOutcome, [SensorKey: Int32]) in
            if let fence { try await Self.checkFence(fence, on: connection, logger: logger) }
            var outcome = IngestOutcome()
            var numbers = known
            var unnumbered: Set<SensorKey> = []
            for message in batch.messages {
                for decoded in message.decoded.readings {
                    let key = SensorKey(station: decoded.reading.station, sensor: decoded.reading.sensor)
                    if numbers[key] == nil { unnumbered.insert(key) }
                }
            }
            if !unnumbered.isEmpty {
                numbers.merge(try await Self.seriesNumbers(unnumbered, on: connection, logger: logger)) { old, _ in old
                }
            }
            var readings: [(reading: Reading, series: Int32, message: Int, range: Range<Int>)] = []
            for (index, message) in batch.messages.enumerated() {
                for decoded in message.decoded.readings {
                    let key = SensorKey(station: decoded.reading.station, sensor: decoded.reading.sensor)
                    guard let series = numbers[key] else {
                        throw PostgresStoreError("the series of \(key.station)/\(key.sensor.rawValue) has no number")
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
                try await connection.checkedQuery(
                    "SELECT pg_advisory_xact_lock(\(PostgresSchema.migrationLock))", logger: logger)
                for month in missing.sorted(by: { ($0.year, $0.month) < ($1.year, $1.month) }) {
                    try await connection.checkedQuery(
                        PostgresQuery(unsafeSQL: PostgresSchema.createPartition(month)), logger: logger)
                }
            }

            // The rows this batch inserted, with the value each took: when a batch holds one key twice, the row
            // PostgreSQL inserted decides which of its readings is stored, and the others are told against it.
            var new: [Key: Double] = [:]
            if !readings.isEmpty {
                let rows = try await connection.checkedQuery(
                    """
                    INSERT INTO series_readings (series, ts, value, quality, seq, arrival_ms)
                    SELECT series, ts, value, quality, CASE WHEN has_seq THEN seq END, arrival_ms
                    FROM unnest(\(readings.map(\.series)), \(readings.map(\.reading.timestamp)),
                                \(readings.map(\.reading.value)), \(readings.map { Int16($0.reading.quality.rawValue) }),
                                \(readings.map { $0.reading.seq ?? 0 }), \(readings.map { $0.reading.seq != nil }),
                                \(readings.map { batch.receivedAt &- $0.reading.timestamp }))
                        AS batch (series, ts, value, quality, seq, has_seq, arrival_ms)
                    ON CONFLICT (series, ts) DO NOTHING
                    RETURNING series, ts, value
                    """, logger: logger)
                for try await (series, ts, value) in rows.decode((Int32, Int64, Double).self) {
                    new[Key(series, ts)] = value
                }
            }

            // The others were stored before (or earlier in this batch): the same value is a duplicate.
            var stored: [Key: Double] = [:]
            let old = readings.filter { new[Key($0.series, $0.reading.timestamp)] == nil }
            if !old.isEmpty {
                let rows = try await connection.checkedQuery(
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
                if let inserted = new[key], inserted == item.reading.value, taken.insert(key).inserted {
                    outcome.stored += 1
                    outcome.newReadings.append(item.reading)
                    newSeries.append(Int64(item.series))
                    continue
                }
                let value = new[key] ?? stored[key] ?? item.reading.value
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
                try await connection.checkedQuery(
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

    /// The numbers of series, each given one inside the caller's transaction when it has none yet: two statements
    /// for any number of them (the first batch of 10,000 new stations numbered 20,000 series one query each, 12.8 s).
    static func seriesNumbers(_ keys: Set<SensorKey>, on connection: PostgresConnection, logger: Logger)
        async throws -> [SensorKey: Int32]
    {
        let ordered = keys.sorted()  // the same order in every instance: no deadlock between two numbering at once
        let stations = ordered.map(\.station)
        let sensors = ordered.map(\.sensor.rawValue)
        try await connection.checkedQuery(
            """
            INSERT INTO series (station, sensor) SELECT * FROM unnest(\(stations), \(sensors))
            ON CONFLICT (station, sensor) DO NOTHING
            """, logger: logger)
        var numbers: [SensorKey: Int32] = [:]
        for try await (id, station, sensor) in try await connection.checkedQuery(
            """
            SELECT s.id, s.station, s.sensor FROM series AS s
            JOIN unnest(\(stations), \(sensors)) AS k (station, sensor) ON s.station = k.station AND s.sensor = k.sensor
            """, logger: logger
        ).decode((Int32, String, String).self) {
            guard let kind = SensorKind(rawValue: sensor) else { continue }
            numbers[SensorKey(station: station, sensor: kind)] = id
        }
        return numbers
    }
}

/// A store error with its explanation.
public struct PostgresStoreError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
