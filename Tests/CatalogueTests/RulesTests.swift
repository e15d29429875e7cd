import Catalogue
import Foundation
import Gauges
import Testing

/// The warning-rule settings of the catalogue: defaults, the top-level `rules:`, a station's own `rules:` on top of
/// it key by key, `off`, and each problem with its line.
@Suite("Catalogue warning rules")
struct RulesTests {
    // MARK: Fixtures

    /// The template station with its own `rules:` at line 12; the lines of `rules` (indented by 6) start at line 13.
    static func station(rules: String) -> String {
        Fixture.station + "    rules:\n" + indented(rules, by: 6)
    }

    /// A top-level `rules:` at line 1, its lines (indented by 2) from line 2, then the template station.
    static func topLevel(rules: String, then stations: String = Fixture.station) -> String {
        "rules:\n" + indented(rules, by: 2) + stations
    }

    /// A second station, `ai-nghia`, to follow the template.
    static let secondStation = """
          - id: ai-nghia
            name: Ái Nghĩa
            river: Vu Gia
            lat: 15.88
            lon: 108.12
            sensors:
              level: {interval: 5m, range: [-1.0, 15.0]}
              rain: {interval: 10m, range: [0, 150]}

        """

    /// A rain gauge without a level sensor: `rules:` at line 8, its lines from line 9.
    static func rainGauge(rules: String) -> String {
        """
        stations:
          - id: tra-my
            name: Trà My
            river: Tranh
            lat: 15.35
            lon: 108.23
            sensors: {rain: {interval: 5m, range: [0, 150]}}
            rules:

        """ + indented(rules, by: 6)
    }

    /// A level gauge without a rain sensor: `rules:` at line 8, its lines from line 9.
    static func levelGauge(rules: String) -> String {
        """
        stations:
          - id: cam-le
            name: Cẩm Lệ
            river: Hàn
            lat: 16.01
            lon: 108.21
            sensors: {level: {interval: 5m, range: [-2.0, 7.0]}}
            rules:

        """ + indented(rules, by: 6)
    }

