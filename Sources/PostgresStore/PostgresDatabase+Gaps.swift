import Gauges
import PostgresNIO
import Storage
import Warnings

extension PostgresDatabase {
    /// Finds the gaps in gauges' counters that newly stored readings open or fill, inside the storing transaction,
    /// by the same rules as the SQLite store (`FloodDatabase.trackGaps`): a gap lies between two stored readings of
    /// a sensor, adjacent in time, whose counters are not consecutive; a reading inside an open gap fills it, in
    /// part or whole; counters out of order around a reading are a gauge that restarted its counter, no gap.
    ///
    /// The common case first, as on SQLite: gauges report in order, so each sensor's new readings come after every
    /// reading stored before them. Then one query finds each sensor's tail (`tails`) and every reading is judged
    /// against the reading before it, without a query of its own. Otherwise every reading with a counter is judged
    /// against its stored neighbours by query, 2–4 round trips each: the backlog of a link that came back.
    ///
    /// Nothing is kept in memory between batches (the SQLite store keeps `SeriesTails`): several instances may
    /// write to one database, and what they know of each other's series is only what is committed.
    /// - Parameter series: the series number of each of `readings`, as stored.
    static func trackGaps(
        _ readings: [Reading], series: [Int64], at now: Int64, on connection: PostgresConnection, logger: Logger
    ) async throws -> (changes: [GapChange], opened: [SequenceGap]) {
        struct Stored: Hashable {
            var key: SensorKey
            var timestamp: Int64
        }
        let new = Set(
            readings.map { Stored(key: SensorKey(station: $0.station, sensor: $0.sensor), timestamp: $0.timestamp) })
        var opened: [SequenceGap] = []
        var filled: [SensorKey: SequenceGap] = [:]

        func neighbour(_ reading: Reading, after: Bool) async throws -> (ts: Int64, seq: Int64)? {
            let rows = try await connection.checkedQuery(
                after
                    ? """
                    SELECT ts, seq FROM readings WHERE station = \(reading.station)
                    AND sensor = \(reading.sensor.rawValue) AND ts > \(reading.timestamp) AND seq IS NOT NULL
                    ORDER BY ts LIMIT 1
                    """
                    : """
                    SELECT ts, seq FROM readings WHERE station = \(reading.station)
                    AND sensor = \(reading.sensor.rawValue) AND ts < \(reading.timestamp) AND seq IS NOT NULL
                    ORDER BY ts DESC LIMIT 1
                    """, logger: logger)
            for try await (ts, seq) in rows.decode((Int64, Int64).self) { return (ts, seq) }
            return nil
        }
        func open(_ reading: Reading, _ first: Int64, _ last: Int64, _ afterTS: Int64, _ beforeTS: Int64) async throws {
            let rows = try await connection.checkedQuery(
                """
                INSERT INTO sequence_gaps (station, sensor, first_seq, last_seq, after_ts, before_ts, detected_at)
                VALUES (\(reading.station), \(reading.sensor.rawValue), \(first), \(last), \(afterTS), \(beforeTS),
                        \(now))
                RETURNING id
                """, logger: logger)
            for try await id in rows.decode(Int64.self) {
                opened.append(
                    SequenceGap(
                        id: id, station: reading.station, sensor: reading.sensor, firstSeq: first, lastSeq: last,
                        afterTimestamp: afterTS, beforeTimestamp: beforeTS, detectedAt: now))
            }
        }

        func resize(_ id: Int64, _ first: Int64, _ last: Int64, _ afterTS: Int64, _ beforeTS: Int64) async throws {
            try await connection.checkedQuery(
                """
                UPDATE sequence_gaps SET first_seq = \(first), last_seq = \(last), after_ts = \(afterTS),
                    before_ts = \(beforeTS)
                WHERE id = \(id)
                """, logger: logger)
        }

        if let tails = try await tails(readings, series: series, on: connection, logger: logger) {
            var tails = tails
            for (reading, number) in zip(readings, series) {
                guard let seq = reading.seq else { continue }
                if let tail = tails[number], seq > tail.seq + 1 {
                    try await open(reading, tail.seq + 1, seq - 1, tail.timestamp, reading.timestamp)
                }
                // A counter at or below the tail's: the gauge restarted its counter. No gap.
                tails[number] = (reading.timestamp, seq)
            }
            return (opened.map { GapChange.opened($0.counterGap) }, opened)
        }

        // In time order per sensor, so that every reading of the batch older than this one was judged before it;
        // each pair of neighbours is judged once, by its later reading unless that one is older than the batch.
        let ordered = readings.sorted {
            ($0.station, $0.sensor.rawValue, $0.timestamp) < ($1.station, $1.sensor.rawValue, $1.timestamp)
        }
        for reading in ordered {
            guard let seq = reading.seq else { continue }
            let t = reading.timestamp
            let key = SensorKey(station: reading.station, sensor: reading.sensor)
            let next = try await neighbour(reading, after: true)
            if next != nil {
                var spanning: SequenceGap?
                for try await (id, first, last, afterTS, beforeTS, detected) in try await connection.checkedQuery(
                    """
                    SELECT id, first_seq, last_seq, after_ts, before_ts, detected_at FROM sequence_gaps
                    WHERE station = \(reading.station) AND sensor = \(reading.sensor.rawValue) AND filled_at IS NULL
                    AND after_ts < \(t) AND before_ts > \(t) LIMIT 1
                    """, logger: logger
                ).decode((Int64, Int64, Int64, Int64, Int64, Int64).self) {
                    spanning = SequenceGap(
                        id: id, station: reading.station, sensor: reading.sensor, firstSeq: first, lastSeq: last,
                        afterTimestamp: afterTS, beforeTimestamp: beforeTS, detectedAt: detected)
                }
                // A reading inside an open gap fills it, in part or whole.
                if let gap = spanning {
                    guard seq >= gap.firstSeq, seq <= gap.lastSeq else { continue }
                    if seq == gap.firstSeq, seq == gap.lastSeq {
                        try await connection.checkedQuery(
                            "UPDATE sequence_gaps SET filled_at = \(now) WHERE id = \(gap.id)", logger: logger)
                        filled[key] = gap
                    } else if seq == gap.firstSeq {
                        try await resize(gap.id, seq + 1, gap.lastSeq, t, gap.beforeTimestamp)
                    } else if seq == gap.lastSeq {
                        try await resize(gap.id, gap.firstSeq, seq - 1, gap.afterTimestamp, t)
                    } else {
                        try await resize(gap.id, gap.firstSeq, seq - 1, gap.afterTimestamp, t)
                        try await connection.checkedQuery(
                            """
                            INSERT INTO sequence_gaps (station, sensor, first_seq, last_seq, after_ts, before_ts,
                                                       detected_at)
                            VALUES (\(reading.station), \(reading.sensor.rawValue), \(seq + 1), \(gap.lastSeq), \(t),
                                    \(gap.beforeTimestamp), \(gap.detectedAt))
                            """, logger: logger)
                    }
                    continue
                }
            }
            let previous = try await neighbour(reading, after: false)
            // Counters out of order around this reading: a gauge that restarted its counter. No gap is claimed.
            if let previous, seq <= previous.seq { continue }
            if let next, seq >= next.seq { continue }
            if let previous, seq > previous.seq + 1 {
                try await open(reading, previous.seq + 1, seq - 1, previous.ts, t)
            }
            if let next, next.seq > seq + 1, !new.contains(Stored(key: key, timestamp: next.ts)) {
                try await open(reading, seq + 1, next.seq - 1, t, next.ts)
            }
        }

        var changes = opened.map { GapChange.opened($0.counterGap) }
        for (key, gap) in filled.sorted(by: { $0.key < $1.key }) {
            var open = 0
            for try await count in try await connection.checkedQuery(
                """
                SELECT count(*) FROM sequence_gaps
                WHERE station = \(key.station) AND sensor = \(key.sensor.rawValue) AND filled_at IS NULL
                """, logger: logger
            ).decode(Int.self) {
                open = count
            }
            changes.append(.filled(gap.counterGap, stillOpen: open))
        }
        return (changes, opened)
    }

