import GRDB
import GRDBSQLite
import Gauges
import Warnings

/// Readings a gauge numbered (`seq`) but FloodWatch never received: lost on the gauge's link or in the broker.
///
/// A gap lies between two stored readings of one sensor, adjacent in time, whose counters are not consecutive.
/// Readings that arrive later inside it (a backlog after the link came back) fill it; what is still open is what
/// was lost upstream. A counter lower than the reading before it is a gauge that restarted its counter: no gap.
public struct SequenceGap: Sendable, Hashable {
    public var id: Int64
    public var station: String
    public var sensor: SensorKind
    /// The first and last missing counter values.
    public var firstSeq: Int64
    public var lastSeq: Int64
    /// The times of the stored readings on either side (Unix ms UTC).
    public var afterTimestamp: Int64
    public var beforeTimestamp: Int64
    /// When FloodWatch found it, and when the last missing reading arrived (nil while open).
    public var detectedAt: Int64
    public var filledAt: Int64?

    public init(
        id: Int64, station: String, sensor: SensorKind, firstSeq: Int64, lastSeq: Int64, afterTimestamp: Int64,
        beforeTimestamp: Int64, detectedAt: Int64, filledAt: Int64? = nil
    ) {
        self.id = id
        self.station = station
        self.sensor = sensor
        self.firstSeq = firstSeq
        self.lastSeq = lastSeq
        self.afterTimestamp = afterTimestamp
        self.beforeTimestamp = beforeTimestamp
        self.detectedAt = detectedAt
        self.filledAt = filledAt
    }

    public var missing: Int64 { lastSeq - firstSeq + 1 }

    /// The gap as the warning engine judges it.
    public var counterGap: CounterGap {
        CounterGap(
            station: station, sensor: sensor, firstSeq: firstSeq, lastSeq: lastSeq, after: afterTimestamp,
            before: beforeTimestamp)
    }
}