    static func indented(_ text: String, by spaces: Int) -> String {
        let prefix = String(repeating: " ", count: spaces)
        return text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.isEmpty ? "" : prefix + $0 }
            .joined(separator: "\n") + (text.hasSuffix("\n") ? "" : "\n")
    }

    static func rules(_ yaml: String, of id: String = "cau-lau") throws -> StationRules {
        let catalogue = try CatalogueLoader.parse(yaml: yaml, file: "test.yaml")
        return try #require(catalogue[id]).rules
    }

    // MARK: Defaults

    @Test func withoutRulesEveryValueIsTheDocumentedDefault() throws {
        let rules = try Self.rules(Fixture.station)
        #expect(rules == StationRules())

        #expect(rules.level.enabled)
        #expect(rules.level.deadband == 0.10)
        #expect(rules.level.holdSeconds == 1800)
        #expect(rules.level.spikeMetresPerMinute == 0.05)
        #expect(rules.rise.enabled)
        #expect(rules.rise.windowSeconds == 3600)
        #expect(rules.rise.thresholds == [0.3, 1.0])
        #expect(rules.rise.holdSeconds == 1800)
        #expect(rules.forecast.enabled)
        #expect(rules.forecast.windowSeconds == 7200)
        #expect(rules.forecast.minimumReadings == 4)
        #expect(rules.forecast.horizonSeconds == 10_800)
        #expect(rules.forecast.holdSeconds == 1800)
        #expect(rules.rain.enabled)
        #expect(rules.rain.thresholds == [10_800: [70, 150, 200], 86_400: [100, 200, 400]])
        #expect(rules.rain.holdSeconds == 1800)
        #expect(rules.silent.enabled)
        #expect(rules.silent.minimumSeconds == 1800)
        #expect(rules.silent.intervals == 3)
    }

    @Test func emptyRulesAndRulesRepeatingTheDefaultsChangeNothing() throws {
        #expect(try Self.rules(Fixture.station + "    rules: {}\n") == StationRules())
        #expect(try Self.rules("rules: {}\n" + Fixture.station) == StationRules())

        let defaults = """
            level:    {deadband: 0.10, hold: 30m, spike: 0.05}
            rise:     {window: 1h, thresholds: [0.3, 1.0], hold: 30m}
            forecast: {window: 2h, min_readings: 4, horizon: 3h, hold: 30m}
            rain:     {3h: [70, 150, 200], 24h: [100, 200, 400], 1h: [], 6h: [], 72h: [], hold: 30m}
            silent:   {after: 30m, intervals: 3, enabled: true}
            """
        #expect(try Self.rules(Self.topLevel(rules: defaults)) == StationRules())
        #expect(try Self.rules(Self.station(rules: defaults)) == StationRules())
    }

    // MARK: Top level and station

    @Test func theWholeSchemaIsRead() throws {
        let yaml = Self.topLevel(
            rules: """
                level:    {deadband: 0.15, hold: 1h, spike: 0.08}
                rise:     {window: 2h, thresholds: [0.4, 1.2, 2], hold: 45m}
                forecast: {window: 3h, min_readings: 6, horizon: 1d, hold: 900}
                rain:     {1h: [40, 60], 3h: [70, 150, 200], 6h: [], 24h: [100, 200, 400], 72h: [300, 500], hold: 2h}
                silent:   {after: 1h, intervals: 4}
                """)
        let rules = try Self.rules(yaml)
        #expect(rules.level.deadband == 0.15)
        #expect(rules.level.holdSeconds == 3600)
        #expect(rules.level.spikeMetresPerMinute == 0.08)
        #expect(rules.rise.windowSeconds == 7200)
        #expect(rules.rise.thresholds == [0.4, 1.2, 2.0])
        #expect(rules.rise.holdSeconds == 2700)
        #expect(rules.forecast.windowSeconds == 10_800)
        #expect(rules.forecast.minimumReadings == 6)
        #expect(rules.forecast.horizonSeconds == 86_400)
        #expect(rules.forecast.holdSeconds == 900)
        #expect(
            rules.rain.thresholds == [
                3600: [40, 60], 10_800: [70, 150, 200], 86_400: [100, 200, 400], 259_200: [300, 500],
            ])
        #expect(rules.rain.holdSeconds == 7200)
        #expect(rules.silent.minimumSeconds == 3600)
        #expect(rules.silent.intervals == 4)
        #expect(rules.silent.limit(interval: 300) == 3600)
        #expect(rules.silent.limit(interval: 1800) == 7200)
        #expect(rules.level.enabled && rules.rise.enabled && rules.forecast.enabled)
        #expect(rules.rain.enabled && rules.silent.enabled)
    }

    @Test func topLevelRulesApplyToEveryStation() throws {
        let yaml = Self.topLevel(
            rules: """
                rise: {thresholds: [0.5, 1.5]}
                silent:
                  after: 1h
                """,
            then: Fixture.station + Self.secondStation)
        let catalogue = try CatalogueLoader.parse(yaml: yaml, file: "test.yaml")
        var expected = StationRules()
        expected.rise.thresholds = [0.5, 1.5]
        expected.silent.minimumSeconds = 3600
        #expect(catalogue.stations.map(\.id) == ["cau-lau", "ai-nghia"])
        for station in catalogue.stations {
            #expect(station.rules == expected, "\(station.id)")
            #expect(station.rules.rise.windowSeconds == 3600, "\(station.id)")
            #expect(station.rules.rise.thresholds == [0.5, 1.5], "\(station.id)")
        }
        #expect(catalogue["ai-nghia"]?.rules.silent.limit(interval: 600) == 3600)
    }

    @Test func aStationsRulesGoOnTopOfTheTopLevelOnesKeyByKey() throws {
        let top = """
            rise: {window: 2h, thresholds: [0.4, 1.2], hold: 1h}
            rain: {1h: [40, 60], hold: 45m}
            forecast: {horizon: 6h}
            """
        let own = """
                rules:
                  rise: {thresholds: [0.5, 1.5]}
                  rain: {3h: [50, 100, 150], 24h: []}
                  level: {spike: 0.1}
            """
        let yaml = Self.topLevel(rules: top, then: Fixture.station + Self.secondStation + own + "\n")
        let catalogue = try CatalogueLoader.parse(yaml: yaml, file: "test.yaml")

        let cauLau = try #require(catalogue["cau-lau"]).rules
        #expect(cauLau.rise.windowSeconds == 7200)
        #expect(cauLau.rise.thresholds == [0.4, 1.2])
        #expect(cauLau.rise.holdSeconds == 3600)
        #expect(cauLau.rain.thresholds == [3600: [40, 60], 10_800: [70, 150, 200], 86_400: [100, 200, 400]])
        #expect(cauLau.rain.holdSeconds == 2700)
        #expect(cauLau.forecast.horizonSeconds == 21_600)
        #expect(cauLau.level == StationRules.LevelRule())

        let aiNghia = try #require(catalogue["ai-nghia"]).rules
        // Its own thresholds; the window and hold of the top level.
        #expect(aiNghia.rise.windowSeconds == 7200)
        #expect(aiNghia.rise.thresholds == [0.5, 1.5])
        #expect(aiNghia.rise.holdSeconds == 3600)
        // Its own 3 h, the top level's 1 h and hold; 24 h turned off.
        #expect(aiNghia.rain.thresholds == [3600: [40, 60], 10_800: [50, 100, 150]])
        #expect(aiNghia.rain.holdSeconds == 2700)
        // Untouched by the station: the top level's.
        #expect(aiNghia.forecast.horizonSeconds == 21_600)
        #expect(aiNghia.forecast.windowSeconds == 7200)
        // Its own spike, the defaults for the rest.
        #expect(aiNghia.level.spikeMetresPerMinute == 0.1)
        #expect(aiNghia.level.deadband == 0.10)
        #expect(aiNghia.level.holdSeconds == 1800)
        #expect(aiNghia.silent == StationRules.SilentRule())
    }

    // MARK: The bundled catalogue

    @Test func theBundledCatalogueKeepsTheDefaultsForEveryStation() throws {
        let catalogue = try CatalogueLoader.load(path: Fixture.bundledCatalogue)
        #expect(catalogue.stations.count == 15)
        for station in catalogue.stations where station.kind == .gauge {
            #expect(station.rules == StationRules(), "\(station.id)")
        }
        // Sông Tranh 2's release thresholds are the centre's own choice; nothing else differs.
        var reservoir = StationRules()
        reservoir.release.thresholds = [500, 1000, 2000]
        #expect(try #require(catalogue["song-tranh-2"]).rules == reservoir)
        let traMy = try #require(catalogue["tra-my"]).rules
        #expect(traMy.rain.thresholds == [10_800: [70, 150, 200], 86_400: [100, 200, 400]])
        #expect(traMy.rain.holdSeconds == 1800)
        #expect(traMy.silent.limit(interval: 300) == 1800)
    }

    @Test func theBundledFilesExamplesLoadAsDocumented() throws {
        let text = try String(contentsOfFile: Fixture.bundledCatalogue, encoding: .utf8)

        // The header's block of every default, uncommented, changes nothing.
        let defaults = [
            "rules:",
            "  level:    {deadband: 0.10, hold: 30m, spike: 0.05, crest_drop: 0.10}",
            "  rise:     {window: 1h, thresholds: [0.3, 1.0], hold: 30m}",
            "  forecast: {window: 2h, min_readings: 4, horizon: 3h, hold: 30m}",
            "  rain:     {3h: [70, 150, 200], 24h: [100, 200, 400], hold: 30m}",
            "  silent:   {after: 30m, intervals: 3}",
        ]
        #expect(text.contains(defaults.map { "#   " + $0 }.joined(separator: "\n")))
        let withDefaults = try CatalogueLoader.parse(yaml: defaults.joined(separator: "\n") + "\n" + text, file: "t")
        #expect(withDefaults.stations.allSatisfy { $0.rules == StationRules() || $0.kind == .reservoir })

        // The commented override of Trà My, uncommented, lowers its 3-hour thresholds only.
        let comment = "    # rules:\n    #   rain: {3h: [50, 100, 150]}\n"
        #expect(text.components(separatedBy: comment).count == 2)
        let overridden = try CatalogueLoader.parse(
            yaml: text.replacingOccurrences(of: comment, with: "    rules:\n      rain: {3h: [50, 100, 150]}\n"),
            file: "t")
        let traMy = try #require(overridden["tra-my"]).rules
        #expect(traMy.rain.thresholds == [10_800: [50, 100, 150], 86_400: [100, 200, 400]])
        var expected = StationRules()
        expected.rain.thresholds[10_800] = [50, 100, 150]
        #expect(traMy == expected)
        #expect(overridden.stations.filter { $0.rules != StationRules() }.map(\.id) == ["tra-my", "song-tranh-2"])
    }

    @Test func rulesMayComeAfterTheStations() throws {
        let yaml = Fixture.station + "rules:\n  silent: {intervals: 5}\n"
        #expect(try Self.rules(yaml).silent.intervals == 5)
    }

    // MARK: off

    @Test func offDisablesARuleAndKeepsItsSettings() throws {
        let rules = try Self.rules(
            Self.station(
                rules: """
                    forecast: off
                    rain: {enabled: false}
                    silent: false
                    rise: {enabled: false, window: 2h}
                    """))
        #expect(!rules.forecast.enabled)
        #expect(!rules.rain.enabled)
        #expect(!rules.silent.enabled)
        #expect(!rules.rise.enabled)
        #expect(rules.level.enabled)
        #expect(rules.rise.windowSeconds == 7200)
        #expect(rules.forecast.horizonSeconds == 10_800)
        #expect(rules.rain.thresholds == StationRules.RainRule().thresholds)
        var expected = StationRules()
        expected.forecast.enabled = false
        expected.rain.enabled = false
        expected.silent.enabled = false
        expected.rise.enabled = false
        expected.rise.windowSeconds = 7200
        #expect(rules == expected)
    }

    @Test func aStationCanTurnOnARuleTheTopLevelTurnedOff() throws {
        let own = """
                rules:
                  forecast: on
                  rise: {enabled: true}
                  rain: {hold: 1h}
            """
        let yaml = Self.topLevel(
            rules: "forecast: off\nrise: OFF\nrain: {enabled: false}\n",
            then: Fixture.station + Self.secondStation + own + "\n")
        let catalogue = try CatalogueLoader.parse(yaml: yaml, file: "test.yaml")
        let cauLau = try #require(catalogue["cau-lau"]).rules
        #expect(!cauLau.forecast.enabled)
        #expect(!cauLau.rise.enabled)
        #expect(!cauLau.rain.enabled)
        let aiNghia = try #require(catalogue["ai-nghia"]).rules
        #expect(aiNghia.forecast.enabled)
        #expect(aiNghia.rise.enabled)
        // Key by key: a setting alone does not turn the rule back on.
        #expect(!aiNghia.rain.enabled)
        #expect(aiNghia.rain.holdSeconds == 3600)
    }

    // MARK: Sensors the station lacks

    @Test func levelRulesOnARainGaugeAreReadAndHaveNoEffect() throws {
        let yaml = Self.rainGauge(rules: "level: {deadband: 0.2}\nrise: {thresholds: [0.5]}\nforecast: {horizon: 1h}\n")
        let rules = try Self.rules(yaml, of: "tra-my")
        #expect(rules.level.deadband == 0.2)
        #expect(rules.rise.thresholds == [0.5])
        #expect(rules.forecast.horizonSeconds == 3600)

        // Still checked.
        let problem = try #require(onlyProblem(in: Self.rainGauge(rules: "rise: {thresholds: [-0.5]}")))
        #expect(problem.line == 9)
        #expect(
            problem.message == "station 'tra-my', rise rule: level 1 of 'thresholds' must be more than 0 m, found -0.5")
    }

    @Test func rainThresholdsOnAStationWithoutARainSensorAreAProblem() throws {
        let problem = try #require(
            onlyProblem(in: Self.levelGauge(rules: "silent: {after: 1h}\nrain: {3h: [50, 100]}")))
        #expect(problem.line == 10)
        #expect(problem.column == 7)
        #expect(
            problem.message
                == "station 'cam-le', rain rule: rain thresholds need a rain sensor, and the station has none")
        #expect(
            problem.fix == "add a 'rain' sensor under 'sensors', or remove the rain windows from the station's 'rules'")

        // Without thresholds the rain rule is harmless there, and so are top-level rain thresholds.
        #expect(try Self.rules(Self.levelGauge(rules: "rain: off"), of: "cam-le").rain.enabled == false)
        #expect(try Self.rules(Self.levelGauge(rules: "rain: {hold: 1h}"), of: "cam-le").rain.holdSeconds == 3600)
        let topLevel = Self.topLevel(rules: "rain: {1h: [40]}", then: Self.levelGauge(rules: "silent: {}"))
        #expect(try Self.rules(topLevel, of: "cam-le").rain.thresholds[3600] == [40])
    }

    // MARK: Problems: names and forms

    @Test func unknownRuleWithSuggestion() throws {
        let problem = try #require(onlyProblem(in: Self.station(rules: "raise: {window: 1h}")))
        #expect(problem.line == 13)
        #expect(problem.column == 7)
        #expect(problem.message == "station 'cau-lau': unknown rule 'raise'")
        #expect(
            problem.fix
                == "did you mean 'rise'? The known rules here are: level, rise, forecast, rain, silent, landslide, release, pool"
        )

        let topLevel = try #require(onlyProblem(in: Self.topLevel(rules: "silence: off")))
        #expect(topLevel.line == 2)
        #expect(topLevel.message == "unknown rule 'silence'")
        #expect(topLevel.fix.hasPrefix("did you mean 'silent'?"))
    }

    @Test func unknownKeyOfARuleWithSuggestion() throws {
        let problem = try #require(onlyProblem(in: Self.station(rules: "rise:\n  window: 1h\n  treshold: [0.5, 1.0]")))
        #expect(problem.line == 15)
        #expect(problem.column == 9)
        #expect(problem.message == "station 'cau-lau', rise rule: unknown key 'treshold'")
        #expect(problem.fix == "did you mean 'thresholds'? The known keys here are: enabled, window, thresholds, hold")

        let topLevel = try #require(onlyProblem(in: Self.topLevel(rules: "forecast: {minimum_readings: 3}")))
        #expect(topLevel.line == 2)
        #expect(topLevel.message == "forecast rule: unknown key 'minimum_readings'")
        #expect(topLevel.fix == "the known keys here are: enabled, window, min_readings, horizon, hold")
    }

    @Test func theTopLevelKnowsRules() throws {
        let problem = try #require(onlyProblem(in: "rule:\n  rise: off\n" + Fixture.station))
        #expect(problem.line == 1)
        #expect(problem.message == "unknown key 'rule'")
        #expect(problem.fix == "did you mean 'rules'? The known keys here are: risk_zone, areas, stations, rules")
    }

    @Test func aRuleIsOffOrAMapping() throws {
        let number = try #require(onlyProblem(in: Self.station(rules: "rise: 5")))
        #expect(number.line == 13)
        #expect(number.column == 13)
        #expect(number.message == "station 'cau-lau': 'rise' must be 'off' or a mapping of settings, found '5'")
        #expect(
            number.fix
                == "write 'rise: off' to turn the rule off, or its settings, e.g. 'rise: {window: 1h, thresholds: [0.3, 1.0], hold: 30m}'"
        )

        let empty = try #require(onlyProblem(in: Self.station(rules: "silent:")))
        #expect(empty.line == 13)
        #expect(empty.message == "station 'cau-lau': 'silent' has no value")

        let disabled = try #require(onlyProblem(in: Self.station(rules: "level: disabled")))
        #expect(
            disabled.message == "station 'cau-lau': 'level' must be 'off' or a mapping of settings, found 'disabled'")

        let rules = try #require(onlyProblem(in: Fixture.station + "    rules: off\n"))
        #expect(rules.line == 12)
        #expect(rules.message == "station 'cau-lau': 'rules' must be a mapping of keys to values, found 'off'")
    }

    @Test func enabledIsTrueOrFalse() throws {
        let problem = try #require(onlyProblem(in: Self.station(rules: "rain: {enabled: maybe}")))
        #expect(problem.line == 13)
        #expect(problem.column == 23)
        #expect(problem.message == "station 'cau-lau', rain rule: 'enabled' must be true or false, found 'maybe'")
    }

    // MARK: Problems: durations

    @Test func windowsMustBeLongerThanZero() throws {
        let zero = try #require(onlyProblem(in: Self.station(rules: "rise: {window: 0}")))
        #expect(zero.line == 13)
        #expect(zero.column == 22)
        #expect(zero.message == "station 'cau-lau', rise rule: 'window' must be more than 0 seconds, found '0'")
        #expect(zero.fix == "write the stretch of time the rule looks back over, e.g. 1h")

        let negative = try #require(onlyProblem(in: Self.topLevel(rules: "forecast:\n  window: -2h")))
        #expect(negative.line == 3)
        #expect(negative.message == "forecast rule: 'window' must be more than 0 seconds, found '-2h'")
    }

    @Test func holdMayBeZeroButNotNegative() throws {
        #expect(try Self.rules(Self.station(rules: "level: {hold: 0}")).level.holdSeconds == 0)

        let problem = try #require(onlyProblem(in: Self.station(rules: "level: {hold: -5m}")))
        #expect(problem.line == 13)
        #expect(problem.message == "station 'cau-lau', level rule: 'hold' must not be negative, found '-5m'")
        #expect(problem.fix.hasSuffix("e.g. 30m (0 clears at once)"))

        let words = try #require(onlyProblem(in: Self.station(rules: "rain: {hold: 30 minutes}")))
        #expect(
            words.message
                == "station 'cau-lau', rain rule: 'hold' must be a duration such as 30s, 5m or 1h, found '30 minutes'")
    }

    @Test func horizonIsAtMostADay() throws {
        #expect(try Self.rules(Self.station(rules: "forecast: {horizon: 24h}")).forecast.horizonSeconds == 86_400)

        let long = try #require(onlyProblem(in: Self.station(rules: "forecast: {horizon: 2d}")))
        #expect(long.line == 13)
        #expect(long.message == "station 'cau-lau', forecast rule: 'horizon' '2d' is longer than a day (172800 s)")
        #expect(long.fix.hasPrefix("write at most 1d (24h)"))

        let zero = try #require(onlyProblem(in: Self.station(rules: "forecast: {horizon: 0s}")))
        #expect(zero.message == "station 'cau-lau', forecast rule: 'horizon' must be more than 0 seconds, found '0s'")
    }

    @Test func silentAfterAndIntervals() throws {
        let rules = try Self.rules(Self.station(rules: "silent: {after: 0, intervals: 1}"))
        #expect(rules.silent.minimumSeconds == 0)
        #expect(rules.silent.intervals == 1)
        #expect(rules.silent.limit(interval: 300) == 300)

        let found = problems(in: Self.station(rules: "silent:\n  after: -1m\n  intervals: 0"))
        #expect(found.map(\.line) == [14, 15])
        #expect(
            found.map(\.message) == [
                "station 'cau-lau', silent rule: 'after' must not be negative, found '-1m'",
                "station 'cau-lau', silent rule: 'intervals' must be at least 1, found 0",
            ])

        let fraction = try #require(onlyProblem(in: Self.station(rules: "silent: {intervals: 2.5}")))
        #expect(fraction.message == "station 'cau-lau', silent rule: 'intervals' must be a whole number, found '2.5'")
    }

    // MARK: Problems: numbers

    @Test func deadbandIsFromZeroToUnderTwoMetres() throws {
        #expect(try Self.rules(Self.station(rules: "level: {deadband: 0}")).level.deadband == 0)
        #expect(try Self.rules(Self.station(rules: "level: {deadband: 1.99}")).level.deadband == 1.99)

        let negative = try #require(onlyProblem(in: Self.station(rules: "level: {deadband: -0.1}")))
        #expect(negative.line == 13)
        #expect(negative.column == 25)
        #expect(negative.message == "station 'cau-lau', level rule: 'deadband' must not be negative, found -0.1")
        #expect(negative.fix.hasSuffix("e.g. 0.10"))

        let large = try #require(onlyProblem(in: Self.station(rules: "level: {deadband: 2}")))
        #expect(large.message == "station 'cau-lau', level rule: 'deadband' 2 m is too large: it must be below 2 m")
    }

    @Test func spikeIsMoreThanZero() throws {
        let problem = try #require(onlyProblem(in: Self.topLevel(rules: "level:\n  spike: 0")))
        #expect(problem.line == 3)
        #expect(problem.message == "level rule: 'spike' must be more than 0 m per minute, found 0")
        #expect(problem.fix == "write the fastest change in metres per minute that is still believable, e.g. 0.05")

        let comma = try #require(onlyProblem(in: Self.topLevel(rules: "level: {spike: '0,05'}")))
        #expect(
            comma.message == "level rule: 'spike' must be a number, found the quoted text '0,05': use a decimal point")
    }

    @Test func forecastNeedsAtLeastTwoReadings() throws {
        #expect(try Self.rules(Self.station(rules: "forecast: {min_readings: 2}")).forecast.minimumReadings == 2)
        let problem = try #require(onlyProblem(in: Self.station(rules: "forecast: {min_readings: 1}")))
        #expect(problem.line == 13)
        #expect(problem.column == 32)
        #expect(problem.message == "station 'cau-lau', forecast rule: 'min_readings' must be at least 2, found 1")
        #expect(problem.fix.hasPrefix("write at least 2 (a line needs two points)"))
    }

    // MARK: Problems: thresholds

    @Test func riseThresholdsMustIncreaseStrictly() throws {
        let equal = try #require(onlyProblem(in: Self.station(rules: "rise: {thresholds: [0.3, 0.3]}")))
        #expect(equal.line == 13)
        #expect(equal.column == 32)
        #expect(
            equal.message
                == "station 'cau-lau', rise rule: level 2 of 'thresholds' (0.3 m) must be above level 1 (0.3 m)")
        #expect(equal.fix == "write the thresholds in m, lowest first, one per level, e.g. [0.3, 1.0]")

        let found = problems(in: Self.station(rules: "rise:\n  thresholds:\n    - 1.0\n    - 0.5\n    - 0.2"))
        #expect(found.map(\.line) == [16, 17])
        #expect(found.first?.message.hasSuffix("level 2 of 'thresholds' (0.5 m) must be above level 1 (1 m)") == true)
        #expect(found.last?.message.hasSuffix("level 3 of 'thresholds' (0.2 m) must be above level 2 (0.5 m)") == true)
    }

    @Test func thresholdsMustBeMoreThanZero() throws {
        let negative = try #require(onlyProblem(in: Self.station(rules: "rise: {thresholds: [-0.3, 1.0]}")))
        #expect(negative.line == 13)
        #expect(negative.column == 27)
        #expect(
            negative.message
                == "station 'cau-lau', rise rule: level 1 of 'thresholds' must be more than 0 m, found -0.3")

        let zero = try #require(onlyProblem(in: Self.station(rules: "rain: {3h: [0, 150, 200]}")))
        #expect(zero.message == "station 'cau-lau', rain rule: level 1 of '3h' must be more than 0 mm, found 0")
        #expect(zero.fix == "write the thresholds in mm, lowest first, one per level, e.g. [70, 150, 200]")

        let text = try #require(onlyProblem(in: Self.station(rules: "rain: {24h: [100, high]}")))
        #expect(text.message == "station 'cau-lau', rain rule: level 2 of '24h' must be a number, found 'high'")
    }

    @Test func decimalCommasInThresholdsAreHinted() throws {
        let found = problems(in: Self.station(rules: "rise: {thresholds: [0,3, 1,0]}"))
        #expect(found.count == 3)
        #expect(
            found.map(\.message) == [
                "station 'cau-lau', rise rule: level 1 of 'thresholds' must be more than 0 m, found 0",
                "station 'cau-lau', rise rule: level 3 of 'thresholds' (1 m) must be above level 2 (3 m)",
                "station 'cau-lau', rise rule: level 4 of 'thresholds' must be more than 0 m, found 0",
            ])
        #expect(found.allSatisfy { $0.fix.hasSuffix("so write decimals with a point (0.3, not 0,3)") })

        // Whole millimetres written without spaces are fine.
        #expect(
            try Self.rules(Self.station(rules: "rain: {3h: [60,120,180]}")).rain.thresholds[10_800] == [60, 120, 180])
    }

    @Test func riseThresholdsMustNotBeEmpty() throws {
        let problem = try #require(onlyProblem(in: Self.station(rules: "rise: {thresholds: []}")))
        #expect(problem.line == 13)
        #expect(problem.message == "station 'cau-lau', rise rule: 'thresholds' is empty")
        #expect(problem.fix.hasSuffix("or write 'rise: off'"))
    }

    @Test func rainThresholdsMustIncreaseStrictly() throws {
        let problem = try #require(onlyProblem(in: Self.topLevel(rules: "rain:\n  24h: [100, 400, 200]")))
        #expect(problem.line == 3)
        #expect(problem.column == 21)
        #expect(problem.message == "rain rule: level 3 of '24h' (200 mm) must be above level 2 (400 mm)")
    }

    @Test func rainWindowsAreTheFiveKnownOnes() throws {
        let found = problems(in: Self.station(rules: "rain:\n  2h: [50]\n  1d: [100]\n  3600: [40]\n  hld: 1h"))
        #expect(found.map(\.line) == [14, 15, 16, 17])
        #expect(found.map(\.column) == [9, 9, 9, 9])
        #expect(
            found.map(\.message) == [
                "station 'cau-lau', rain rule: '2h' is not a rain window",
                "station 'cau-lau', rain rule: '1d' is not a rain window",
                "station 'cau-lau', rain rule: '3600' is not a rain window",
                "station 'cau-lau', rain rule: unknown key 'hld'",
            ])
        #expect(
            found.map(\.fix) == [
                "the rain windows are 1h, 3h, 6h, 24h, 72h",
                "write '24h'; the rain windows are 1h, 3h, 6h, 24h, 72h",
                "write '1h'; the rain windows are 1h, 3h, 6h, 24h, 72h",
                "did you mean 'hold'? The known keys here are: 1h, 3h, 6h, 24h, 72h, enabled, hold",
            ])
    }

    @Test func rainWindowsMapToTheEnginesSeconds() throws {
        #expect(CatalogueLoader.rainWindows.map(\.seconds) == StationRules.RainRule.windows)
        let rules = try Self.rules(
            Self.station(rules: "rain: {1h: [1], 3h: [3], 6h: [6], 24h: [24], 72h: [72]}"))
        #expect(rules.rain.thresholds == [3600: [1], 10_800: [3], 21_600: [6], 86_400: [24], 259_200: [72]])
    }

    @Test func everyRuleProblemIsReportedInFileOrder() {
        let yaml = Self.topLevel(
            rules: "rise: {window: 0}\nbogus: 1\n",
            then: Self.station(rules: "forecast: {horizon: 3d, min_readings: 0}\nrain: {5h: [1]}"))
        let found = problems(in: yaml)
        #expect(found.map(\.line) == [2, 3, 16, 16, 17])
        #expect(
            found.map(\.message) == [
                "rise rule: 'window' must be more than 0 seconds, found '0'",
                "unknown rule 'bogus'",
                "station 'cau-lau', forecast rule: 'horizon' '3d' is longer than a day (259200 s)",
                "station 'cau-lau', forecast rule: 'min_readings' must be at least 2, found 0",
                "station 'cau-lau', rain rule: '5h' is not a rain window",
            ])
    }
}