    /// Each sensor's tail before this batch, the newest stored reading with a counter older than the batch's own (nil
    /// for a sensor with none), when every sensor of the batch reports in order: its new readings with a counter, in
    /// the order they came, are newer each than the one before, and nothing stored lies after the oldest of them but
    /// themselves (they are in the table already). A sensor with no such reading has no tail. Nil when any sensor
    /// does not report in order: the batch is judged by query.
    ///
    /// One round trip for the whole batch: each sensor's count of stored readings from its oldest new one on (at
    /// most one more than its new ones are counted) and the stored reading just before it.
    private static func tails(
        _ readings: [Reading], series: [Int64], on connection: PostgresConnection, logger: Logger
    ) async throws -> [Int64: (timestamp: Int64, seq: Int64)]? {
        var batch: [Int64: (oldest: Int64, newest: Int64, count: Int)] = [:]
        for (reading, number) in zip(readings, series) where reading.seq != nil {
            if let known = batch[number] {
                guard reading.timestamp > known.newest else { return nil }
                batch[number] = (known.oldest, reading.timestamp, known.count + 1)
            } else {
                batch[number] = (reading.timestamp, reading.timestamp, 1)
            }
        }
        guard !batch.isEmpty else { return [:] }
        let numbers = Array(batch.keys)
        let rows = try await connection.checkedQuery(
            """
            SELECT k.series,
                   (SELECT count(*) FROM (SELECT 1 FROM series_readings AS r
                                          WHERE r.series = k.series AND r.ts >= k.oldest AND r.seq IS NOT NULL
                                          LIMIT k.new + 1) AS later),
                   before.ts, before.seq
            FROM unnest(\(numbers.map { Int32($0) }), \(numbers.map { batch[$0]!.oldest }),
                        \(numbers.map { Int32(batch[$0]!.count) })) AS k (series, oldest, new)
            LEFT JOIN LATERAL (SELECT ts, seq FROM series_readings AS r
                               WHERE r.series = k.series AND r.ts < k.oldest AND r.seq IS NOT NULL
                               ORDER BY ts DESC LIMIT 1) AS before ON true
            """, logger: logger)
        var tails: [Int64: (timestamp: Int64, seq: Int64)] = [:]
        for try await (number, stored, ts, seq) in rows.decode((Int32, Int64, Int64?, Int64?).self) {
            guard stored == batch[Int64(number)]!.count else { return nil }
            if let ts, let seq { tails[Int64(number)] = (ts, seq) }
        }
        return tails
    }
}
