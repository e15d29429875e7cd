import Alerts
import Gauges
import Storage
import Warnings

/// Compiles the bulletin at a time T from the database: what the `bulletin` command, `GET /bulletin` and the periodic
/// sending call.
public enum BulletinBuilder {
    /// How far before T crests are told again.
    public static let crestWindowMilliseconds: Int64 = 86_400_000

    /// The bulletin at `time` (Unix ms UTC): every station of the catalogue from the readings stored at or before
    /// `time`, and the warnings active then. Reads only; safe beside a running service.
    public static func build(database: any HistoryStore, catalogue: StationCatalogue, at time: Int64) async throws
        -> Bulletin
    {
        var levels: [LevelReport] = []
        for river in rivers(catalogue) {
            for station in catalogue.stations where station.river == river {
                guard station.kind == .gauge, station.sensor(.level) != nil else { continue }
                let found = try await database.latest(station: station.id, sensor: SensorKind.level.rawValue, at: time)
                levels.append(
                    LevelReport(
                        station: station, latest: found.map { observation($0.0) },
                        hourBefore: found?.hourBefore.map(observation), at: time))
            }
        }

        var rain: [RainReport] = []
        for station in catalogue.stations where station.sensor(.rain) != nil {
            var totals: [RainReport.Total] = []
            for hours in RainReport.windowHours {
                let total = try await database.total(
                    station: station.id, sensor: SensorKind.rain.rawValue, after: time - Int64(hours) * 3_600_000,
                    through: time)
                totals.append(RainReport.Total(hours: hours, millimetres: total.sum, readings: total.count))
            }
            let latest = try await database.latest(station: station.id, sensor: SensorKind.rain.rawValue, at: time)
            rain.append(
                RainReport(
                    station: station, area: catalogue.area(of: station), totals: totals,
                    latest: latest.map { observation($0.0) }, at: time))
        }

        var reservoirs: [ReservoirReport] = []
        for station in catalogue.stations where station.kind == .reservoir {
            var latest: [SensorKind: Observation] = [:]
            for sensor in station.sensors {
                latest[sensor.kind] = try await database.latest(
                    station: station.id, sensor: sensor.kind.rawValue, at: time
                )
                .map { observation($0.0) }
            }
            reservoirs.append(ReservoirReport(station: station, latest: latest, at: time))
        }

        let crests = try await crests(database: database, catalogue: catalogue, at: time)
        let active = try await database.activeWarnings(at: time)
        let order = Dictionary(uniqueKeysWithValues: catalogue.stations.enumerated().map { ($1.id, $0) })
        let warnings = active.map { WarningReport($0, station: catalogue[$0.latest.event.station], at: time) }
            .sorted {
                ($0.level, -(order[$0.station] ?? .max), -$0.warningID)
                    > ($1.level, -(order[$1.station] ?? .max), -$1.warningID)
            }
        let outlook = active.filter { $0.latest.event.rule == .forecast }.compactMap { warning in
            catalogue[warning.latest.event.station].map { TrendEstimate(warning, station: $0, at: time) }
        }.sorted { (order[$0.station] ?? .max) < (order[$1.station] ?? .max) }
        return Bulletin(
            time: time, levels: levels, crests: crests, rain: rain, reservoirs: reservoirs, warnings: warnings,
            riskLevels: riskStatements(active, catalogue: catalogue), outlook: outlook)
    }

    /// Whether any warning was active at `time`, leaving out the rules in `ignoring` (e.g. `[.silent, .gap]`, which
    /// are about the gauges rather than the water). The periodic sending asks this before each bulletin.
    public static func anyWarningActive(
        database: any HistoryStore, at time: Int64, ignoring rules: Set<WarningRule> = []
    ) async throws -> Bool {
        try await database.activeWarnings(at: time).contains { !rules.contains($0.latest.event.rule) }
    }

    /// Rivers in the order they first appear in the catalogue, which lists stations from upstream to the sea.
    static func rivers(_ catalogue: StationCatalogue) -> [String] {
        catalogue.stations.map(\.river).reduce(into: []) { if !$0.contains($1) { $0.append($1) } }
    }

