import Foundation
import GRDB
import GRDBSQLite
import Gauges
import Warnings

extension FloodDatabase {
    /// Writes what the engine found without new readings (a silent-gauge check), in one transaction.
    public func store(_ result: EngineResult, createdAt: Int64) throws {
        try Self.changing(openHours) { openHours in
            try pool.write { db in
                try Self.write(result, createdAt: createdAt, openHours: &openHours, in: db)
            }
        }
    }

    /// Suspect flags, warning events and engine state, inside the caller's transaction. A reading marked suspect
    /// in its series' open hour makes the sums kept of that hour unknown (`OpenHour.sums`).
    static func write(_ result: EngineResult, createdAt: Int64, openHours: inout OpenHours, in db: Database) throws {
        if !result.suspect.isEmpty {
            let markSuspect = try db.cachedStatement(
                sql: """
                    UPDATE series_readings SET quality = ?
                    WHERE series = (SELECT id FROM series WHERE station = ? AND sensor = ?) AND ts = ?
                    RETURNING series
                    """)
            for reading in result.suspect {
                let marked = try Int64.fetchAll(
                    markSuspect,
                    arguments: [Quality.suspect.rawValue, reading.station, reading.sensor.rawValue, reading.timestamp])
                for series in marked {
                    HourlyRollups.forgetSums(of: series, at: reading.timestamp, in: &openHours)
                }
            }
        }
        if !result.events.isEmpty {
            let insert = try db.cachedStatement(
                sql: """
                    INSERT INTO warnings (id, warning_id, station, sensor, rule, event, level, ts, value, threshold,
                                          window_s, projected_ts, projected_value, late, message_vi, message_en,
                                          created_at, risk_level, area)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            let openWarning = try db.cachedStatement(
                sql: """
                    SELECT warning_id, level FROM warnings WHERE station = ? AND sensor = ? AND rule = ?
                    AND event != 'acknowledged' ORDER BY id DESC LIMIT 1
                    """)
            let notice = try db.cachedStatement(
                sql: """
                    INSERT INTO alert_notices (kind, event_id, warning_id, previous_level, status, created_at)
                    VALUES ('event', ?, ?, ?, 'new', ?)
                    """)
            // Each row's id is chosen here, as SQLite would choose it (one above the largest), so that a raised
            // event, which opens a warning whose id is its own, is written whole in one INSERT. The UPDATE that set
            // it afterwards, compiled anew for each event, cost about 20 µs a warning raised: at the 10,000-station
            // point of `floodwatch-bench ingest --parts sweep`, where 5,000 gauges cross BĐ I at their first reading,
            // 106,000–119,000 → 125,000–134,000 readings/s (five alternating runs).
            var id = try Int64.fetchOne(db, sql: "SELECT IFNULL(MAX(id), 0) FROM warnings") ?? 0
            for event in result.events {
                id += 1
                // A raised event opens a warning whose id is its own row id; later events belong to it.
                var warningID = event.kind == .raised ? id : 0
                var previousLevel: Int64 = 0
                if event.kind != .raised {
                    let handle = openWarning.sqliteStatement
                    defer { sqlite3_reset(handle) }
                    let arguments = Statement.Arguments(handle: handle)
                    arguments.set(1, event.station)
                    arguments.set(2, event.sensor.rawValue)
                    arguments.set(3, event.rule.rawValue)
                    if try openWarning.stepRow(in: db) {
                        warningID = sqlite3_column_int64(handle, 0)
                        previousLevel = sqlite3_column_int64(handle, 1)
                    }
                }
                // Bound through SQLite's C API (`Statement.run(in:binding:)`), as the readings are.
                try insert.run(in: db) { row in
                    row.set(1, id)
                    row.set(2, warningID)
                    row.set(3, event.station)
                    row.set(4, event.sensor.rawValue)
                    row.set(5, event.rule.rawValue)
                    row.set(6, event.kind.rawValue)
                    row.set(7, event.level)
                    row.set(8, event.timestamp)
                    row.set(9, event.value)
                    row.set(10, event.threshold)
                    row.set(11, event.windowSeconds)
                    row.set(12, event.projectedTimestamp)
                    row.set(13, event.projectedValue)
                    row.set(14, event.late)
                    row.set(15, event.messageVI)
                    row.set(16, event.messageEN)
                    row.set(17, createdAt)
                    row.set(18, event.riskLevel)
                    row.set(19, event.area)
                }
                // The alert outbox entry, in the same transaction: a committed event is always told.
                try notice.run(in: db) { row in
                    row.set(1, id)
                    row.set(2, warningID)
                    row.set(3, previousLevel)
                    row.set(4, createdAt)
                }
            }
        }
        if !result.snapshots.isEmpty {
            let upsert = try db.cachedStatement(
                sql: """
                    INSERT INTO engine_state (station, sensor, state, updated_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (station, sensor) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at
                    """)
            for (key, snapshot) in result.snapshots {
                try upsert.run(in: db) { row in
                    row.set(1, key.station)
                    row.set(2, key.sensor.rawValue)
                    row.set(3, snapshot.json)
                    row.set(4, createdAt)
                }
            }
        }
    }

    /// What the warning engine needs to resume: its persisted per-sensor state, and for every sensor of the
    /// catalogue the stored readings of the last `historySeconds` before its newest one (to rebuild windows) with
    /// the latest arrival among them (the silent-gauge timer).
    public func engineRestore(catalogue: StationCatalogue, historySeconds: Int) throws
        -> (snapshots: [SensorKey: SensorSnapshot], recent: [Reading], arrivals: [SensorKey: Int64])
    {
        try pool.read { db in
            var snapshots: [SensorKey: SensorSnapshot] = [:]
            let decoder = JSONDecoder()
            for row in try Row.fetchAll(db, sql: "SELECT station, sensor, state FROM engine_state") {
                guard let sensor = SensorKind(rawValue: row["sensor"]) else { continue }
                let state: String = row["state"]
                snapshots[SensorKey(station: row["station"], sensor: sensor)] = try decoder.decode(
                    SensorSnapshot.self, from: Data(state.utf8))
            }
            var recent: [Reading] = []
            var arrivals: [SensorKey: Int64] = [:]
            // Not MAX(ts): through the view's join SQLite would read every row of the series to find it.
            let newest = try db.cachedStatement(
                sql: "SELECT ts FROM readings WHERE station = ? AND sensor = ? ORDER BY ts DESC LIMIT 1")
            let window = try db.cachedStatement(
                sql: """
                    SELECT ts, value, quality, seq, received_at FROM readings
                    WHERE station = ? AND sensor = ? AND ts >= ?
                    ORDER BY ts
                    """)
            // A numbered series without an open hour has no stored reading (every stored reading's series has
            // one): nothing to ask for. At the first start of 10,000 new stations that is 20,000 queries fewer,
            // about 30 ms of the service's start.
            let numbers = seriesNumbers.withLock { $0 }
            for station in catalogue.stations {
                for sensor in station.sensors {
                    if let number = numbers[SensorKey(station: station.id, sensor: sensor.kind)],
                        openHours.withLock({ $0[number] == nil })
                    {
                        continue
                    }
                    let key: StatementArguments = [station.id, sensor.kind.rawValue]
                    guard let last = try Int64.fetchOne(newest, arguments: key) else { continue }
                    let rows = try Row.fetchCursor(window, arguments: key + [last - Int64(historySeconds) * 1000])
                    var arrival = Int64.min
                    while let row = try rows.next() {
                        arrival = max(arrival, row["received_at"])
                        recent.append(
                            Reading(
                                station: station.id, sensor: sensor.kind, timestamp: row["ts"], value: row["value"],
                                quality: Quality(rawValue: row["quality"]) ?? .good, seq: row["seq"]))
                    }
                    arrivals[SensorKey(station: station.id, sensor: sensor.kind)] = arrival
                }
            }
            return (snapshots, recent, arrivals)
        }
    }
}
