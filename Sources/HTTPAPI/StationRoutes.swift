import Alerts
import Foundation
import Gauges
import Hummingbird
import Storage

/// `GET /api/stations` and `GET /api/stations/{id}/readings`.
struct StationRoutes: Sendable {
    let context: APIServer.Context
    /// Raw readings per answer; a longer range needs `step`.
    static let maxPoints = 10_000
    static let maxBuckets = 5_000
    /// The longest range answered with raw readings (31 days of 5-minute readings: 8,928).
    static let maxRawRange: Int64 = 31 * 86_400_000

    func add(to group: RouterGroup<APIRequestContext>) {
        group.get("stations") { request, requestContext in
            _ = try await context.authorize(request, requestContext, as: .reader)
            return try JSON.response(["stations": try await stations()])
        }
        group.get("stations/:id/readings") { request, requestContext in
            _ = try await context.authorize(request, requestContext, as: .reader)
            return try await readings(request, id: try requestContext.parameters.require("id"))
        }
    }

    private func stations() async throws -> [APIModels.Station] {
        let active = Dictionary(grouping: try await context.database.activeWarningsAsync(), by: \.latest.event.station)
        var result: [APIModels.Station] = []
        // Grouped by river in the order rivers first appear, each river's stations in catalogue order: the
        // catalogue lists them from upstream to the sea.
        let rivers = context.catalogue.stations.map(\.river).reduce(into: [String]()) {
            if !$0.contains($1) { $0.append($1) }
        }
        for river in rivers {
            for station in context.catalogue.stations where station.river == river {
                var latest: [String: APIModels.Latest] = [:]
                for sensor in station.sensors {
                    guard
                        let (last, hourBefore) = try await context.database.latest(
                            station: station.id, sensor: sensor.kind.rawValue)
                    else { continue }
                    var trend: Double?
                    if sensor.kind == .level, let hourBefore {
                        let hours = Double(last.timestamp - hourBefore.timestamp) / 3_600_000
                        trend = hours > 0 && hours <= 3 ? (last.value - hourBefore.value) / hours : nil
                    }
                    latest[sensor.kind.rawValue] = APIModels.Latest(
                        time: UnixTime.vietnam(last.timestamp), value: last.value, quality: last.quality,
                        trendMPerH: trend)
                }
                let warnings = (active[station.id] ?? []).map(APIModels.WarningEvent.init)
                var alarms: [String: Double] = [:]
                for step in station.alarmLevels.known { alarms[String(step.level)] = step.metres }
                result.append(
                    APIModels.Station(
                        id: station.id, name: station.name, kind: station.kind.rawValue, river: station.river,
                        basin: station.basin, lat: station.latitude, lon: station.longitude,
                        approximate: station.approximate, area: station.area,
                        sensors: station.sensors.map(\.kind.rawValue), alarmLevels: alarms,
                        record: station.record.map { APIModels.Record(level: $0.level, year: $0.year) },
                        reservoir: station.reservoir.map {
                            APIModels.ReservoirFigures(normalLevel: $0.normalLevel, downstream: $0.downstream)
                        },
                        latest: latest, alarmLevel: Self.alarmLevel(station, latest["level"]?.value),
                        warningLevel: warnings.map(\.level).max() ?? 0,
                        riskLevel: warnings.compactMap(\.riskLevel).max(), warnings: warnings))
            }
        }
        return result
    }

    /// The alarm level a water level is at or above: 1–3 for BĐ I–III, 4 above the record.
    static func alarmLevel(_ station: Station, _ value: Double?) -> Int {
        guard let value else { return 0 }
        if let record = station.record, value > record.level { return 4 }
        return station.alarmLevels.known.filter { value >= $0.metres }.map(\.level).max() ?? 0
    }

    private func readings(_ request: Request, id: String) async throws -> Response {
        guard let station = context.catalogue[id] else {
            throw APIError.notFound("there is no station '\(id)'")
        }
        let query = QueryParameters(request: request)
        let sensorName = query.text("sensor") ?? "level"
        guard let kind = SensorKind(rawValue: sensorName) else {
            throw APIError.badParameter("sensor", "'\(sensorName)' is not a sensor; use level or rain")
        }
        guard let sensor = station.sensor(kind) else {
            throw APIError.badParameter("sensor", "station '\(id)' has no \(sensorName) sensor")
        }
        let to = try query.time("to") ?? context.clock()
        let from = try query.time("from") ?? to - 86_400_000
        guard from < to else { throw APIError.badParameter("from", "'from' must be before 'to'") }
        var answer = APIModels.Readings(
            station: id, sensor: sensorName, unit: kind.unit, from: UnixTime.vietnam(from),
            to: UnixTime.vietnam(to))
        if let step = try query.step("step") {
            let count = (to - from) / (Int64(step) * 1000)
            guard count <= Self.maxBuckets else {
                throw APIError.badParameter(
                    "step", "\(count) buckets is more than \(Self.maxBuckets); choose a longer step or a shorter range")
            }
            answer.step = query.text("step")
            let buckets = try await context.database.readingBuckets(
                station: id, sensor: sensorName, from: from, to: to, stepSeconds: step)
            answer.buckets = buckets.map { bucket in
                kind.isAccumulated
                    ? APIModels.Bucket(
                        time: UnixTime.vietnam(bucket.start), count: bucket.count, min: bucket.min, max: bucket.max,
                        sum: bucket.sum)
                    : APIModels.Bucket(
                        time: UnixTime.vietnam(bucket.start), count: bucket.count, min: bucket.min, max: bucket.max,
                        mean: bucket.mean, last: bucket.last)
            }
        } else {
            guard to - from <= Self.maxRawRange else {
                throw APIError.badParameter(
                    "step", "a range longer than 31 days needs buckets: give step, e.g. 1h or 1d")
            }
            let points = try await context.database.readings(
                station: id, sensor: sensorName, from: from, to: to, limit: Self.maxPoints + 1)
            guard points.count <= Self.maxPoints else {
                throw APIError.badParameter(
                    "step",
                    "more than \(Self.maxPoints) readings in this range (\(sensor.interval) s interval); ask for buckets "
                        + "with step, e.g. 1h")
            }
            answer.points = points.map {
                APIModels.Point(time: UnixTime.vietnam($0.timestamp), value: $0.value, quality: $0.quality)
            }
        }
        return Response(
            status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: ReadingsJSON.encode(answer))))
    }
}
