import Gauges
import Yams

extension CatalogueLoader {
    /// The rules a `rules:` mapping may set, named as the warning engine names them.
    public static let ruleNames = ["level", "rise", "forecast", "rain", "silent", "landslide", "release", "pool"]
    /// The keys of the `level` rule.
    public static let levelRuleKeys = ["enabled", "deadband", "hold", "spike", "crest_drop"]
    /// The keys of the `rise` rule.
    public static let riseRuleKeys = ["enabled", "window", "thresholds", "hold"]
    /// The keys of the `forecast` rule.
    public static let forecastRuleKeys = ["enabled", "window", "min_readings", "horizon", "hold"]
    /// The rain windows as the file writes them, with their length in seconds (`StationRules.RainRule.windows`).
    public static let rainWindows: [(key: String, seconds: Int)] = [
        ("1h", 3600), ("3h", 10_800), ("6h", 21_600), ("24h", 86_400), ("72h", 259_200),
    ]
    /// The keys of the `rain` rule: its windows, then `enabled` and `hold`.
    public static let rainRuleKeys = rainWindows.map(\.key) + ["enabled", "hold"]
    /// The keys of the `silent` rule.
    public static let silentRuleKeys = ["enabled", "after", "intervals"]
    /// The keys of the `landslide` rule.
    public static let landslideRuleKeys = ["enabled", "rain_day_mm", "hold"]
    /// The keys of the `release` rule (a reservoir's outflow).
    public static let releaseRuleKeys = ["enabled", "outflow", "step", "hold"]
    /// The keys of the `pool` rule (a reservoir's level).
    public static let poolRuleKeys = ["enabled", "margin", "hold"]
    /// The level rule's `deadband` must be below this, in metres.
    public static let deadbandLimit = 2.0
    /// The longest forecast `horizon`, in seconds (one day): a straight line says nothing about the day after.
    public static let maximumHorizon = 86_400
}

/// Reads one `rules:` mapping, the top-level one or a station's, and applies what it sets on top of the rules it is
/// given, key by key: a value that is not written, or is wrong (and reported), stays as it was.
///
/// A station's `level`, `rise` and `forecast` settings are read and checked even when the station has no level
/// sensor; they have no effect there. Rain thresholds on a station without a rain sensor are reported: they are
/// most likely meant for another station.
struct RulesReader {
    /// Where the mapping is: nil for the top-level `rules:`, `station 'cau-lau'` for a station's.
    let context: String?
    /// The kinds of sensor the station declares; nil for the top-level rules, or when the station's sensors could
    /// not be read (no check against them is made then).
    let sensorKinds: Set<SensorKind>?

    func apply(_ value: YAMLValue, to rules: inout StationRules) {
        guard var mapping = value.mapping() else { return }
        mapping.context = context
        for entry in mapping.entries {
            switch entry.key {
            case "level": readLevel(entry.value, into: &rules.level)
            case "rise": readRise(entry.value, into: &rules.rise)
            case "forecast": readForecast(entry.value, into: &rules.forecast)
            case "rain": readRain(entry.value, into: &rules.rain)
            case "silent": readSilent(entry.value, into: &rules.silent)
            case "landslide": readLandslide(entry.value, into: &rules.landslide)
            case "release": readRelease(entry.value, into: &rules.release)
            case "pool": readPool(entry.value, into: &rules.pool)
            default:
                entry.keyValue.report(
                    "unknown rule '\(YAMLValue.shortened(entry.key))'",
                    fix: YAMLMapping.unknownFix(entry.key, known: CatalogueLoader.ruleNames, kind: "rules")
                )
            }
        }
    }

    // MARK: Rules