extension FloodDatabase {
    /// Finds the gaps the newly stored readings open or fill, inside the storing transaction. What they mean for
    /// warnings is the warning engine's to judge (`WarningEngine.judge`, rule `gap`).
    ///
    /// - Parameter tails: the newest stored (ts, seq) of each sensor seen so far. A reading newer than its sensor's
    ///   tail (the common case: gauges report in order) is judged against the tail alone, without a query: nothing
    ///   stored lies after it and no open gap can span it. Other readings go through SQL. The caller keeps the
    ///   updated tails only once the transaction committed.
    /// - Returns: every gap opened, then for each sensor whose gap was filled the last one filled with the number of
    ///   its gaps still open; and the gaps opened as stored (for logs and metrics).
    /// - Parameter series: the series number of each of `readings`, as stored.
    /// - Parameter new: series known to have had no stored reading before this transaction: their first tail is
    ///   theirs without a query.
    static func trackGaps(
        _ readings: [Reading], series: [Int64], new: Set<Int64> = [], tails: inout SeriesTails, at now: Int64,
        in db: Database
    ) throws -> (changes: [GapChange], opened: [SequenceGap]) {
        let before = try db.cachedStatement(
            sql: """
                SELECT ts, seq FROM readings WHERE station = ? AND sensor = ? AND ts < ? AND seq IS NOT NULL
                ORDER BY ts DESC LIMIT 1
                """)
        let after = try db.cachedStatement(
            sql: """
                SELECT ts, seq FROM readings WHERE station = ? AND sensor = ? AND ts > ? AND seq IS NOT NULL
                ORDER BY ts LIMIT 1
                """)
        let spanning = try db.cachedStatement(
            sql: """
                SELECT * FROM sequence_gaps WHERE station = ? AND sensor = ? AND filled_at IS NULL
                AND after_ts < ? AND before_ts > ? LIMIT 1
                """)
        let insert = try db.cachedStatement(
            sql: """
                INSERT INTO sequence_gaps (station, sensor, first_seq, last_seq, after_ts, before_ts, detected_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """)
        let resize = try db.cachedStatement(
            sql: "UPDATE sequence_gaps SET first_seq = ?, last_seq = ?, after_ts = ?, before_ts = ? WHERE id = ?")
        let fill = try db.cachedStatement(sql: "UPDATE sequence_gaps SET filled_at = ? WHERE id = ?")
        var opened: [SequenceGap] = []
        func open(
            _ station: String, _ sensor: SensorKind, _ first: Int64, _ last: Int64, _ afterTS: Int64,
            _ beforeTS: Int64
        ) throws {
            try insert.execute(arguments: [station, sensor.rawValue, first, last, afterTS, beforeTS, now])
            opened.append(
                SequenceGap(
                    id: db.lastInsertedRowID, station: station, sensor: sensor, firstSeq: first, lastSeq: last,
                    afterTimestamp: afterTS, beforeTimestamp: beforeTS, detectedAt: now))
        }

        // The common case first: gauges report in order, so every reading is newer than its sensor's tail, taken in
        // the order they came. Each is then judged against the tail alone: no query, no sorting of the batch.
        // Tried on the tails without SQL, and undone at the first reading that is not.
        let firstStored = try loadTails(of: readings, series: series, new: new, into: &tails, in: db)
        let mark = tails.mark
        var skipped: [(reading: Reading, seq: Int64, tail: SeriesTail)] = []
        var inOrder = true
        for (reading, number) in zip(readings, series) {
            guard let seq = reading.seq else { continue }
            guard let tail = tails[number] else {
                // No counter of this sensor was stored before: its first reading is its tail, with no gap.
                if firstStored.contains(number) {
                    tails[number] = SeriesTail(timestamp: reading.timestamp, seq: seq)
                    continue
                }
                inOrder = false
                break
            }
            guard reading.timestamp > tail.timestamp else {
                inOrder = false
                break
            }
            if seq > tail.seq + 1 { skipped.append((reading, seq, tail)) }
            // A counter at or below the tail's: the gauge restarted its counter. No gap.
            tails[number] = SeriesTail(timestamp: reading.timestamp, seq: seq)
        }
        if inOrder {
            for (reading, seq, tail) in skipped {
                try open(reading.station, reading.sensor, tail.seq + 1, seq - 1, tail.timestamp, reading.timestamp)
            }
            return (try changes(opened: opened, filled: [:], in: db), opened)
        }
        tails.undo(to: mark)

        // All of them are in the table already: each pair of neighbours is judged once, by its later reading, unless
        // that one is older than this transaction (then by the new reading before it).
        struct Stored: Hashable {
            var key: SensorKey
            var timestamp: Int64
        }
        let new = Set(
            readings.map { Stored(key: SensorKey(station: $0.station, sensor: $0.sensor), timestamp: $0.timestamp) })
        var filled: [SensorKey: SequenceGap] = [:]
        // In time order per sensor, so that every reading of the batch older than this one was judged before it.
        let ordered = readings.indices.sorted {
            let (a, b) = (readings[$0], readings[$1])
            return (a.station, a.sensor.rawValue, a.timestamp) < (b.station, b.sensor.rawValue, b.timestamp)
        }
        for index in ordered {
            let (reading, number) = (readings[index], series[index])
            guard let seq = reading.seq else { continue }
            let key: StatementArguments = [reading.station, reading.sensor.rawValue]
            let t = reading.timestamp
            if let tail = tails[number], t > tail.timestamp {
                if seq > tail.seq + 1 {
                    try open(reading.station, reading.sensor, tail.seq + 1, seq - 1, tail.timestamp, t)
                }
                // A counter at or below the tail's: the gauge restarted its counter. No gap.
                tails[number] = SeriesTail(timestamp: t, seq: seq)
                continue
            }
            let next = try Row.fetchOne(after, arguments: key + [t])
            // Nothing stored after this reading: it is the sensor's tail from now on.
            if next == nil { tails[number] = SeriesTail(timestamp: t, seq: seq) }
            // A reading inside an open gap fills it, in part or whole.
            if next != nil, let row = try Row.fetchOne(spanning, arguments: key + [t, t]) {
                let gap = Self.gap(row)
                guard seq >= gap.firstSeq, seq <= gap.lastSeq else { continue }
                if seq == gap.firstSeq, seq == gap.lastSeq {
                    try fill.execute(arguments: [now, gap.id])
                    filled[SensorKey(station: reading.station, sensor: reading.sensor)] = gap
                } else if seq == gap.firstSeq {
                    try resize.execute(arguments: [seq + 1, gap.lastSeq, t, gap.beforeTimestamp, gap.id])
                } else if seq == gap.lastSeq {
                    try resize.execute(arguments: [gap.firstSeq, seq - 1, gap.afterTimestamp, t, gap.id])
                } else {
                    try resize.execute(arguments: [gap.firstSeq, seq - 1, gap.afterTimestamp, t, gap.id])
                    try insert.execute(arguments: key + [seq + 1, gap.lastSeq, t, gap.beforeTimestamp, gap.detectedAt])
                }
                continue
            }
            let previous = try Row.fetchOne(before, arguments: key + [t])
            let previousSeq: Int64? = previous?["seq"]
            let nextSeq: Int64? = next?["seq"]
            // Counters out of order around this reading: a gauge that restarted its counter. No gap is claimed.
            if let previousSeq, seq <= previousSeq { continue }
            if let nextSeq, seq >= nextSeq { continue }
            var found: [(Int64, Int64, Int64, Int64)] = []
            if let previous, let previousSeq, seq > previousSeq + 1 {
                found.append((previousSeq + 1, seq - 1, previous["ts"], t))
            }
            if let next, let nextSeq, nextSeq > seq + 1,
                !new.contains(
                    Stored(key: SensorKey(station: reading.station, sensor: reading.sensor), timestamp: next["ts"]))
            {
                found.append((seq + 1, nextSeq - 1, t, next["ts"]))
            }
            for (first, last, afterTS, beforeTS) in found {
                try open(reading.station, reading.sensor, first, last, afterTS, beforeTS)
            }
        }
        return (try changes(opened: opened, filled: filled, in: db), opened)
    }

