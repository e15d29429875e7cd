import Foundation
import Gauges

/// Loads the station catalogue (`sensors/stations.yaml`): the stations FloodWatch accepts readings from, their
/// sensors' physical ranges, the official alarm levels, and the settings of the warning rules (top-level and
/// per-station `rules:`, read by `RulesReader`; what is not written keeps the defaults of `StationRules`).
///
/// The whole file is checked before anything is used; every problem is reported at once, with its line and a fix.
public enum CatalogueLoader {
    /// The keys of a station entry, in the order the bundled file writes them.
    public static let stationKeys = [
        "id", "name", "kind", "river", "basin", "lat", "lon", "approximate", "area", "flood_zone", "reservoir",
        "downstream", "sensors", "alarm_levels", "record", "rules",
    ]
    /// The keys of a reservoir's `reservoir:`.
    public static let reservoirKeys = ["normal_level"]
    /// The top-level keys: the province's risk zone, the communes and wards, the stations, and the warning-rule
    /// settings for all of them (see `RulesReader`).
    public static let topLevelKeys = ["risk_zone", "areas", "stations", "rules"]
    /// The keys of a sensor entry.
    public static let sensorKeys = ["interval", "range", "unit"]
    /// The keys of `alarm_levels`: BĐ I, II and III of Decision 05/2020/QĐ-TTg.
    public static let alarmLevelKeys = ["I", "II", "III"]
    /// The keys of `record`.
    public static let recordKeys = ["level", "year"]
    /// The longest sensor interval accepted, in seconds (one day).
    public static let maximumInterval = 86_400
    /// The years a flood record may have.
    public static let recordYears = 1800...2100

    /// Reads and validates the file; throws `CatalogueError` naming the file and line of every problem.
    public static func load(path: String) throws(CatalogueError) -> StationCatalogue {
        let diagnostics = YAMLDiagnostics(file: path)
        guard
            let text = YAMLDocument.readText(
                atPath: path, diagnostics: diagnostics, what: "the station catalogue",
                fix: "check the path, or give the catalogue's location with --stations PATH"
            )
        else {
            throw CatalogueError(problems: diagnostics.problemsInFileOrder)
        }
        return try parse(yaml: text, file: path)
    }

    /// Validates catalogue text; `file` names it in the problems. The catalogue carries the bundled tables of
    /// Decision 18/2021/QĐ-TTg (`RiskTablesLoader`).
    public static func parse(yaml: String, file: String) throws(CatalogueError) -> StationCatalogue {
        let diagnostics = YAMLDiagnostics(file: file)
        let catalogue = CatalogueReader(diagnostics: diagnostics, riskTables: try RiskTablesLoader.bundled()).read(yaml)
        guard diagnostics.isEmpty, let catalogue else {
            throw CatalogueError(problems: diagnostics.problemsInFileOrder)
        }
        return catalogue
    }
}

/// Walks the YAML tree of the catalogue. Returns the catalogue of what is complete; it is valid only when no problem
/// was reported.
struct CatalogueReader {
    let diagnostics: YAMLDiagnostics
    let riskTables: RiskTables

