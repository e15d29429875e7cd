import Gauges
import PostgresNIO

/// The hourly rollups on PostgreSQL (`series_hourly`, schema v4): every hour of good readings (quality 0) of each
/// series, the newest included, kept by the transactions that change the readings.
///
/// The SQLite store leaves each series' open hour out of the table and sums it when read, from the sums one process
/// keeps in memory (`HourlyRollups`, `OpenHours`). Several instances may write one PostgreSQL database (issue 17), and
/// none of them sees what the others stored, so here each batch adds its new readings to their hours itself: summed
/// per series and hour in Swift, then one upsert for the batch. Counts and sums add up and the smallest and largest
/// win whatever the order in which two instances' batches commit, and the upsert waits for the row lock of an hour
/// another transaction is writing, so no reading is lost to a race.
extension PostgresDatabase {
    static let hourMilliseconds: Int64 = 3_600_000

    /// A series' hour: the key of `series_hourly`.
    private struct SeriesHour: Hashable {
        var series: Int32
        var bucket: Int64
    }

    /// The good readings of one series and hour.
    struct HourSums {
        var samples: Int32 = 0
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
                (lastTimestamp, lastValue) = (reading.timestamp, reading.value)
            }
        }
    }

    /// Adds readings just stored, none of them stored before (`store(_:evaluateNumbered:)`'s new rows), to their
    /// hours, inside the caller's transaction: one statement for the batch. `series` holds each reading's series
    /// number. Readings that are not good are left out, as SQLite leaves them out.
    ///
    /// The hours are written in key order, so that two batches writing the same hours lock them in the same order
    /// and cannot deadlock each other.
    static func addToHourlyRollups(
        _ readings: [Reading], series: [Int64], on connection: PostgresConnection, logger: Logger
    ) async throws {
        var hours: [SeriesHour: HourSums] = [:]
        for (reading, number) in zip(readings, series) where reading.quality == .good {
            // Truncating division, as PostgreSQL's and SQLite's integer division in their SQL of an hour.
            let bucket = reading.timestamp / hourMilliseconds * hourMilliseconds
            hours[SeriesHour(series: Int32(number), bucket: bucket), default: HourSums()].add(reading)
        }
        guard !hours.isEmpty else { return }
        let rows = hours.sorted { ($0.key.series, $0.key.bucket) < ($1.key.series, $1.key.bucket) }
        try await connection.checkedQuery(
            """
            INSERT INTO series_hourly AS h (series, bucket, samples, min_value, max_value, sum_value, last_ts,
                                            last_value)
            SELECT * FROM unnest(\(rows.map(\.key.series)), \(rows.map(\.key.bucket)), \(rows.map(\.value.samples)),
                                 \(rows.map(\.value.min)), \(rows.map(\.value.max)), \(rows.map(\.value.sum)),
                                 \(rows.map(\.value.lastTimestamp)), \(rows.map(\.value.lastValue)))
            ON CONFLICT (series, bucket) DO UPDATE SET
                samples = h.samples + excluded.samples,
                min_value = LEAST(h.min_value, excluded.min_value),
                max_value = GREATEST(h.max_value, excluded.max_value),
                sum_value = h.sum_value + excluded.sum_value,
                last_value = CASE WHEN excluded.last_ts > h.last_ts THEN excluded.last_value ELSE h.last_value END,
                last_ts = GREATEST(h.last_ts, excluded.last_ts)
            """, logger: logger)
    }

    /// Sums again, from `series_readings`, the hours of readings whose quality changed (marked suspect by the
    /// engine), inside the caller's transaction: an hour left with no good reading has no row, as on SQLite, where
    /// a trigger does this for closed hours and the open hour is summed when read.
    ///
    /// Apart, so that another instance's batch cannot be lost from an hour: the hours are locked and deleted, which
    /// waits for any transaction writing them to commit; the statement that sums them, begun after, sees what that
    /// one committed. A batch that comes to the hour after the delete waits for this transaction, then adds to its
    /// row. An hour with no row has no good reading committed, so there is nothing such a batch could lose.
    static func sumHoursAgain(of readings: [Reading], on connection: PostgresConnection, logger: Logger)
        async throws
    {
        guard !readings.isEmpty else { return }
        let (stations, sensors, times) = (
            readings.map(\.station), readings.map(\.sensor.rawValue), readings.map(\.timestamp)
        )
        // Locked in key order first, as the batches lock them (`addToHourlyRollups`): the delete itself takes them
        // in the table's order, and two transactions taking the same rows in different orders can deadlock.
        try await connection.checkedQuery(
            """
            SELECT 1 FROM series_hourly
            WHERE (series, bucket) IN (
                SELECT s.id, (k.ts / 3600000) * 3600000
                FROM unnest(\(stations), \(sensors), \(times)) AS k (station, sensor, ts)
                JOIN series AS s ON s.station = k.station AND s.sensor = k.sensor)
            ORDER BY series, bucket FOR UPDATE
            """, logger: logger)
        try await connection.checkedQuery(
            """
            DELETE FROM series_hourly
            WHERE (series, bucket) IN (
                SELECT s.id, (k.ts / 3600000) * 3600000
                FROM unnest(\(stations), \(sensors), \(times)) AS k (station, sensor, ts)
                JOIN series AS s ON s.station = k.station AND s.sensor = k.sensor)
            """, logger: logger)
        try await connection.checkedQuery(
            """
            INSERT INTO series_hourly (series, bucket, samples, min_value, max_value, sum_value, last_ts, last_value)
            SELECT k.series, k.bucket, count(*), min(r.value), max(r.value), sum(r.value), max(r.ts),
                   (array_agg(r.value ORDER BY r.ts DESC))[1]
            FROM (SELECT DISTINCT s.id AS series, (k.ts / 3600000) * 3600000 AS bucket
                  FROM unnest(\(stations), \(sensors), \(times)) AS k (station, sensor, ts)
                  JOIN series AS s ON s.station = k.station AND s.sensor = k.sensor) AS k
            JOIN series_readings AS r
                ON r.series = k.series AND r.ts >= k.bucket AND r.ts < k.bucket + 3600000 AND r.quality = 0
            GROUP BY k.series, k.bucket
            ORDER BY k.series, k.bucket
            ON CONFLICT (series, bucket) DO UPDATE SET
                samples = excluded.samples, min_value = excluded.min_value, max_value = excluded.max_value,
                sum_value = excluded.sum_value, last_ts = excluded.last_ts, last_value = excluded.last_value
            """, logger: logger)
    }
}