    private func readLevel(_ value: YAMLValue, into rule: inout StationRules.LevelRule) {
        guard
            let settings = settings(
                value, rule: "level", keys: CatalogueLoader.levelRuleKeys, enabled: &rule.enabled,
                example: "{deadband: 0.10, hold: 30m, spike: 0.05}")
        else { return }
        if let deadbandValue = settings.optional("deadband"), let metres = deadbandValue.number(example: "0.10") {
            let fix = "write how far, in metres, the water must fall below a threshold to clear its warning, e.g. 0.10"
            if metres < 0 {
                deadbandValue.report(
                    "'deadband' must not be negative, found \(CatalogueReader.plain(metres))", fix: fix)
            } else if metres >= CatalogueLoader.deadbandLimit {
                deadbandValue.report(
                    "'deadband' \(CatalogueReader.plain(metres)) m is too large: it must be below \(CatalogueReader.plain(CatalogueLoader.deadbandLimit)) m",
                    fix: fix
                )
            } else {
                rule.deadband = metres
            }
        }
        if let seconds = hold(settings) { rule.holdSeconds = seconds }
        if let dropValue = settings.optional("crest_drop"), let metres = dropValue.number(example: "0.10") {
            if metres <= 0 {
                dropValue.report(
                    "'crest_drop' must be above 0 m, found \(CatalogueReader.plain(metres))",
                    fix:
                        "write how far, in metres, the water must fall below its peak for the crest to be told, e.g. 0.10"
                )
            } else {
                rule.crestDrop = metres
            }
        }
        if let spikeValue = settings.optional("spike"), let rate = spikeValue.number(example: "0.05") {
            if rate <= 0 {
                spikeValue.report(
                    "'spike' must be more than 0 m per minute, found \(CatalogueReader.plain(rate))",
                    fix: "write the fastest change in metres per minute that is still believable, e.g. 0.05"
                )
            } else {
                rule.spikeMetresPerMinute = rate
            }
        }
    }

    private func readRise(_ value: YAMLValue, into rule: inout StationRules.RiseRule) {
        guard
            let settings = settings(
                value, rule: "rise", keys: CatalogueLoader.riseRuleKeys, enabled: &rule.enabled,
                example: "{window: 1h, thresholds: [0.3, 1.0], hold: 30m}")
        else { return }
        if let seconds = window(settings, example: "1h") { rule.windowSeconds = seconds }
        if let thresholdsValue = settings.optional("thresholds") {
            if let thresholds = thresholds(thresholdsValue, unit: "m", example: "[0.3, 1.0]") {
                if thresholds.isEmpty {
                    thresholdsValue.report(
                        "'thresholds' is empty",
                        fix: "give the rise in metres for level 1, 2, …, e.g. [0.3, 1.0], or write 'rise: off'"
                    )
                } else {
                    rule.thresholds = thresholds
                }
            }
        }
        if let seconds = hold(settings) { rule.holdSeconds = seconds }
    }

    private func readForecast(_ value: YAMLValue, into rule: inout StationRules.ForecastRule) {
        guard
            let settings = settings(
                value, rule: "forecast", keys: CatalogueLoader.forecastRuleKeys, enabled: &rule.enabled,
                example: "{window: 2h, min_readings: 4, horizon: 3h, hold: 30m}")
        else { return }
        if let seconds = window(settings, example: "2h") { rule.windowSeconds = seconds }
        if let readingsValue = settings.optional("min_readings"), let count = readingsValue.integer(example: "4") {
            if count < 2 {
                readingsValue.report(
                    "'min_readings' must be at least 2, found \(count)",
                    fix: "write at least 2 (a line needs two points); 4 or more gives a steadier projection"
                )
            } else {
                rule.minimumReadings = count
            }
        }
        if let horizonValue = settings.optional("horizon"),
            let seconds = horizonValue.positiveDuration(
                fix: "write how far ahead a crossing is warned of, e.g. 3h", maximum: CatalogueLoader.maximumHorizon,
                tooLongFix: "write at most 1d (24h): a straight line fitted to a few hours says nothing about later")
        {
            rule.horizonSeconds = seconds
        }
        if let seconds = hold(settings) { rule.holdSeconds = seconds }
    }

    private func readRain(_ value: YAMLValue, into rule: inout StationRules.RainRule) {
        guard
            let settings = settings(
                value, rule: "rain", keys: nil, enabled: &rule.enabled,
                example: "{3h: [70, 150, 200], 24h: [100, 200, 400], hold: 30m}")
        else { return }
        var setsThresholds = false
        for entry in settings.entries {
            if let window = CatalogueLoader.rainWindows.first(where: { $0.key == entry.key }) {
                setsThresholds = true
                guard let thresholds = thresholds(entry.value, unit: "mm", example: "[70, 150, 200]") else { continue }
                rule.thresholds[window.seconds] = thresholds.isEmpty ? nil : thresholds
            } else if !CatalogueLoader.rainRuleKeys.contains(entry.key) {
                reportUnknownRainKey(entry)
            }
        }
        if let seconds = hold(settings) { rule.holdSeconds = seconds }
        if setsThresholds, let sensorKinds, !sensorKinds.contains(.rain) {
            settings.report(
                "rain thresholds need a rain sensor, and the station has none",
                fix: "add a 'rain' sensor under 'sensors', or remove the rain windows from the station's 'rules'"
            )
        }
    }

