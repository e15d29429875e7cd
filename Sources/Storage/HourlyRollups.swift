import GRDB
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
        for (hour, sums) in hours {
            try upsert.execute(arguments: [
                hour.station, hour.sensor.rawValue, hour.bucket, sums.samples, sums.min, sums.max, sums.sum,
                sums.lastTimestamp, sums.lastValue,
            ])
        }
        hours.removeAll(keepingCapacity: true)
    }
}
