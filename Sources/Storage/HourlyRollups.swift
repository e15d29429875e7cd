import GRDB
import GRDBSQLite
import Gauges

/// The good readings (quality 0) of one transaction summed per sensor and hour, then added to `readings_hourly`
/// with one upsert per sensor and hour.
///
/// Until schema v8 a trigger did this for each inserted row: measured with `bench ingest --parts drain` (release,
/// 1,000 gauges), that upsert was 5 µs of the 11–14 µs each reading's insert took. A batch of a backlog carries
/// several readings of each sensor and hour, and a live batch at least costs no trigger program.
/// Readings marked suspect later in the same transaction recompute their hour through the quality trigger,
/// which reads `readings` itself: add the batch here first.
struct HourlyRollups {
    private struct Hour: Hashable {
        var station: String
        var sensor: SensorKind
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

    static let hourMilliseconds: Int64 = 3_600_000

    /// Counts a newly stored reading; only good ones count, as the rollups promise.
    mutating func add(_ reading: Reading) {
        guard reading.quality == .good else { return }
        // Truncating division, as SQLite's integer division in the v4 rollups and the quality trigger.
        let hour = Hour(
            station: reading.station, sensor: reading.sensor,
            bucket: reading.timestamp / Self.hourMilliseconds * Self.hourMilliseconds)
        hours[hour, default: Sums()].add(reading)
    }

    /// Adds the sums to the stored hours, inside the caller's transaction, and starts empty again.
    mutating func write(in db: Database) throws {
        guard !hours.isEmpty else { return }
        let upsert = try db.cachedStatement(
            sql: """
                INSERT INTO readings_hourly (station, sensor, bucket, samples, min_value, max_value, sum_value, last_ts,
                                             last_value)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (station, sensor, bucket) DO UPDATE SET
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
            var station = hour.station
            var sensor = hour.sensor.rawValue
            let code = station.withUTF8 { stationBytes in
                sensor.withUTF8 { sensorBytes in
                    // SQLITE_STATIC (nil): the bytes outlive the step, which runs inside these closures.
                    sqlite3_bind_text(handle, 1, stationBytes.baseAddress, Int32(stationBytes.count), nil)
                    sqlite3_bind_text(handle, 2, sensorBytes.baseAddress, Int32(sensorBytes.count), nil)
                    sqlite3_bind_int64(handle, 3, hour.bucket)
                    sqlite3_bind_int64(handle, 4, Int64(sums.samples))
                    sqlite3_bind_double(handle, 5, sums.min)
                    sqlite3_bind_double(handle, 6, sums.max)
                    sqlite3_bind_double(handle, 7, sums.sum)
                    sqlite3_bind_int64(handle, 8, sums.lastTimestamp)
                    sqlite3_bind_double(handle, 9, sums.lastValue)
                    defer {
                        sqlite3_reset(handle)
                        sqlite3_clear_bindings(handle)
                    }
                    return sqlite3_step(handle)
                }
            }
            guard code == SQLITE_DONE else {
                throw DatabaseError(
                    resultCode: ResultCode(rawValue: code),
                    message: db.sqliteConnection.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) },
                    sql: upsert.sql)
            }
        }
        hours.removeAll(keepingCapacity: true)
    }
}