    private func reportUnknownRainKey(_ entry: YAMLMapping.Entry) {
        let windows = CatalogueLoader.rainWindows.map(\.key)
        let list = windows.joined(separator: ", ")
        if let seconds = DurationText.seconds(entry.key), seconds > 0 {
            var fix = "the rain windows are \(list)"
            if let window = CatalogueLoader.rainWindows.first(where: { $0.seconds == seconds }) {
                fix = "write '\(window.key)'; " + fix
            }
            entry.keyValue.report("'\(YAMLValue.shortened(entry.key))' is not a rain window", fix: fix)
        } else {
            entry.keyValue.report(
                "unknown key '\(YAMLValue.shortened(entry.key))'",
                fix: YAMLMapping.unknownFix(entry.key, known: CatalogueLoader.rainRuleKeys)
            )
        }
    }

    private func readSilent(_ value: YAMLValue, into rule: inout StationRules.SilentRule) {
        guard
            let settings = settings(
                value, rule: "silent", keys: CatalogueLoader.silentRuleKeys, enabled: &rule.enabled,
                example: "{after: 30m, intervals: 3}")
        else { return }
        if let afterValue = settings.optional("after"), let seconds = afterValue.duration() {
            if seconds < 0 {
                afterValue.report(
                    "'after' must not be negative, found \(afterValue.found)",
                    fix: "write the shortest silence that raises a warning, e.g. 30m (0: only 'intervals' counts)"
                )
            } else {
                rule.minimumSeconds = seconds
            }
        }
        if let intervalsValue = settings.optional("intervals"), let count = intervalsValue.integer(example: "3") {
            if count < 1 {
                intervalsValue.report(
                    "'intervals' must be at least 1, found \(count)",
                    fix: "write how many of the sensor's intervals without a reading make it silent, e.g. 3"
                )
            } else {
                rule.intervals = count
            }
        }
    }

    private func readLandslide(_ value: YAMLValue, into rule: inout StationRules.LandslideRule) {
        guard
            let settings = settings(
                value, rule: "landslide", keys: CatalogueLoader.landslideRuleKeys, enabled: &rule.enabled,
                example: "{rain_day_mm: 1, hold: 24h}")
        else { return }
        if let dayValue = settings.optional("rain_day_mm"), let millimetres = dayValue.number(example: "1") {
            if millimetres <= 0 {
                dayValue.report(
                    "'rain_day_mm' must be above 0, found \(dayValue.found)",
                    fix: "write the rain in mm that makes a 24-hour window a day of rain, e.g. 1")
            } else {
                rule.rainDayMillimetres = millimetres
            }
        }
        if let seconds = hold(settings) { rule.holdSeconds = seconds }
    }

    private func readRelease(_ value: YAMLValue, into rule: inout StationRules.ReleaseRule) {
        guard
            let settings = settings(
                value, rule: "release", keys: CatalogueLoader.releaseRuleKeys, enabled: &rule.enabled,
                example: "{outflow: [500, 1000, 2000], step: 300, hold: 30m}")
        else { return }
        if let outflowValue = settings.optional("outflow"),
            let thresholds = thresholds(outflowValue, unit: "m³/s", example: "[500, 1000, 2000]")
        {
            rule.thresholds = thresholds
        }
        if let stepValue = settings.optional("step"), let cubicMetres = stepValue.number(example: "300") {
            if cubicMetres <= 0 {
                stepValue.report(
                    "'step' must be above 0 m³/s, found \(stepValue.found)",
                    fix: "write the rise of the outflow within an hour that is told downstream, e.g. 300")
            } else {
                rule.stepCubicMetres = cubicMetres
            }
        }
        if let seconds = hold(settings) { rule.holdSeconds = seconds }
        if let sensorKinds, !sensorKinds.contains(.outflow) {
            settings.report(
                "the release rule needs an outflow sensor, and the station has none",
                fix: "set it on the reservoir (kind: reservoir, with an 'outflow' sensor)")
        }
    }

    private func readPool(_ value: YAMLValue, into rule: inout StationRules.PoolRule) {
        guard
            let settings = settings(
                value, rule: "pool", keys: CatalogueLoader.poolRuleKeys, enabled: &rule.enabled,
                example: "{margin: 1.0, hold: 30m}")
        else { return }
        if let marginValue = settings.optional("margin"), let metres = marginValue.number(example: "1.0") {
            if metres <= 0 {
                marginValue.report(
                    "'margin' must be above 0 m, found \(marginValue.found)",
                    fix: "write how far below the normal water level the warning starts, in metres, e.g. 1.0")
            } else {
                rule.marginMetres = metres
            }
        }
        if let seconds = hold(settings) { rule.holdSeconds = seconds }
    }

