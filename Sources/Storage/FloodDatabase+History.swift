import Alerts
import GRDB
import Gauges

/// A reading as the history API returns it.
public struct StoredReading: Sendable, Hashable {
    public var timestamp: Int64
    public var value: Double
    public var quality: Int

    public init(timestamp: Int64, value: Double, quality: Int) {
        self.timestamp = timestamp
        self.value = value
        self.quality = quality
    }
}

/// Good readings of one time bucket: what a long hydrograph draws.
public struct ReadingBucket: Sendable, Hashable {
    /// The bucket's start (Unix ms UTC); buckets of whole days start at 00:00 Vietnam time.
    public var start: Int64
    public var count: Int
    public var min: Double
    public var max: Double
    public var sum: Double
    /// The bucket's newest reading.
    public var last: Double

    public init(start: Int64, count: Int, min: Double, max: Double, sum: Double, last: Double) {
        self.start = start
        self.count = count
        self.min = min
        self.max = max
        self.sum = sum
        self.last = last
    }

    public var mean: Double { sum / Double(count) }
}

extension FloodDatabase {
    /// Readings of a sensor with `from <= ts <= to`, oldest first, at most `limit`.
    public func readings(station: String, sensor: String, from: Int64, to: Int64, limit: Int) async throws
        -> [StoredReading]
    {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT ts, value, quality FROM readings
                    WHERE station = ? AND sensor = ? AND ts >= ? AND ts <= ? ORDER BY ts LIMIT ?
                    """,
                arguments: [station, sensor, from, to, limit]
            ).map { StoredReading(timestamp: $0["ts"], value: $0["value"], quality: $0["quality"]) }
        }
    }

    /// Good readings of a sensor in buckets of `stepSeconds`, aligned to Vietnam time (a 1-day bucket is a local
    /// day), for buckets starting in `[from, to)`; empty buckets are left out.
    ///
    /// Whole hours (days included: Vietnam days are whole hours) come from the hourly rollups, so a year of
    /// 5-minute readings is read as 8,760 rows, not 105,000; shorter steps group the readings themselves.
    public func readingBuckets(station: String, sensor: String, from: Int64, to: Int64, stepSeconds: Int) async throws
        -> [ReadingBucket]
    {
        let step = Int64(stepSeconds) * 1000
        let offset = Int64(UnixTime.vietnamOffsetSeconds) * 1000
        // The bucket a time falls in, aligned to local time.
        let key: (String) -> String = { "((\($0) + \(offset)) / \(step)) * \(step) - \(offset)" }
        let start = ((from + offset) / step) * step - offset
        guard stepSeconds % 3600 == 0 else {
            let sql = """
                SELECT \(key("ts")) AS b, COUNT(*) AS n, MIN(value) AS low, MAX(value) AS high, SUM(value) AS total,
                       MAX(ts), value AS last
                FROM readings WHERE station = ? AND sensor = ? AND ts >= ? AND ts < ? AND quality = 0
                GROUP BY b ORDER BY b
                """
            return try await pool.read { db in
                try Row.fetchAll(db, sql: sql, arguments: [station, sensor, start, to]).map(Self.bucket)
            }
        }
        let closedSQL = """
            SELECT g.*, (SELECT h.last_value FROM series_hourly AS h
                         WHERE h.series = ?1 AND h.bucket = (g.last_ts / 3600000) * 3600000) AS last
            FROM (SELECT \(key("bucket")) AS b, SUM(samples) AS n, MIN(min_value) AS low, MAX(max_value) AS high,
                         SUM(sum_value) AS total, MAX(last_ts) AS last_ts
                  FROM series_hourly WHERE series = ?1 AND bucket >= ?2 AND bucket < ?3 GROUP BY b) AS g
            ORDER BY b
            """
        return try await pool.read { db in
            guard
                let series = try Int64.fetchOne(
                    db, sql: "SELECT id FROM series WHERE station = ? AND sensor = ?", arguments: [station, sensor])
            else { return [] }
            // The closed hours from series_hourly and the open one summed from its readings, read apart: through the
            // readings_hourly view, which joins them with UNION ALL, SQLite copies every hour through a coroutine
            // (the year of daily buckets of `floodwatch-bench history` went from 7 to 13 ms). A bucket's last value
            // is its newest hour's.
            var buckets = try Row.fetchAll(db, sql: closedSQL, arguments: [series, start, to]).map(Self.bucket)
            let openHour = "(SELECT (MAX(ts) / 3600000) * 3600000 FROM series_readings WHERE series = ?1)"
            guard
                let open = try Row.fetchOne(
                    db, sql: Self.hourRollup(series: "?1", bucket: openHour), arguments: [series])
            else { return buckets }
            let hour: Int64 = open[1]
            guard hour >= start, hour < to else { return buckets }
            var bucket = ReadingBucket(
                start: ((hour + offset) / step) * step - offset, count: open[2], min: open[3], max: open[4],
                sum: open[5], last: open[7])
            // The open hour is the newest: it joins the last bucket or starts one after it.
            if let last = buckets.last, last.start == bucket.start {
                bucket = ReadingBucket(
                    start: last.start, count: last.count + bucket.count, min: Swift.min(last.min, bucket.min),
                    max: Swift.max(last.max, bucket.max), sum: last.sum + bucket.sum, last: bucket.last)
                buckets.removeLast()
            }
            buckets.append(bucket)
            return buckets
        }
    }

    private static func bucket(_ row: Row) -> ReadingBucket {
        ReadingBucket(
            start: row["b"], count: row["n"], min: row["low"], max: row["high"], sum: row["total"], last: row["last"])
    }

    /// The newest reading of a sensor, and the newest at least an hour older (for the trend).
    public func latest(station: String, sensor: String) async throws -> (StoredReading, hourBefore: StoredReading?)? {
        try await pool.read { db in
            let newest = try db.cachedStatement(
                sql: """
                    SELECT ts, value, quality FROM readings WHERE station = ? AND sensor = ? AND ts <= ?
                    ORDER BY ts DESC LIMIT 1
                    """)
            func read(before: Int64) throws -> StoredReading? {
                try Row.fetchOne(newest, arguments: [station, sensor, before]).map {
                    StoredReading(timestamp: $0["ts"], value: $0["value"], quality: $0["quality"])
                }
            }
            guard let last = try read(before: Int64.max) else { return nil }
            return (last, try read(before: last.timestamp - 3_600_000))
        }
    }
}

extension FloodDatabase {
    /// Warning events, newest first, optionally of one station and with `from <= ts <= to`.
    public func warningEvents(station: String?, from: Int64?, to: Int64?, limit: Int) async throws
        -> [StoredWarningEvent]
    {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM warnings
                    WHERE (?1 IS NULL OR station = ?1) AND (?2 IS NULL OR ts >= ?2) AND (?3 IS NULL OR ts <= ?3)
                    ORDER BY id DESC LIMIT ?4
                    """,
                arguments: [station, from, to, limit]
            ).compactMap(Self.storedEvent)
        }
    }

    /// The active warnings, for the HTTP server.
    public func activeWarningsAsync(station: String? = nil) async throws -> [ActiveWarning] {
        try await pool.read { db in try Self.activeWarnings(station: station, in: db) }
    }

    /// Acknowledges a warning, for the HTTP server.
    public func acknowledgeAsync(
        warning: Int64, by officer: String, note: String?, from origin: String?, at now: Int64
    ) async throws -> StoredWarningEvent {
        try await pool.write { db in
            try Self.acknowledge(warning: warning, by: officer, note: note, from: origin, at: now, in: db)
        }
    }
}

