import Foundation
import Gauges
import PostgresNIO
import Warnings

extension PostgresDatabase {
    /// What the warning engine needs to resume, as from the SQLite store (`FloodDatabase.engineRestore`): its
    /// persisted state of each sensor, and for every sensor of the catalogue its stored readings of the last
    /// `historySeconds` before its newest one, with the latest arrival among them (the silent-gauge timer).
    ///
    /// One query for the readings of every series, each series' window found from its newest reading by the key.
    /// In a transaction (`transaction`): on the blocking caller's own connection when it waits for this (the ingest
    /// path rebuilding its engine after a failed batch), so that it fails within seconds while the server is away.
    public func engineRestore(catalogue: StationCatalogue, historySeconds: Int) async throws
        -> (snapshots: [SensorKey: SensorSnapshot], recent: [Reading], arrivals: [SensorKey: Int64])
    {
        try await transaction { connection in
            try await self.engineRestore(catalogue: catalogue, historySeconds: historySeconds, on: connection)
        }
    }

    private func engineRestore(catalogue: StationCatalogue, historySeconds: Int, on connection: PostgresConnection)
        async throws -> (snapshots: [SensorKey: SensorSnapshot], recent: [Reading], arrivals: [SensorKey: Int64])
    {
        var snapshots: [SensorKey: SensorSnapshot] = [:]
        let decoder = JSONDecoder()
        for try await (station, sensor, state) in try await connection.checkedQuery(
            "SELECT station, sensor, state::text FROM engine_state", logger: logger
        ).decode((String, String, String).self) {
            guard let kind = SensorKind(rawValue: sensor) else { continue }
            snapshots[SensorKey(station: station, sensor: kind)] = try decoder.decode(
                SensorSnapshot.self, from: Data(state.utf8))
        }
        let wanted = Set(
            catalogue.stations.flatMap { station in
                station.sensors.map { SensorKey(station: station.id, sensor: $0.kind) }
            })
        var recent: [Reading] = []
        var arrivals: [SensorKey: Int64] = [:]
        let rows = try await connection.checkedQuery(
            """
            SELECT s.station, s.sensor, r.ts, r.value, r.quality, r.seq, r.ts + r.arrival_ms
            FROM series AS s
            JOIN LATERAL (SELECT max(ts) AS newest FROM series_readings WHERE series = s.id) AS n ON true
            JOIN series_readings AS r
                ON r.series = s.id AND r.ts >= n.newest - \(Int64(historySeconds) * 1000)
            ORDER BY s.id, r.ts
            """, logger: logger)
        for try await (station, sensor, ts, value, quality, seq, arrival) in rows.decode(
            (String, String, Int64, Double, Int16, Int64?, Int64).self)
        {
            guard let kind = SensorKind(rawValue: sensor) else { continue }
            let key = SensorKey(station: station, sensor: kind)
            guard wanted.contains(key) else { continue }
            recent.append(
                Reading(
                    station: station, sensor: kind, timestamp: ts, value: value,
                    quality: Quality(rawValue: Int(quality)) ?? .good, seq: seq))
            arrivals[key] = max(arrivals[key] ?? .min, arrival)
        }
        return (snapshots, recent, arrivals)
    }
}