    func read(_ yaml: String) -> StationCatalogue? {
        guard let root = YAMLDocument.parse(yaml, diagnostics: diagnostics) else {
            if diagnostics.isEmpty {
                diagnostics.report(
                    "the station catalogue is empty",
                    fix: "list the stations under 'stations:', as in the bundled sensors/stations.yaml", line: 1,
                    column: 1
                )
            }
            return nil
        }
        guard let top = root.mapping() else { return nil }
        top.checkKeys(CatalogueLoader.topLevelKeys)
        var riskZone: Int?
        if let zoneValue = top.optional("risk_zone") {
            riskZone = zone(zoneValue, what: "the province's zone in Appendix XII (Quảng Nam and Đà Nẵng: 3)")
        }
        let areas = top.optional("areas").map { readAreas($0) } ?? []
        // The code's defaults, with the top-level `rules:` on top; each station's own `rules:` go on top of these.
        var baseRules = StationRules()
        if let rulesValue = top.optional("rules") {
            RulesReader(context: nil, sensorKinds: nil).apply(rulesValue, to: &baseRules)
        }
        guard
            let list = top.required("stations", fix: "add 'stations:' followed by one '- id: …' entry per station")?
                .sequence()
        else { return nil }
        if list.isEmpty {
            top.optional("stations")?.report("'stations' is empty", fix: "list at least one station under 'stations:'")
        }
        var firstLineOfID: [String: Int] = [:]
        var stations: [Station] = []
        for (index, item) in list.enumerated() {
            if let station = readStation(
                item.named("station \(index + 1)"), number: index + 1, baseRules: baseRules, areas: areas,
                firstLineOfID: &firstLineOfID)
            {
                stations.append(station)
            }
        }
        guard diagnostics.isEmpty, let areas else { return nil }
        return StationCatalogue(stations: stations, areas: areas, riskZone: riskZone, riskTables: riskTables)
    }

    // MARK: Station