    /// Looks up the tail of each sensor of `readings` that has none in memory yet (the first batch of a sensor since
    /// start), one query per sensor, so that a batch of sensors never seen before still takes the in-order path.
    ///
    /// The batch's own readings are in the table already: a sensor's k new readings with a counter must be its k
    /// newest stored ones, and the next one down is its tail. When they are not (something stored lies after one of
    /// them) its tail stays unknown and the batch is judged through SQL, as before.
    ///
    /// The query reads `series_readings` by series number through SQLite's C API: at 10,000 stations every sensor's
    /// first batch asks once, and through the `readings` view, with GRDB rows, it took 3.4 % of a drain's samples.
    /// A series in `new` had no reading at all before this batch: no query (at the first start of 10,000 stations,
    /// 8 % of the samples of the drain of their first readings).
    /// - Returns: the series that had no reading with a counter stored before this batch.
    private static func loadTails(
        of readings: [Reading], series: [Int64], new: Set<Int64>, into tails: inout SeriesTails, in db: Database
    ) throws -> Set<Int64> {
        var unknown: [Int64: [Int64]] = [:]
        for (reading, number) in zip(readings, series) where reading.seq != nil {
            if tails[number] == nil { unknown[number, default: []].append(reading.timestamp) }
        }
        guard !unknown.isEmpty else { return [] }
        let newest = try db.cachedStatement(
            sql: """
                SELECT ts, seq FROM series_readings WHERE series = ? AND seq IS NOT NULL
                ORDER BY ts DESC LIMIT ?
                """)
        let handle = newest.sqliteStatement
        var firstStored: Set<Int64> = []
        var rows: [SeriesTail] = []
        for (number, timestamps) in unknown {
            if new.contains(number) {
                firstStored.insert(number)
                continue
            }
            defer { sqlite3_reset(handle) }
            sqlite3_bind_int64(handle, 1, number)
            sqlite3_bind_int64(handle, 2, Int64(timestamps.count + 1))
            rows.removeAll(keepingCapacity: true)
            while try newest.stepRow(in: db) {
                rows.append(
                    SeriesTail(timestamp: sqlite3_column_int64(handle, 0), seq: sqlite3_column_int64(handle, 1)))
            }
            let batch = timestamps.sorted(by: >)
            guard rows.count >= batch.count, zip(rows, batch).allSatisfy({ $0.timestamp == $1 }) else { continue }
            if rows.count > batch.count {
                tails[number] = rows[batch.count]
            } else {
                firstStored.insert(number)
            }
        }
        return firstStored
    }

    /// The transaction's findings: each gap opened, then each sensor's last filled gap with the count of its gaps
    /// still open once every reading of the transaction is in.
    private static func changes(opened: [SequenceGap], filled: [SensorKey: SequenceGap], in db: Database)
        throws -> [GapChange]
    {
        let openGaps = try db.cachedStatement(
            sql: "SELECT COUNT(*) FROM sequence_gaps WHERE station = ? AND sensor = ? AND filled_at IS NULL")
        var changes = opened.map { GapChange.opened($0.counterGap) }
        for (key, gap) in filled.sorted(by: { $0.key < $1.key }) {
            let open = try Int.fetchOne(openGaps, arguments: [key.station, key.sensor.rawValue]) ?? 0
            changes.append(.filled(gap.counterGap, stillOpen: open))
        }
        return changes
    }

    static func gap(_ row: Row) -> SequenceGap {
        SequenceGap(
            id: row["id"], station: row["station"], sensor: SensorKind(rawValue: row["sensor"]) ?? .level,
            firstSeq: row["first_seq"], lastSeq: row["last_seq"], afterTimestamp: row["after_ts"],
            beforeTimestamp: row["before_ts"], detectedAt: row["detected_at"], filledAt: row["filled_at"])
    }

    /// The gaps of a station (or all), newest first; only the open ones when `open` is true.
    public func sequenceGaps(station: String?, from: Int64?, to: Int64?, open: Bool, limit: Int) async throws
        -> [SequenceGap]
    {
        try await pool.read { db in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if let station {
                conditions.append("station = ?")
                arguments += [station]
            }
            if let from {
                conditions.append("before_ts >= ?")
                arguments += [from]
            }
            if let to {
                conditions.append("after_ts <= ?")
                arguments += [to]
            }
            if open { conditions.append("filled_at IS NULL") }
            let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            return try Row.fetchAll(
                db, sql: "SELECT * FROM sequence_gaps \(filter) ORDER BY after_ts DESC, id DESC LIMIT \(limit)",
                arguments: arguments
            ).map(Self.gap)
        }
    }
}
