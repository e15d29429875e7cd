import Gauges
import Testing
import Warnings

/// Stations of the basin with their official levels, built in code so each test can change a rule.
enum Stations {
    static func level(interval: Int = 300) -> Sensor { Sensor(kind: .level, interval: interval, range: -2...25) }
    static func rain(interval: Int = 300) -> Sensor { Sensor(kind: .rain, interval: interval, range: 0...150) }

    /// Câu Lâu (Thu Bồn): BĐ I 2.00, II 3.00, III 4.00, record 5.61 (2025); level and rain.
    static func cauLau(levelInterval: Int = 300, _ configure: (inout StationRules) -> Void = { _ in }) -> Station {
        var rules = StationRules()
        configure(&rules)
        return Station(
            id: "cau-lau", name: "Câu Lâu", river: "Thu Bồn", latitude: 15.852, longitude: 108.268,
            sensors: [level(interval: levelInterval), rain()],
            alarmLevels: AlarmLevels(levelI: 2.00, levelII: 3.00, levelIII: 4.00),
            record: FloodRecord(level: 5.61, year: 2025), rules: rules)
    }

    /// Nông Sơn (Thu Bồn): no official BĐ I; BĐ II 13.00, III 15.00.
    static func nongSon(_ configure: (inout StationRules) -> Void = { _ in }) -> Station {
        var rules = StationRules()
        configure(&rules)
        return Station(
            id: "nong-son", name: "Nông Sơn", river: "Thu Bồn", latitude: 15.70, longitude: 108.03,
            sensors: [level()], alarmLevels: AlarmLevels(levelII: 13.00, levelIII: 15.00), rules: rules)
    }

    /// Ái Nghĩa (Vu Gia): BĐ I 6.50, II 8.00, III 9.00, record 10.77 (2009).
    static func aiNghia(_ configure: (inout StationRules) -> Void = { _ in }) -> Station {
        var rules = StationRules()
        configure(&rules)
        return Station(
            id: "ai-nghia", name: "Ái Nghĩa", river: "Vu Gia", latitude: 15.88, longitude: 108.12,
            sensors: [level(), rain()], alarmLevels: AlarmLevels(levelI: 6.50, levelII: 8.00, levelIII: 9.00),
            record: FloodRecord(level: 10.77, year: 2009), rules: rules)
    }

    /// Trà My (Tranh): rain only, no alarm levels.
    static func traMy(_ configure: (inout StationRules) -> Void = { _ in }) -> Station {
        var rules = StationRules()
        configure(&rules)
        return Station(
            id: "tra-my", name: "Trà My", river: "Tranh", latitude: 15.35, longitude: 108.23, sensors: [rain()],
            rules: rules)
    }

    static func catalogue(_ stations: Station...) -> StationCatalogue {
        StationCatalogue(stations: stations)
    }
}

/// Unix ms of an RFC 3339 time, e.g. `at("2022-10-11T08:00:00+07:00")`.
func at(_ text: String) -> Int64 {
    switch RFC3339.milliseconds(text) {
    case .success(let milliseconds): return milliseconds
    case .failure(let error): fatalError(error.description)
    }
}

let minute: Int64 = 60_000
let hour: Int64 = 3_600_000

/// Readings of one sensor, `step` apart from `start`.
func series(
    _ station: String, _ sensor: SensorKind = .level, from start: Int64, every step: Int64, _ values: [Double]
) -> [Reading] {
    values.enumerated().map { index, value in
        Reading(station: station, sensor: sensor, timestamp: start + Int64(index) * step, value: value)
    }
}

/// An event reduced to what the rules decide, for exact comparisons.
struct Brief: Hashable, CustomStringConvertible {
    var rule: WarningRule
    var kind: WarningEventKind
    var level: Int
    var timestamp: Int64
    var value: Double?
    var threshold: Double?

    init(
        _ rule: WarningRule, _ kind: WarningEventKind, _ level: Int, at timestamp: Int64, value: Double?,
        threshold: Double?
    ) {
        self.rule = rule
        self.kind = kind
        self.level = level
        self.timestamp = timestamp
        self.value = value.map(Self.round)
        self.threshold = threshold.map(Self.round)
    }

    init(_ event: WarningEvent) {
        self.init(
            event.rule, event.kind, event.level, at: event.timestamp, value: event.value, threshold: event.threshold)
    }

    /// To the millimetre: what a hydrologist reads, and free of floating-point noise.
    static func round(_ value: Double) -> Double { (value * 1000).rounded() / 1000 }

    var description: String {
        "\(rule) \(kind) L\(level) @\(timestamp) value \(value.map { "\($0)" } ?? "nil") "
            + "threshold \(threshold.map { "\($0)" } ?? "nil")"
    }
}

func briefs(_ events: [WarningEvent], _ rule: WarningRule? = nil) -> [Brief] {
    events.filter { rule == nil || $0.rule == rule }.map(Brief.init)
}