    /// - Parameter areas: the catalogue's areas, which `area:` must name; nil when they could not be read.
    private func readStation(
        _ item: YAMLValue, number: Int, baseRules: StationRules, areas: [Area]?, firstLineOfID: inout [String: Int]
    ) -> Station? {
        guard var station = item.mapping() else { return nil }
        station.context = "station \(number)"

        var id: String?
        if let idValue = station.required("id", fix: "add 'id: …', e.g. 'id: cau-lau'"),
            let text = idValue.named("the id").text()
        {
            if Self.isValidID(text) {
                if let first = firstLineOfID[text] {
                    idValue.within(nil).report(
                        "station id '\(text)' is used twice; the first station with it is at line \(first)",
                        fix: "give each station its own id"
                    )
                } else {
                    firstLineOfID[text] = idValue.line ?? 0
                    id = text
                }
                station.context = "station '\(text)'"
            } else {
                var fix = "use 1 to 63 lowercase letters a-z, digits and '-', starting with a letter or digit"
                if let suggestion = Self.suggestedID(for: text) { fix += ", e.g. '\(suggestion)'" }
                fix += " (the id is used in MQTT topics and in the database)"
                idValue.report("id '\(YAMLValue.shortened(text))' is not a valid station id", fix: fix)
            }
        }
        let context = station.context

        station.checkKeys(CatalogueLoader.stationKeys)
        var kind = Station.Kind.gauge
        var kindComplete = true
        if let kindValue = station.optional("kind"), let text = kindValue.text(example: "kind: reservoir") {
            if let known = Station.Kind(rawValue: text) {
                kind = known
            } else {
                kindComplete = false
                kindValue.report(
                    "'kind' must be gauge or reservoir, found '\(YAMLValue.shortened(text))'",
                    fix: YAMLMapping.unknownFix(text, known: Station.Kind.allCases.map(\.rawValue), kind: "kinds"))
            }
        }
        let name = station.required(
            "name", fix: "add 'name: …', the station's name with diacritics, e.g. 'name: Câu Lâu'")?
            .text(example: "name: Câu Lâu")
        let river = station.required("river", fix: "add 'river: …', e.g. 'river: Thu Bồn'")?.text(
            example: "river: Thu Bồn")
        let basinValue = station.optional("basin")
        let basin = basinValue?.text(example: "basin: Vu Gia – Thu Bồn")
        let latitude = coordinate(
            station, key: "lat", limit: 90, example: "15.852", words: "latitude in decimal degrees north")
        let longitude = coordinate(
            station, key: "lon", limit: 180, example: "108.268", words: "longitude in decimal degrees east")
        let approximate = flag(station, key: "approximate")
        var area: String?
        var areaComplete = true
        if let areaValue = station.optional("area"), let text = areaValue.text(example: "area: tra-lien") {
            if let areas, !areas.contains(where: { $0.id == text }) {
                areaComplete = false
                areaValue.report(
                    "unknown area '\(YAMLValue.shortened(text))'",
                    fix: areas.isEmpty
                        ? "list the commune under 'areas:' first, or leave 'area' out"
                        : YAMLMapping.unknownFix(text, known: areas.map(\.id), kind: "area ids"))
            } else {
                area = text
            }
        }
        var floodZone: Int?
        var floodZoneComplete = true
        if let zoneValue = station.optional("flood_zone") {
            floodZone = zone(zoneValue, what: "the station's zone for Article 45 of Decision 18/2021/QĐ-TTg")
            floodZoneComplete = floodZone != nil
        }

        // Sensors.
        var sensors: [Sensor] = []
        var sensorsComplete = false
        var hasLevelSensor = false
        // The kinds the station declares, valid or not; nil when 'sensors' itself could not be read.
        var sensorKinds: Set<SensorKind>?
        if let sensorsMapping = station.required(
            "sensors",
            fix: "add 'sensors:' with a 'level' and/or 'rain' sensor, e.g. 'level: {interval: 5m, range: [-1.0, 9.0]}'"
        )?.mapping() {
            sensorsComplete = true
            sensorKinds = []
            if sensorsMapping.isEmpty {
                sensorsMapping.report("'sensors' is empty", fix: "give the station at least one sensor: level or rain")
                sensorsComplete = false
            }
            for entry in sensorsMapping.entries {
                guard let kind = SensorKind(rawValue: entry.key) else {
                    let known = SensorKind.allCases.map(\.rawValue)
                    entry.keyValue.report(
                        "unknown sensor kind '\(YAMLValue.shortened(entry.key))'",
                        fix: YAMLMapping.unknownFix(entry.key, known: known, kind: "sensor kinds")
                    )
                    sensorsComplete = false
                    continue
                }
                if kind == .level { hasLevelSensor = true }
                sensorKinds?.insert(kind)
                if let sensor = readSensor(kind, entry.value, stationContext: context) {
                    sensors.append(sensor)
                } else {
                    sensorsComplete = false
                }
            }
        }
        let levelRange = sensors.first { $0.kind == .level }?.range
        // With a 'kind' that could not be read, what only a reservoir may have is not judged: one problem, not five.
        let reservoirResult =
            kindComplete
            ? readReservoir(station, kind: kind, sensorKinds: sensorKinds, levelRange: levelRange, areas: areas)
            : (reservoir: nil, complete: false)

        // Alarm levels.
        var alarmLevels = AlarmLevels()
        var alarmLevelsComplete = true
        if let alarmValue = station.optional("alarm_levels") {
            if let result = readAlarmLevels(
                alarmValue, context: context, hasLevelSensor: hasLevelSensor, levelRange: levelRange)
            {
                alarmLevels = result
            } else {
                alarmLevelsComplete = false
            }
        }

        // Record.
        var record: FloodRecord?
        var recordComplete = true
        if let recordValue = station.optional("record") {
            record = readRecord(recordValue, context: context, hasLevelSensor: hasLevelSensor, levelRange: levelRange)
            recordComplete = record != nil
        }

        // Warning rules: the top-level ones, with the station's own on top, key by key.
        var rules = baseRules
        if let rulesValue = station.optional("rules") {
            RulesReader(context: context, sensorKinds: sensorKinds).apply(rulesValue, to: &rules)
        }

        guard let id, let name, let river, let latitude, let longitude, let approximate, areaComplete,
            floodZoneComplete, sensorsComplete, alarmLevelsComplete, recordComplete, basinValue == nil || basin != nil,
            kindComplete, reservoirResult.complete
        else { return nil }
        return Station(
            id: id, name: name, river: river, basin: basin, latitude: latitude, longitude: longitude,
            approximate: approximate, kind: kind, reservoir: reservoirResult.reservoir, area: area,
            floodZone: floodZone, sensors: sensors, alarmLevels: alarmLevels, record: record, rules: rules
        )
    }