    // MARK: Settings

    /// The settings mapping of one rule, its keys checked (unless `keys` is nil) and its `enabled` applied; nil when
    /// the rule is written `off` (or `on`), which only sets `enabled`, or is not a mapping (reported).
    private func settings(_ value: YAMLValue, rule: String, keys: [String]?, enabled: inout Bool, example: String)
        -> YAMLMapping?
    {
        if let flag = Self.flag(value) {
            enabled = flag
            return nil
        }
        guard case .mapping = value.node, var settings = value.mapping() else {
            value.report(
                value.isNull
                    ? "'\(rule)' has no value"
                    : "'\(rule)' must be 'off' or a mapping of settings, found \(value.found)",
                fix: "write '\(rule): off' to turn the rule off, or its settings, e.g. '\(rule): \(example)'"
            )
            return nil
        }
        settings.context = [context, "\(rule) rule"].compactMap { $0 }.joined(separator: ", ")
        if let keys { settings.checkKeys(keys) }
        if let enabledValue = settings.optional("enabled") {
            if let flag = Self.flag(enabledValue) {
                enabled = flag
            } else {
                enabledValue.report(
                    "'enabled' must be true or false, found \(enabledValue.found)",
                    fix: "write 'enabled: false' to turn the rule off, or leave 'enabled' out"
                )
            }
        }
        return settings
    }

    /// `off` / `false` and `on` / `true`, in any case; nil for anything else.
    static func flag(_ value: YAMLValue) -> Bool? {
        guard case .scalar(let scalar) = value.node else { return nil }
        switch scalar.string.lowercased() {
        case "off", "false": return false
        case "on", "true": return true
        default: return nil
        }
    }

    /// `hold`: a duration of 0 or more.
    private func hold(_ settings: YAMLMapping) -> Int? {
        guard let holdValue = settings.optional("hold"), let seconds = holdValue.duration() else { return nil }
        guard seconds >= 0 else {
            holdValue.report(
                "'hold' must not be negative, found \(holdValue.found)",
                fix: "write how long the condition must be gone before the warning clears, e.g. 30m (0 clears at once)"
            )
            return nil
        }
        return seconds
    }

    /// `window`: a duration of more than 0.
    private func window(_ settings: YAMLMapping, example: String) -> Int? {
        settings.optional("window")?.positiveDuration(
            fix: "write the stretch of time the rule looks back over, e.g. \(example)")
    }

    /// A list of thresholds for level 1, 2, …: each more than 0, strictly increasing. `[]` is returned as it is.
    private func thresholds(_ value: YAMLValue, unit: String, example: String) -> [Double]? {
        guard let items = value.sequence() else { return nil }
        let list = value.name
        var thresholds: [Double] = []
        var valid = true
        for (index, item) in items.enumerated() {
            let level = index + 1
            guard let number = item.named("level \(level) of \(list)").number(example: "\(level)") else {
                valid = false
                continue
            }
            if number <= 0 {
                valid = false
                item.report(
                    "level \(level) of \(list) must be more than 0 \(unit), found \(CatalogueReader.plain(number))",
                    fix: "write the thresholds in \(unit), lowest first, one per level, e.g. \(example)"
                        + Self.decimalCommaHint(items)
                )
            } else if let previous = thresholds.last, number <= previous {
                valid = false
                item.report(
                    "level \(level) of \(list) (\(CatalogueReader.plain(number)) \(unit)) must be above level \(level - 1) (\(CatalogueReader.plain(previous)) \(unit))",
                    fix: "write the thresholds in \(unit), lowest first, one per level, e.g. \(example)"
                        + Self.decimalCommaHint(items)
                )
            }
            thresholds.append(number)
        }
        return valid ? thresholds : nil
    }

    /// When a list holds whole numbers written `0,3` (no space after the comma), the reminder that inside [ ] a
    /// comma separates values; else "".
    static func decimalCommaHint(_ items: [YAMLValue]) -> String {
        for (first, second) in zip(items, items.dropFirst()) {
            guard case .scalar(let left) = first.node, case .scalar = second.node,
                first.node.tag.rawValue == Tag.Name.int.rawValue, !first.isQuoted,
                let leftMark = first.node.mark, let rightMark = second.node.mark, leftMark.line == rightMark.line,
                rightMark.column == leftMark.column + left.string.unicodeScalars.count + 1
            else { continue }
            return "; inside [ ] a comma separates values, so write decimals with a point (0.3, not 0,3)"
        }
        return ""
    }
}