    /// The crests told in the day before `time`: `updated` events of level warnings whose message states a crest,
    /// each with the time the water stood at it, found in the readings before the event.
    static func crests(database: any HistoryStore, catalogue: StationCatalogue, at time: Int64) async throws
        -> [CrestReport]
    {
        let events = try await database.warningEvents(
            station: nil, from: time - crestWindowMilliseconds, to: time, limit: 10_000)
        var crests: [CrestReport] = []
        for stored in events.reversed() {
            let event = stored.event
            // The crest event has no field of its own: it is the level rule's `updated` event whose message says so
            // (the engine's CrestRule, "đỉnh lũ 4,07 m lúc …"); a risk level stated anew is the other `updated`.
            guard event.rule == .level, event.kind == .updated, event.messageVI.contains("đỉnh lũ"),
                let value = event.value, let station = catalogue[event.station]
            else { continue }
            let readings = try await database.readings(
                station: event.station, sensor: SensorKind.level.rawValue,
                from: event.timestamp - crestWindowMilliseconds,
                to: event.timestamp, limit: 100_000
            ).filter { $0.quality == 0 }.map(observation)
            crests.append(
                CrestReport(
                    station: station, warningID: stored.warningID, value: value,
                    time: CrestReport.crestTime(value: value, readings: readings), toldAt: event.timestamp, at: time))
        }
        return crests
    }

    /// One statement per place and hazard, at the highest level stated there. A `forecast` warning's risk level is
    /// what the level would be if reached: it belongs to the outlook, not here.
    static func riskStatements(_ active: [ActiveWarning], catalogue: StationCatalogue) -> [RiskStatement] {
        struct Key: Hashable {
            var place: String
            var hazard: RiskStatement.Hazard
        }
        var grouped: [Key: [ActiveWarning]] = [:]
        var order: [Key] = []
        for warning in active where warning.latest.event.rule != .forecast && warning.latest.event.riskLevel != nil {
            let event = warning.latest.event
            let key = Key(place: event.area ?? event.station, hazard: RiskStatement.Hazard(event.rule))
            if grouped[key] == nil { order.append(key) }
            grouped[key, default: []].append(warning)
        }
        let areaOrder = Dictionary(uniqueKeysWithValues: catalogue.areas.enumerated().map { ($1.id, $0) })
        let stationOrder = Dictionary(uniqueKeysWithValues: catalogue.stations.enumerated().map { ($1.id, $0) })
        return order.compactMap { key -> RiskStatement? in
            let warnings = grouped[key] ?? []
            guard let level = warnings.compactMap(\.latest.event.riskLevel).max().flatMap(OfficialRiskLevel.init)
            else { return nil }
            let stations = warnings.map(\.latest.event.station).reduce(into: [String]()) {
                if !$0.contains($1) { $0.append($1) }
            }
            let names = stations.map { catalogue[$0]?.name ?? $0 }.joined(separator: ", ")
            let placeName: Phrase
            if let area = catalogue.area(key.place) {
                let name = RainReport.name(area)
                placeName = Phrase(vi: name.vi + " (" + names + ")", en: name.en + " (" + names + ")")
            } else if let station = catalogue[key.place] {
                placeName = Phrase(station.name + " (" + station.river + ")")
            } else {
                placeName = Phrase(key.place)
            }
            return RiskStatement(
                place: key.place, placeName: placeName, hazard: key.hazard, level: level,
                warnings: warnings.map(\.latest.warningID).sorted(), stations: stations)
        }.sorted { lhs, rhs in
            (-lhs.level.level, areaOrder[lhs.place] ?? stationOrder[lhs.place].map { $0 + 1000 } ?? .max)
                < (-rhs.level.level, areaOrder[rhs.place] ?? stationOrder[rhs.place].map { $0 + 1000 } ?? .max)
        }
    }

    private static func observation(_ reading: StoredReading) -> Observation {
        Observation(time: reading.timestamp, value: reading.value)
    }
}
