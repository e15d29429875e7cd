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
    ///
    /// In key order, up to `rowsPerStatement` sensor-hours an upsert: at 10,000 stations a batch holds one
    /// sensor-hour a reading, and each statement run costs its own start, binding and reset. Measured with
    /// `floodwatch-bench ingest --parts sweep --sweep 10000`, three alternating runs: 117,400 → 126,700 readings/s.
    /// The key order matters: in the hash table's order the same statements were 14 % slower than one a row.
    mutating func write(in db: Database) throws {
        guard !hours.isEmpty else { return }
        let many = try db.cachedStatement(sql: Self.upsertMany)
        let one = try db.cachedStatement(sql: Self.upsertOne)
        let sorted = hours.sorted { ($0.key.series, $0.key.bucket) < ($1.key.series, $1.key.bucket) }
        var rows = sorted.makeIterator()
        var left = sorted.count
        while left > 0 {
            let statement = left >= Self.rowsPerStatement ? many : one
            let count = left >= Self.rowsPerStatement ? Self.rowsPerStatement : 1
            // Bound through SQLite's C API, as `ReadingInsert` is: GRDB's argument arrays and checks were most of
            // the cost of an upsert.
            let handle = statement.sqliteStatement
            defer { sqlite3_reset(handle) }
            for row in 0..<count {
                let (hour, sums) = rows.next()!
                let first = Int32(row * 8)
                sqlite3_bind_int64(handle, first + 1, hour.series)
                sqlite3_bind_int64(handle, first + 2, hour.bucket)
                sqlite3_bind_int64(handle, first + 3, Int64(sums.samples))
                sqlite3_bind_double(handle, first + 4, sums.min)
                sqlite3_bind_double(handle, first + 5, sums.max)
                sqlite3_bind_double(handle, first + 6, sums.sum)
                sqlite3_bind_int64(handle, first + 7, sums.lastTimestamp)
                sqlite3_bind_double(handle, first + 8, sums.lastValue)
            }
            try statement.stepBound(in: db)
            left -= count
        }
        hours.removeAll(keepingCapacity: true)
    }

    /// Sensor-hours a statement writes while a batch has that many left; the rest one at a time.
    static let rowsPerStatement = 50
    private static let upsertMany = upsert(rows: rowsPerStatement)
    private static let upsertOne = upsert(rows: 1)

    /// The upsert of `rows` sensor-hours, each added to its stored hour or stored as a new one. No two rows of one
    /// statement share a sensor and hour: they are keys of `hours`.
    private static func upsert(rows: Int) -> String {
        let values = Array(repeating: "(?, ?, ?, ?, ?, ?, ?, ?)", count: rows).joined(separator: ", ")
        return """
            INSERT INTO series_hourly (series, bucket, samples, min_value, max_value, sum_value, last_ts, last_value)
            VALUES \(values)
            ON CONFLICT (series, bucket) DO UPDATE SET
                samples = samples + excluded.samples,
                min_value = MIN(min_value, excluded.min_value),
                max_value = MAX(max_value, excluded.max_value),
                sum_value = sum_value + excluded.sum_value,
                last_value = CASE WHEN excluded.last_ts > last_ts THEN excluded.last_value ELSE last_value END,
                last_ts = MAX(last_ts, excluded.last_ts)
            """
    }
}