extension FloodDatabase {
    /// Stores readings in bulk, without the warning engine: a history import (or a benchmark's year of data).
    /// Duplicates are skipped; the hourly rollups count what was added. Commits every `chunk` readings.
    /// - Returns: how many rows were added.
    @discardableResult
    public func importReadings(_ readings: some Sequence<Reading>, receivedAt: Int64, chunk: Int = 200_000) throws
        -> Int
    {
        var added = 0
        var iterator = readings.makeIterator()
        var finished = false
        while !finished {
            added += try Self.changing(openHours) { openHours in
                try pool.write { db in
                    var insert = try ReadingInsert(in: db, numbers: seriesNumbers.withLock { $0 })
                    var rollups = HourlyRollups()
                    var addedNow = 0
                    for _ in 0..<chunk {
                        guard let reading = iterator.next() else {
                            finished = true
                            break
                        }
                        if let series = try insert(reading, receivedAt: receivedAt) {
                            addedNow += 1
                            rollups.add(reading, series: series)
                        }
                    }
                    try rollups.write(in: db, openHours: &openHours)
                    return addedNow
                }
            }
        }
        // Imported readings bypass gap tracking: the sensors' tails are looked up afresh.
        seriesTails.withLock { $0.forget() }
        return added
    }

    /// Rows of `readings` and the file's size in bytes (for benchmarks and `floodwatch bench`).
    public func readingCountAndSize() throws -> (readings: Int, bytes: Int) {
        try pool.read { db in
            let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM series_readings") ?? 0
            let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0
            let size = try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 0
            return (count, pages * size)
        }
    }
}
