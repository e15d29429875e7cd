import GRDB
import Gauges

/// Each series' open hour by series number. A series without an entry has no readings. Read for every series when
/// the database opens (`FloodDatabase.openHours(in:)`) and kept by the transactions that store readings: FloodWatch is
/// the only program that writes readings to its database.
typealias OpenHours = BySeries<OpenHour>

/// A series' open hour: the hour of its newest stored reading, whatever its quality.
struct OpenHour: Sendable, Equatable {
    /// Its start, Unix ms.
    var bucket: Int64
    /// The sums of its good readings when this process stored every reading of it since the hour began: the hour is
    /// then written from them when it closes, without reading it back. Nil when the hour began before the database
    /// was opened, or once one of its readings was marked suspect: it is then summed from `series_readings` at close.
    ///
    /// Summing a closing hour back from the table was 9 % of the samples of the 10,000-station sweep point, where
    /// SQLite's pages of 20,000 series are no longer in the CPU's caches.
    var sums: HourlyRollups.Sums?

    init(bucket: Int64, sums: HourlyRollups.Sums? = nil) {
        self.bucket = bucket
        self.sums = sums
    }
}

/// The good readings (quality 0) of one transaction summed per sensor and hour, then written to `series_hourly`
/// (behind the `readings_hourly` view) for the hours that are closed.
///
/// Since schema v14 `series_hourly` holds each series' closed hours only, those before its open hour (`OpenHours`);
/// the `readings_hourly` view adds the open hour, summed from `series_readings` when read (at most 12 rows a series
/// at 5-minute readings). A reading of the open hour then writes no rollup at all: at 10,000 stations a batch of
/// 5,000 readings had one upsert a reading, 1.5 µs of its 8.5. An hour is written once, when its series moves past
/// it; a late reading of a closed hour is added to it as before.
///
/// Until schema v8 a trigger did this for each inserted row: measured with `bench ingest --parts drain` (release,
/// 1,000 gauges), that upsert was 5 µs of the 11–14 µs each reading's insert took.
/// Readings marked suspect later in the same transaction recompute their closed hour through the quality trigger,
/// which reads `series_readings` itself: write the batch here first.
struct HourlyRollups {
    private struct Hour: Hashable {
        var series: Int64
        var bucket: Int64
    }

    /// The good readings of one sensor-hour, summed.
    struct Sums: Sendable, Equatable {
        var samples = 0
        var min = Double.infinity
        var max = -Double.infinity
        var sum = 0.0
        var lastTimestamp = Int64.min
        var lastValue = 0.0

        init() {}

        /// The sums of one reading.
        init(_ reading: Reading) {
            samples = 1
            (min, max, sum) = (reading.value, reading.value, reading.value)
            (lastTimestamp, lastValue) = (reading.timestamp, reading.value)
        }

        mutating func add(_ reading: Reading) {
            add(Sums(reading))
        }

        /// Adds the sums of other readings of the same hour.
        mutating func add(_ other: Sums) {
            samples += other.samples
            min = Swift.min(min, other.min)
            max = Swift.max(max, other.max)
            sum += other.sum
            if other.lastTimestamp > lastTimestamp {
                lastTimestamp = other.lastTimestamp
                lastValue = other.lastValue
            }
        }
    }

    /// A series' newest hour of the batch, summed in place: at 10,000 stations the only one in almost every batch.
    private struct Newest {
        var bucket: Int64
        var sums = Sums()
    }

    /// By series number; `touched` lists the series in the order they came.
    private var newest = SeriesTable<Newest>()
    private var touched: [Int64] = []
    /// The hours of a series before its newest of the batch: many at 10 stations, where a batch of 20,000 readings
    /// spans days of each sensor. Never one a series' newest is in.
    private var older: [Hour: Sums] = [:]

    init() {}

    /// Room for `series` sensors in the list of those touched: at 10,000 stations a batch holds a reading of nearly
    /// every one.
    init(capacity series: Int) {
        touched.reserveCapacity(series)
    }

    static let hourMilliseconds: Int64 = 3_600_000

    /// Counts a newly stored reading of the series numbered `series`. Only good ones are summed, as the rollups
    /// promise; every one can open a new hour.
    mutating func add(_ reading: Reading, series: Int64) {
        // Truncating division, as SQLite's integer division in the v4 rollups and the quality trigger.
        let bucket = reading.timestamp / Self.hourMilliseconds * Self.hourMilliseconds
        let good = reading.quality == .good
        switch newest.update(series, { Self.count(reading, bucket: bucket, good: good, in: &$0) }) {
        case .first: touched.append(series)
        case .counted: break
        case .moved(let bucket, let sums): older[Hour(series: series, bucket: bucket)] = sums
        // An older hour can no longer be the series' newest: only a good reading matters to it.
        case .earlier: if good { older[Hour(series: series, bucket: bucket), default: Sums()].add(reading) }
        }
    }

    /// What counting a reading did to its series' newest hour of the batch.
    private enum Counted {
        /// The series' first reading of the batch.
        case first
        case counted
        /// A later hour began: the hour `bucket` it replaced as the newest, with its sums.
        case moved(bucket: Int64, sums: Sums)
        /// The reading is of an hour before the newest, which it leaves as it was.
        case earlier
    }

    /// Counts a reading in its series' newest hour of the batch (nil: none yet).
    private static func count(_ reading: Reading, bucket: Int64, good: Bool, in newest: inout Newest?) -> Counted {
        guard var hour = newest else {
            var hour = Newest(bucket: bucket)
            if good { hour.sums.add(reading) }
            newest = hour
            return .first
        }
        var counted = Counted.counted
        if bucket > hour.bucket {
            counted = .moved(bucket: hour.bucket, sums: hour.sums)
            hour = Newest(bucket: bucket)
        } else if bucket < hour.bucket {
            return .earlier
        }
        if good { hour.sums.add(reading) }
        newest = hour
        return counted
    }