    /// A reservoir's `reservoir:` and `downstream:`, and the checks that tie sensors to the kind of station: only a
    /// reservoir reports inflow and outflow, and a reservoir reports its outflow.
    private func readReservoir(
        _ station: YAMLMapping, kind: Station.Kind, sensorKinds: Set<SensorKind>?, levelRange: ClosedRange<Double>?,
        areas: [Area]?
    ) -> (reservoir: Reservoir?, complete: Bool) {
        var complete = true
        guard kind == .reservoir else {
            for key in ["reservoir", "downstream"] {
                if let value = station.optional(key) {
                    complete = false
                    value.report(
                        "'\(key)' is for a reservoir, and this station is a gauge",
                        fix: "add 'kind: reservoir' if it is one, or remove '\(key)'")
                }
            }
            if let sensorKinds, let flow = sensorKinds.first(where: \.isReservoirFlow) {
                complete = false
                station.report(
                    "a '\(flow.rawValue)' sensor is for a reservoir, and this station is a gauge",
                    fix: "add 'kind: reservoir' if it is one, or remove the sensor")
            }
            return (nil, complete)
        }
        if let sensorKinds, !sensorKinds.contains(.outflow) {
            complete = false
            station.report(
                "a reservoir needs an 'outflow' sensor: its releases are what the communes downstream are warned of",
                fix: "add 'outflow: {interval: 1h, range: [0, 20000]}' (m³/s) under 'sensors'")
        }
        var reservoir = Reservoir()
        if let value = station.optional("reservoir"), var mapping = value.mapping() {
            mapping.context = [station.context, "reservoir"].compactMap { $0 }.joined(separator: ", ")
            mapping.checkKeys(CatalogueLoader.reservoirKeys)
            if let levelValue = mapping.optional("normal_level"), let metres = levelValue.number(example: "175.0") {
                if let levelRange, !levelRange.contains(metres) {
                    complete = false
                    levelValue.report(
                        "normal_level \(Self.metres(metres)) m is outside the level sensor's range \(Self.range(levelRange))",
                        fix: "widen the level sensor's 'range' (metres above sea level) or correct the level")
                } else {
                    reservoir.normalLevel = metres
                }
            }
        }
        if let value = station.optional("downstream"), let items = value.sequence() {
            for item in items {
                guard let id = item.text(example: "tra-doc") else {
                    complete = false
                    continue
                }
                if let areas, !areas.contains(where: { $0.id == id }) {
                    complete = false
                    item.report(
                        "unknown area '\(YAMLValue.shortened(id))' downstream",
                        fix: areas.isEmpty
                            ? "list the communes under 'areas:' first"
                            : YAMLMapping.unknownFix(id, known: areas.map(\.id), kind: "area ids"))
                } else {
                    reservoir.downstream.append(id)
                }
            }
        }
        return (reservoir, complete)
    }

    func coordinate(_ station: YAMLMapping, key: String, limit: Double, example: String, words: String)
        -> Double?
    {
        guard
            let value = station.required(key, fix: "add '\(key): …', the \(words) (WGS 84), e.g. '\(key): \(example)'"),
            let number = value.number(example: example)
        else { return nil }
        guard (-limit...limit).contains(number) else {
            value.report(
                "'\(key)' \(Self.plain(number)) is outside -\(Self.plain(limit))…\(Self.plain(limit))",
                fix: "write the \(words) (WGS 84), e.g. \(example)"
            )
            return nil
        }
        return number
    }

    // MARK: Sensor

