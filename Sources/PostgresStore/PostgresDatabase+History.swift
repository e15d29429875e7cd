import Gauges
import PostgresNIO
import Storage

/// The readings as the HTTP API and the page read them from PostgreSQL, with the SQLite store's results
/// (`FloodDatabase+History.swift`): raw readings, buckets, the latest reading, the gaps in gauges' counters.
extension PostgresDatabase {
    /// Readings of a sensor with `from <= ts <= to`, oldest first, at most `limit`.
    public func readings(station: String, sensor: String, from: Int64, to: Int64, limit: Int) async throws
        -> [StoredReading]
    {
        try await read(
            """
            SELECT r.ts, r.value, r.quality FROM series AS s JOIN series_readings AS r ON r.series = s.id
            WHERE s.station = \(station) AND s.sensor = \(sensor) AND r.ts >= \(from) AND r.ts <= \(to)
            ORDER BY r.ts LIMIT \(limit)
            """
        ) { rows in
            var readings: [StoredReading] = []
            for try await (ts, value, quality) in rows.decode((Int64, Double, Int16).self) {
                readings.append(StoredReading(timestamp: ts, value: value, quality: Int(quality)))
            }
            return readings
        }
    }

    /// Good readings of a sensor in buckets of `stepSeconds`, aligned to Vietnam time (a 1-day bucket is a local
    /// day, UTC+7 as on SQLite), for buckets starting in `[from, to)`, the first one being the bucket `from` falls
    /// in; empty buckets are left out.
    ///
    /// Whole hours, days included, come from `series_hourly`, which holds every hour here (the newest too: no open
    /// hour to add); shorter steps group the readings themselves. A bucket's last value is its newest hour's.
    public func readingBuckets(station: String, sensor: String, from: Int64, to: Int64, stepSeconds: Int) async throws
        -> [ReadingBucket]
    {
        let step = Int64(stepSeconds) * 1000
        let offset = Int64(UnixTime.vietnamOffsetSeconds) * 1000
        let start = ((from + offset) / step) * step - offset
        let query: PostgresQuery
        if stepSeconds % 3600 == 0 {
            query = """
                SELECT ((h.bucket + \(offset)) / \(step)) * \(step) - \(offset) AS b, sum(h.samples), min(h.min_value),
                       max(h.max_value), sum(h.sum_value), (array_agg(h.last_value ORDER BY h.last_ts DESC))[1]
                FROM series AS s JOIN series_hourly AS h ON h.series = s.id
                WHERE s.station = \(station) AND s.sensor = \(sensor) AND h.bucket >= \(start) AND h.bucket < \(to)
                GROUP BY b ORDER BY b
                """
        } else {
            query = """
                SELECT ((r.ts + \(offset)) / \(step)) * \(step) - \(offset) AS b, count(*), min(r.value), max(r.value),
                       sum(r.value), (array_agg(r.value ORDER BY r.ts DESC))[1]
                FROM series AS s JOIN series_readings AS r ON r.series = s.id
                WHERE s.station = \(station) AND s.sensor = \(sensor) AND r.ts >= \(start) AND r.ts < \(to)
                    AND r.quality = 0
                GROUP BY b ORDER BY b
                """
        }
        return try await read(query) { rows in
            var buckets: [ReadingBucket] = []
            for try await (bucket, count, low, high, total, last) in rows.decode(
                (Int64, Int, Double, Double, Double, Double).self)
            {
                buckets.append(ReadingBucket(start: bucket, count: count, min: low, max: high, sum: total, last: last))
            }
            return buckets
        }
    }

    /// The newest reading of a sensor, whatever its quality, and the newest at least an hour older (for the trend).
    public func latest(station: String, sensor: String) async throws -> (StoredReading, hourBefore: StoredReading?)? {
        try await newest(station: station, sensor: sensor, atOrBefore: .max, goodOnly: false)
    }

    /// The newest reading of a sensor at or before `limit` (good ones only, when `goodOnly`), and the newest such
    /// one at least an hour older than it: one query, each found by the key from the newest end.
    func newest(station: String, sensor: String, atOrBefore limit: Int64, goodOnly: Bool) async throws
        -> (StoredReading, hourBefore: StoredReading?)?
    {
        try await read(
            """
            SELECT n.ts, n.value, n.quality, h.ts, h.value, h.quality
            FROM series AS s
            JOIN LATERAL (SELECT ts, value, quality FROM series_readings
                          WHERE series = s.id AND ts <= \(limit) AND (quality = 0 OR NOT \(goodOnly))
                          ORDER BY ts DESC LIMIT 1) AS n ON true
            LEFT JOIN LATERAL (SELECT ts, value, quality FROM series_readings
                               WHERE series = s.id AND ts <= n.ts - 3600000 AND (quality = 0 OR NOT \(goodOnly))
                               ORDER BY ts DESC LIMIT 1) AS h ON true
            WHERE s.station = \(station) AND s.sensor = \(sensor)
            """
        ) { rows in
            for try await (ts, value, quality, earlierTS, earlierValue, earlierQuality) in rows.decode(
                (Int64, Double, Int16, Int64?, Double?, Int16?).self)
            {
                let newest = StoredReading(timestamp: ts, value: value, quality: Int(quality))
                guard let earlierTS, let earlierValue, let earlierQuality else { return (newest, nil) }
                return (newest, StoredReading(timestamp: earlierTS, value: earlierValue, quality: Int(earlierQuality)))
            }
            return nil
        }
    }

    /// The gaps in gauges' counters of a station (or all) that reach into `[from, to]`, newest first; only the
    /// open ones when `open` is true.
    public func sequenceGaps(station: String?, from: Int64?, to: Int64?, open: Bool, limit: Int) async throws
        -> [SequenceGap]
    {
        try await read(
            """
            SELECT id, station, sensor, first_seq, last_seq, after_ts, before_ts, detected_at, filled_at
            FROM sequence_gaps
            WHERE (\(station)::text IS NULL OR station = \(station))
                AND (\(from)::bigint IS NULL OR before_ts >= \(from)) AND (\(to)::bigint IS NULL OR after_ts <= \(to))
                AND (NOT \(open) OR filled_at IS NULL)
            ORDER BY after_ts DESC, id DESC LIMIT \(limit)
            """
        ) { rows in
            var gaps: [SequenceGap] = []
            for try await (id, station, sensor, first, last, after, before, detected, filled) in rows.decode(
                (Int64, String, String, Int64, Int64, Int64, Int64, Int64, Int64?).self)
            {
                gaps.append(
                    SequenceGap(
                        id: id, station: station, sensor: SensorKind(rawValue: sensor) ?? .level, firstSeq: first,
                        lastSeq: last, afterTimestamp: after, beforeTimestamp: before, detectedAt: detected,
                        filledAt: filled))
            }
            return gaps
        }
    }
}

/// The PostgreSQL store, for the HTTP API, the page and the bulletins.
extension PostgresDatabase: HistoryStore {}
