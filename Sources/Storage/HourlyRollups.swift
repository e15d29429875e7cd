import GRDB
import GRDBSQLite
import Gauges

/// The good readings (quality 0) of one transaction summed per sensor and hour, then added to `series_hourly` (the
/// table behind the `readings_hourly` view) with one upsert per sensor and hour.
///
/// Until schema v8 a trigger did this for each inserted row: measured with `bench ingest --parts drain` (release,
/// 1,000 gauges), that upsert was 5 µs of the 11–14 µs each reading's insert took. A batch of a backlog carries
/// several readings of each sensor and hour, and a live batch at least costs no trigger program.
/// Readings marked suspect later in the same transaction recompute their hour through the quality trigger,
/// which reads `readings` itself: add the batch here first.
struct HourlyRollups {
    private struct Hour: Hashable {
        var series: Int64
        var bucket: Int64
    }

    private struct Sums {
        var samples = 0
        var min = Double.infinity
        var max = -Double.infinity
        var sum = 0.0
        var lastTimestamp = Int64.min
        var lastValue = 0.0

        mutating func add(_ reading: Reading) {
            samples += 1
            min = Swift.min(min, reading.value)
            max = Swift.max(max, reading.value)
            sum += reading.value
            if reading.timestamp > lastTimestamp {
                lastTimestamp = reading.timestamp
                lastValue = reading.value
            }
        }
    }

    private var hours: [Hour: Sums] = [:]

    init() {}

    /// Room for `hours` sensor-hours from the start: at 10,000 stations a batch of 5,000 readings has 5,000 of
    /// them, and growing the table to that (rehashing every key at each doubling) was 2 % of a drain.
    init(capacity: Int) {
        hours.reserveCapacity(capacity)
    }

    static let hourMilliseconds: Int64 = 3_600_000

    /// Counts a newly stored reading of the series numbered `series`; only good ones count, as the rollups promise.
    mutating func add(_ reading: Reading, series: Int64) {
        guard reading.quality == .good else { return }
        // Truncating division, as SQLite's integer division in the v4 rollups and the quality trigger.
        let hour = Hour(series: series, bucket: reading.timestamp / Self.hourMilliseconds * Self.hourMilliseconds)
        hours[hour, default: Sums()].add(reading)
    }

    /// Adds the sums to the stored hours, inside the caller's transaction, and starts empty again.
    mutating func write(in db: Database) throws {
        guard !hours.isEmpty else { return }
        let upsert = try db.cachedStatement(
            sql: """
                INSERT INTO series_hourly (series, bucket, samples, min_value, max_value, sum_value, last_ts, last_value)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (series, bucket) DO UPDATE SET
                    samples = samples + excluded.samples,
                    min_value = MIN(min_value, excluded.min_value),
                    max_value = MAX(max_value, excluded.max_value),
                    sum_value = sum_value + excluded.sum_value,
                    last_value = CASE WHEN excluded.last_ts > last_ts THEN excluded.last_value ELSE last_value END,
                    last_ts = MAX(last_ts, excluded.last_ts)
                """)
        // Bound through SQLite's C API, as `ReadingInsert` is: at 10,000 stations a batch holds one upsert per
        // sensor, and GRDB's argument array and checks were most of its cost.
        let handle = upsert.sqliteStatement
        for (hour, sums) in hours {
            defer { sqlite3_reset(handle) }
            sqlite3_bind_int64(handle, 1, hour.series)
            sqlite3_bind_int64(handle, 2, hour.bucket)
            sqlite3_bind_int64(handle, 3, Int64(sums.samples))
            sqlite3_bind_double(handle, 4, sums.min)
            sqlite3_bind_double(handle, 5, sums.max)
            sqlite3_bind_double(handle, 6, sums.sum)
            sqlite3_bind_int64(handle, 7, sums.lastTimestamp)
            sqlite3_bind_double(handle, 8, sums.lastValue)
            try upsert.stepBound(in: db)
        }
        hours.removeAll(keepingCapacity: true)
    }
}