    private func readSensor(_ kind: SensorKind, _ value: YAMLValue, stationContext: String?) -> Sensor? {
        guard var sensor = value.mapping() else { return nil }
        sensor.context = [stationContext, "\(kind.rawValue) sensor"].compactMap { $0 }.joined(separator: ", ")
        sensor.checkKeys(CatalogueLoader.sensorKeys)

        var interval: Int?
        if let intervalValue = sensor.required("interval", fix: "add 'interval: 5m', how often the gauge reports") {
            interval = intervalValue.positiveDuration(
                fix: "write how often the gauge reports, e.g. 5m", maximum: CatalogueLoader.maximumInterval,
                tooLongFix: "write at most 1d (24h); a gauge that reports less often is not usable for warnings")
        }

        var range: ClosedRange<Double>?
        let example =
            switch kind {
            case .level: "[-1.0, 9.0]"
            case .rain: "[0, 150]"
            case .inflow, .outflow: "[0, 20000]"
            }
        if let rangeValue = sensor.required(
            "range", fix: "add 'range: \(example)', the physically possible values in \(kind.unit)"
        ), let items = rangeValue.sequence() {
            if items.count != 2 {
                var fix = "write the lowest and the highest possible value, e.g. 'range: \(example)'"
                if items.count > 2 {
                    fix += "; inside [ ] a comma separates values, so write decimals with a point (1.5, not 1,5)"
                }
                rangeValue.report(
                    "'range' must be [min, max], found \(items.count) value\(items.count == 1 ? "" : "s")", fix: fix
                )
            } else {
                let minimum = items[0].named("the 'range' minimum").number()
                let maximum = items[1].named("the 'range' maximum").number()
                if let minimum, let maximum {
                    if minimum >= maximum {
                        rangeValue.report(
                            "'range' minimum \(Self.plain(minimum)) must be below its maximum \(Self.plain(maximum))",
                            fix: "write [min, max], lowest first"
                        )
                    } else if kind != .level, minimum < 0 {
                        items[0].report(
                            "\(kind.rawValue) 'range' cannot go below 0 \(kind.unit), found \(Self.plain(minimum))",
                            fix: "start the \(kind.rawValue) range at 0"
                        )
                    } else {
                        range = minimum...maximum
                    }
                }
            }
        }

        var unitValid = true
        if let unitValue = sensor.optional("unit") {
            if let unit = unitValue.text(example: "unit: \(kind.unit)") {
                if unit != kind.unit {
                    unitValid = false
                    unitValue.report(
                        "'unit' '\(YAMLValue.shortened(unit))' is wrong for a \(kind.rawValue) sensor: FloodWatch stores \(kind.rawValue) in \(kind.unit)",
                        fix: "write 'unit: \(kind.unit)' and give the range in \(kind.unit), or leave 'unit' out"
                    )
                }
            } else {
                unitValid = false
            }
        }

        guard let interval, let range, unitValid else { return nil }
        return Sensor(kind: kind, interval: interval, range: range)
    }

    // MARK: Alarm levels and record

    private func readAlarmLevels(
        _ value: YAMLValue, context: String?, hasLevelSensor: Bool, levelRange: ClosedRange<Double>?
    ) -> AlarmLevels? {
        guard var mapping = value.mapping() else { return nil }
        mapping.context = context
        mapping.checkKeys(CatalogueLoader.alarmLevelKeys)
        if mapping.isEmpty {
            mapping.report(
                "'alarm_levels' is empty",
                fix: "give the official levels that are known (I, II, III), or remove 'alarm_levels'"
            )
            return nil
        }
        if !hasLevelSensor {
            mapping.report(
                "'alarm_levels' needs a level sensor, and the station has none",
                fix: "add a 'level' sensor under 'sensors', or remove 'alarm_levels' (a rain gauge has no alarm levels)"
            )
        }
        var complete = hasLevelSensor
        var known: [(roman: String, value: YAMLValue, metres: Double)] = []
        var levels = AlarmLevels()
        for (index, roman) in CatalogueLoader.alarmLevelKeys.enumerated() {
            guard let levelValue = mapping.optional(roman)?.named("alarm level \(roman)") else { continue }
            guard let metres = levelValue.number(example: "3.00") else {
                complete = false
                continue
            }
            known.append((roman, levelValue, metres))
            switch index {
            case 0: levels.levelI = metres
            case 1: levels.levelII = metres
            default: levels.levelIII = metres
            }
        }
        for (lower, higher) in zip(known, known.dropFirst()) where higher.metres <= lower.metres {
            complete = false
            higher.value.report(
                "alarm level \(higher.roman) (\(Self.metres(higher.metres)) m) must be above level \(lower.roman) (\(Self.metres(lower.metres)) m)",
                fix: "correct the levels from the official decision, lowest first"
            )
        }
        if let levelRange {
            for level in known where !levelRange.contains(level.metres) {
                complete = false
                level.value.report(
                    "alarm level \(level.roman) (\(Self.metres(level.metres)) m) is outside the level sensor's range \(Self.range(levelRange))",
                    fix: "widen the level sensor's 'range' (metres above the station datum) or correct the level"
                )
            }
        }
        return complete ? levels : nil
    }