    /// Writes the batch's closed hours inside the caller's transaction, after its readings were inserted, moves
    /// each series' open hour on in `openHours`, and starts empty again.
    ///
    /// Of each series: the sums of an hour before its open hour as the transaction began are added to that closed
    /// hour; the open hour as it began, when the series moved past it, is written from its sums in `openHours` and
    /// the batch's (or summed from the table when those are not known); an hour after it and before the new open
    /// hour had no readings before this transaction, so the batch's sums are the whole hour; the new open hour is
    /// left to the view, its sums kept in `openHours`.
    /// No sorting of the batch's hours: only those written are put in key order, rarely more than a tenth of them
    /// at 10,000 stations (sorting all of them was 2 % of a drain there).
    mutating func write(in db: Database, openHours: inout OpenHours) throws {
        guard !touched.isEmpty else { return }
        var added: [(hour: Hour, sums: Sums)] = []
        var closed: [Hour] = []
        // Older than the series' newest of the batch, so before its new open hour: closed. Those of the open hour
        // as the transaction began are closed with it, below.
        for (hour, sums) in older where sums.samples > 0 && hour.bucket != openHours[hour.series]?.bucket {
            added.append((hour, sums))
        }
        for series in touched {
            let hour = newest[series]!
            let before = openHours[series]
            let open = max(before?.bucket ?? .min, hour.bucket)
            if hour.bucket < open && hour.sums.samples > 0 {
                added.append((Hour(series: series, bucket: hour.bucket), hour.sums))
            }
            if let before, before.bucket < open {
                let closing = Hour(series: series, bucket: before.bucket)
                if var sums = before.sums {
                    if let more = older[closing] { sums.add(more) }
                    if sums.samples > 0 { added.append((closing, sums)) }
                } else {
                    closed.append(closing)
                }
            }
            // The batch's newest hour is the open one: added to its sums, or its whole sums when it is new (its
            // series had no reading after the hour before it). Otherwise the batch only had late readings.
            if hour.bucket == open {
                var next = OpenHour(bucket: open, sums: hour.sums)
                if let before, before.bucket == open {
                    next.sums = before.sums.map {
                        var sums = $0
                        sums.add(hour.sums)
                        return sums
                    }
                }
                openHours[series] = next
            }
        }
        added.sort { ($0.hour.series, $0.hour.bucket) < ($1.hour.series, $1.hour.bucket) }
        closed.sort { ($0.series, $0.bucket) < ($1.series, $1.bucket) }
        try add(added, in: db)
        let summed = try db.cachedStatement(sql: Self.closeHour)
        for hour in closed {
            try summed.run(in: db) { row in
                row.set(1, hour.series)
                row.set(2, hour.bucket)
            }
        }
        newest.removeAll(keepingCapacity: true)
        touched.removeAll(keepingCapacity: true)
        older.removeAll(keepingCapacity: true)
    }

    /// Forgets the sums of the open hour of `series` when `timestamp` is in it: one of its readings changed quality
    /// (`FloodDatabase.write(_:createdAt:openHours:in:)`), so the hour is summed from the table when it closes.
    static func forgetSums(of series: Int64, at timestamp: Int64, in openHours: inout OpenHours) {
        guard var hour = openHours[series], hour.sums != nil,
            timestamp / hourMilliseconds * hourMilliseconds == hour.bucket
        else { return }
        hour.sums = nil
        openHours[series] = hour
    }

    /// Adds sums to closed hours (or stores them as new ones), in key order, up to `rowsPerStatement` sensor-hours
    /// an upsert: each statement run costs its own start, binding and reset. Measured with `floodwatch-bench ingest
    /// --parts sweep --sweep 10000` (schema v13, when every hour of a batch was written this way), three alternating
    /// runs: 117,400 → 126,700 readings/s. The key order matters: in the hash table's order the same statements were
    /// 14 % slower than one a row.
    private func add(_ sums: [(hour: Hour, sums: Sums)], in db: Database) throws {
        guard !sums.isEmpty else { return }
        let many = try db.cachedStatement(sql: Self.upsertMany)
        let one = try db.cachedStatement(sql: Self.upsertOne)
        var rows = sums.makeIterator()
        var left = sums.count
        while left > 0 {
            let statement = left >= Self.rowsPerStatement ? many : one
            let count = left >= Self.rowsPerStatement ? Self.rowsPerStatement : 1
            // Bound through SQLite's C API, as `ReadingInsert` is: GRDB's argument arrays and checks were most of
            // the cost of an upsert.
            try statement.run(in: db) { arguments in
                for row in 0..<count {
                    let (hour, sums) = rows.next()!
                    let first = Int32(row * 8)
                    arguments.set(first + 1, hour.series)
                    arguments.set(first + 2, hour.bucket)
                    arguments.set(first + 3, sums.samples)
                    arguments.set(first + 4, sums.min)
                    arguments.set(first + 5, sums.max)
                    arguments.set(first + 6, sums.sum)
                    arguments.set(first + 7, sums.lastTimestamp)
                    arguments.set(first + 8, sums.lastValue)
                }
            }
            left -= count
        }
    }

    /// Writes the hour that was open (series ?1, hour ?2) from its good readings; nothing when it has none. No row
    /// of it is stored before: `series_hourly` holds closed hours only.
    private static let closeHour = """
        INSERT OR REPLACE INTO series_hourly (series, bucket, samples, min_value, max_value, sum_value, last_ts,
                                              last_value)
        \(FloodDatabase.hourRollup(series: "?1", bucket: "?2"))
        """

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