    private func readRecord(
        _ value: YAMLValue, context: String?, hasLevelSensor: Bool, levelRange: ClosedRange<Double>?
    ) -> FloodRecord? {
        guard var mapping = value.mapping() else { return nil }
        mapping.context = [context, "record"].compactMap { $0 }.joined(separator: ", ")
        mapping.checkKeys(CatalogueLoader.recordKeys)
        if !hasLevelSensor {
            mapping.report(
                "'record' needs a level sensor, and the station has none",
                fix: "add a 'level' sensor under 'sensors', or remove 'record'"
            )
        }
        var level: Double?
        if let levelValue = mapping.required("level", fix: "add 'level: …', the highest level on record in metres"),
            let metres = levelValue.number(example: "5.61")
        {
            if let levelRange, !levelRange.contains(metres) {
                levelValue.report(
                    "level \(Self.metres(metres)) m is outside the level sensor's range \(Self.range(levelRange))",
                    fix: "widen the level sensor's 'range' (metres above the station datum) or correct the record"
                )
            } else {
                level = metres
            }
        }
        var year: Int?
        if let yearValue = mapping.required("year", fix: "add 'year: …', the year of the flood"),
            let number = yearValue.integer(example: "1964")
        {
            if CatalogueLoader.recordYears.contains(number) {
                year = number
            } else {
                yearValue.report(
                    "year \(number) is outside \(CatalogueLoader.recordYears.lowerBound)…\(CatalogueLoader.recordYears.upperBound)",
                    fix: "write the year of the flood, e.g. 1964"
                )
            }
        }
        guard hasLevelSensor, let level, let year else { return nil }
        return FloodRecord(level: level, year: year)
    }

    // MARK: Ids and numbers

    /// `^[a-z0-9][a-z0-9-]{0,62}$`: safe in MQTT topics, SQL and file names.
    static func isValidID(_ id: String) -> Bool {
        let scalars = Array(id.unicodeScalars)
        guard (1...63).contains(scalars.count) else { return false }
        func allowed(_ scalar: Unicode.Scalar) -> Bool {
            ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar)
        }
        return allowed(scalars[0]) && scalars.dropFirst().allSatisfy { allowed($0) || $0 == "-" }
    }

    /// A valid id made from an invalid one by the usual conventions: `Câu Lâu` → `cau-lau`.
    static func suggestedID(for text: String) -> String? {
        let folded = text.replacingOccurrences(of: "đ", with: "d").replacingOccurrences(of: "Đ", with: "D")
            .folding(options: [.diacriticInsensitive, .caseInsensitive], locale: Locale(identifier: "en_US_POSIX"))
            .lowercased()
        var id = String(folded.map { $0 == " " || $0 == "_" || $0 == "." ? "-" : $0 })
        while id.hasPrefix("-") { id.removeFirst() }
        return isValidID(id) && id != text ? id : nil
    }

    /// Metres with two decimals, as the bulletins write levels: `3.50`.
    static func metres(_ value: Double) -> String {
        String(format: "%.2f", value)
    }

    static func range(_ range: ClosedRange<Double>) -> String {
        "\(metres(range.lowerBound))…\(metres(range.upperBound)) m"
    }

    /// A number as briefly as it can be written: `90`, `-1.5`.
    static func plain(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
