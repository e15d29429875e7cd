import Catalogue
import Gauges
import Testing

/// Each rule of the catalogue: a small file breaking it, and the line and words of the problem.
@Suite("Catalogue validation")
struct ValidationTests {
    @Test func theTemplateStationLoads() throws {
        let catalogue = try CatalogueLoader.parse(yaml: Fixture.station, file: "test.yaml")
        let station = try #require(catalogue["cau-lau"])
        #expect(station.name == "Câu Lâu")
        #expect(station.river == "Thu Bồn")
        #expect(station.basin == nil)
        #expect(station.latitude == 15.852)
        #expect(station.longitude == 108.268)
        #expect(
            station.sensors == [
                Sensor(kind: .level, interval: 300, range: -1.0...9.0),
                Sensor(kind: .rain, interval: 300, range: 0...150),
            ])
        #expect(station.alarmLevels == AlarmLevels(levelI: 2, levelII: 3, levelIII: 4))
        #expect(station.record == FloodRecord(level: 5.61, year: 2025))
    }

    // MARK: Top level

    @Test func topLevelMustBeAMapping() throws {
        let problem = try #require(onlyProblem(in: "- id: cau-lau\n"))
        #expect(problem.line == 1)
        #expect(problem.message == "the file must be a mapping of keys to values, found a list")
    }

    @Test func stationsIsRequired() {
        let found = problems(in: "station:\n  - id: cau-lau\n")
        #expect(found.count == 2)
        #expect(found.allSatisfy { $0.line == 1 })
        #expect(found.map(\.message).contains("unknown key 'station'"))
        #expect(found.map(\.message).contains("missing 'stations'"))
        #expect(
            found.first { $0.message == "unknown key 'station'" }?.fix.hasPrefix("did you mean 'stations'?") == true)
    }

    @Test func stationsMustNotBeEmpty() throws {
        let problem = try #require(onlyProblem(in: "# nothing yet\nstations: []\n"))
        #expect(problem.line == 2)
        #expect(problem.message == "'stations' is empty")
    }

    @Test func stationsMustBeAList() throws {
        let problem = try #require(onlyProblem(in: "stations:\n  cau-lau: {}\n"))
        #expect(problem.line == 2)
        #expect(problem.message == "'stations' must be a list, found a mapping")
    }

    @Test func emptyFile() throws {
        let problem = try #require(onlyProblem(in: "# only a comment\n"))
        #expect(problem.message == "the station catalogue is empty")
    }

    // MARK: Keys

    @Test func unknownKeyWithSuggestion() throws {
        let yaml = Fixture.station(replacing: "alarm_levels:", with: "alarm_level:")
        let problem = try #require(onlyProblem(in: yaml))
        #expect(problem.line == 10)
        #expect(problem.column == 5)
        #expect(problem.message == "station 'cau-lau': unknown key 'alarm_level'")
        #expect(
            problem.fix
                == "did you mean 'alarm_levels'? The known keys here are: id, name, kind, river, basin, lat, lon, approximate, area, flood_zone, reservoir, downstream, sensors, alarm_levels, record, rules"
        )
    }

    @Test func unknownKeyWithoutSuggestionListsTheKnownKeys() throws {
        let yaml = Fixture.station(replacing: "    lon: 108.268\n", with: "    lon: 108.268\n    elevation: 3\n")
        let problem = try #require(onlyProblem(in: yaml))
        #expect(problem.line == 7)
        #expect(problem.message == "station 'cau-lau': unknown key 'elevation'")
        #expect(problem.fix.hasPrefix("the known keys here are: id, name"))
    }

    @Test func unknownKeyInsideASensor() throws {
        let yaml = Fixture.station(replacing: "level: {interval: 5m,", with: "level: {intervall: 5m, interval: 5m,")
        let problem = try #require(onlyProblem(in: yaml))
        #expect(problem.line == 8)
        #expect(problem.message == "station 'cau-lau', level sensor: unknown key 'intervall'")
        #expect(problem.fix == "did you mean 'interval'? The known keys here are: interval, range, unit")
    }

    @Test func duplicateKeyInABlockMapping() throws {
        let yaml = Fixture.station(replacing: "    lon: 108.268\n", with: "    lon: 108.268\n    lat: 16.0\n")
        let problem = try #require(onlyProblem(in: yaml))
        #expect(problem.line == 7)
        #expect(problem.column == 5)
        #expect(problem.message == "duplicate key 'lat': it is already at line 5")
    }

    @Test func duplicateKeyInAFlowMapping() throws {
        let yaml = Fixture.station(replacing: "{I: 2.00, II: 3.00, III: 4.00}", with: "{I: 2.00, II: 3.00, II: 4.00}")
        let problem = try #require(onlyProblem(in: yaml))
        #expect(problem.line == 10)
        #expect(problem.column == 39)
        #expect(problem.message == "duplicate key 'II': it is already at line 10")
    }

    @Test func duplicateKeysDoNotHideOtherProblems() {
        let yaml = Fixture.station(replacing: "    lon: 108.268\n", with: "    lon: 108.268\n    lon: 1\n    name: X\n")
            .replacingOccurrences(of: "II: 3.00", with: "II: 1.00")
        let found = problems(in: yaml)
        #expect(found.map(\.line) == [7, 8, 12])
        #expect(found[0].message == "duplicate key 'lon': it is already at line 6")
        #expect(found[1].message == "duplicate key 'name': it is already at line 3")
        #expect(found[2].message.contains("alarm level II (1.00 m) must be above level I (2.00 m)"))
    }

    // MARK: Station id

    @Test func idIsRequired() throws {
        let yaml = Fixture.station(replacing: "  - id: cau-lau\n    name", with: "  - name")
        let problem = try #require(onlyProblem(in: yaml))
        #expect(problem.line == 2)
        #expect(problem.message == "station 1: missing 'id'")
    }

    @Test(arguments: [
        ("Cau_Lau", "cau-lau"), ("Câu Lâu", "cau-lau"), ("-cau-lau", "cau-lau"), ("cầu đỏ", "cau-do"),
    ])
    func idMustBeSafeForTopicsAndSQL(id: String, suggestion: String) throws {
        let yaml = Fixture.station(replacing: "id: cau-lau", with: "id: \"\(id)\"")
        let problem = try #require(onlyProblem(in: yaml))
        #expect(problem.line == 2)
        #expect(problem.column == 9)
        #expect(problem.message == "station 1: id '\(id)' is not a valid station id")
        #expect(problem.fix.contains("e.g. '\(suggestion)'"))
        #expect(problem.fix.contains("MQTT"))
    }

    @Test func idLongerThan63IsRejected() throws {
        let long = String(repeating: "a", count: 64)
        let problem = try #require(onlyProblem(in: Fixture.station(replacing: "id: cau-lau", with: "id: \(long)")))
        #expect(problem.message.hasSuffix("is not a valid station id"))
        #expect(problems(in: Fixture.station(replacing: "id: cau-lau", with: "id: \(long.dropLast())")).isEmpty)
    }

    @Test func idMustBeUnique() throws {
        let second = Fixture.station.replacingOccurrences(of: "stations:\n", with: "")
        let problem = try #require(onlyProblem(in: Fixture.station + second))
        #expect(problem.line == 12)
        #expect(problem.column == 9)
        #expect(problem.message == "station id 'cau-lau' is used twice; the first station with it is at line 2")
    }

    // MARK: Name, river, basin, coordinates

    @Test func nameAndRiverAreRequiredText() {
        let missingName = Fixture.station(replacing: "    name: Câu Lâu\n", with: "")
        #expect(problems(in: missingName).map(\.message) == ["station 'cau-lau': missing 'name'"])
        #expect(problems(in: missingName).first?.line == 2)

        let emptyRiver = Fixture.station(replacing: "river: Thu Bồn", with: "river: \"\"")
        #expect(problems(in: emptyRiver).map(\.message) == ["station 'cau-lau': 'river' must not be empty"])
        #expect(problems(in: emptyRiver).first?.line == 4)

        let nullName = Fixture.station(replacing: "name: Câu Lâu", with: "name:")
        let problem = problems(in: nullName).first
        #expect(problem?.message == "station 'cau-lau': 'name' has no value")
        #expect(problem?.line == 3)
        #expect(problem?.column == 5)
    }

    @Test func basinIsOptionalButNotEmpty() throws {
        let withBasin = Fixture.station(replacing: "    lat:", with: "    basin: Vu Gia – Thu Bồn\n    lat:")
        #expect(try CatalogueLoader.parse(yaml: withBasin, file: "t")["cau-lau"]?.basin == "Vu Gia – Thu Bồn")
        let problem = try #require(
            onlyProblem(in: Fixture.station(replacing: "    lat:", with: "    basin: []\n    lat:")))
        #expect(problem.line == 5)
        #expect(problem.message == "station 'cau-lau': 'basin' must be text, found a list")
    }

    @Test func coordinatesAreRequiredAndInRange() throws {
        let missing = try #require(onlyProblem(in: Fixture.station(replacing: "    lon: 108.268\n", with: "")))
        #expect(missing.line == 2)
        #expect(missing.message == "station 'cau-lau': missing 'lon'")

        let latitude = try #require(onlyProblem(in: Fixture.station(replacing: "lat: 15.852", with: "lat: 95")))
        #expect(latitude.line == 5)
        #expect(latitude.message == "station 'cau-lau': 'lat' 95 is outside -90…90")

        let longitude = try #require(onlyProblem(in: Fixture.station(replacing: "lon: 108.268", with: "lon: -180.5")))
        #expect(longitude.line == 6)
        #expect(longitude.message == "station 'cau-lau': 'lon' -180.5 is outside -180…180")
    }

    // MARK: Numbers

    @Test func decimalCommaIsExplained() throws {
        let problem = try #require(onlyProblem(in: Fixture.station(replacing: "lat: 15.852", with: "lat: 15,852")))
        #expect(problem.line == 5)
        #expect(problem.column == 10)
        #expect(problem.message == "station 'cau-lau': 'lat' must be a number, found '15,852': use a decimal point")
        #expect(problem.fix == "write 15.852")
    }

    @Test func decimalCommaInAQuotedAlarmLevel() throws {
        let problem = try #require(onlyProblem(in: Fixture.station(replacing: "II: 3.00", with: "II: \"3,5\"")))
        #expect(problem.line == 10)
        #expect(
            problem.message
                == "station 'cau-lau': alarm level II must be a number, found the quoted text '3,5': use a decimal point"
        )
        #expect(problem.fix == "write 3.5")
    }

    @Test func decimalCommaInsideBracesIsNotTwoEntries() throws {
        // YAML reads `{…, III: 4,5}` as III: 4 and a key '5'; the loader puts it back together.
        let level = try #require(onlyProblem(in: Fixture.station(replacing: "III: 4.00}", with: "III: 4,5}")))
        #expect(level.line == 10)
        #expect(level.column == 44)
        #expect(
            level.message == "station 'cau-lau': alarm level III must be a number, found '4,5': use a decimal point")
        #expect(level.fix == "write 4.5")

        let record = try #require(onlyProblem(in: Fixture.station(replacing: "level: 5.61,", with: "level: 5,61,")))
        #expect(record.line == 11)
        #expect(
            record.message == "station 'cau-lau', record: 'level' must be a number, found '5,61': use a decimal point")
    }

    @Test func decimalCommaInsideBracketsIsHinted() throws {
        let problem = try #require(onlyProblem(in: Fixture.station(replacing: "[-1.0, 9.0]", with: "[-1,5, 9]")))
        #expect(problem.message == "station 'cau-lau', level sensor: 'range' must be [min, max], found 3 values")
        #expect(problem.fix.contains("1.5, not 1,5"))
    }

    @Test func quotedNumbersAndWordsAreNotNumbers() throws {
        let quoted = try #require(onlyProblem(in: Fixture.station(replacing: "lat: 15.852", with: "lat: '15.852'")))
        #expect(quoted.message == "station 'cau-lau': 'lat' must be a number, found the quoted text '15.852'")
        #expect(quoted.fix == "remove the quotes: 15.852")

        let word = try #require(onlyProblem(in: Fixture.station(replacing: "lat: 15.852", with: "lat: north")))
        #expect(word.message == "station 'cau-lau': 'lat' must be a number, found 'north'")

        let nan = try #require(onlyProblem(in: Fixture.station(replacing: "lat: 15.852", with: "lat: .nan")))
        #expect(nan.message == "station 'cau-lau': 'lat' must be a finite number, found '.nan'")
    }

    @Test func integersAndFloatsAreBothNumbers() throws {
        let yaml = Fixture.station(replacing: "lat: 15.852", with: "lat: 15").replacingOccurrences(
            of: "I: 2.00", with: "I: 2")
        let station = try #require(try CatalogueLoader.parse(yaml: yaml, file: "t")["cau-lau"])
        #expect(station.latitude == 15)
        #expect(station.alarmLevels.levelI == 2)
    }

    // MARK: Sensors

    @Test func sensorsAreRequiredAndNotEmpty() throws {
        let none = Fixture.station(
            replacing:
                "    sensors:\n      level: {interval: 5m, range: [-1.0, 9.0]}\n      rain: {interval: 5m, range: [0, 150]}\n",
            with: ""
        )
        let found = problems(in: none)
        #expect(found.first?.message == "station 'cau-lau': missing 'sensors'")
        #expect(found.first?.line == 2)
        // Without a level sensor the alarm levels and the record have nothing to refer to.
        #expect(found.map(\.line) == [2, 7, 8])

        let empty = """
            stations:
              - id: tra-my
                name: Trà My
                river: Tranh
                lat: 15.35
                lon: 108.23
                sensors: {}

            """
        let problem = try #require(onlyProblem(in: empty))
        #expect(problem.line == 7)
        #expect(problem.message == "station 'tra-my': 'sensors' is empty")
    }

    @Test func unknownSensorKindListsTheKnownKinds() throws {
        let yaml = Fixture.station(replacing: "      rain:", with: "      rainfall:")
        let problem = try #require(onlyProblem(in: yaml))
        #expect(problem.line == 9)
        #expect(problem.column == 7)
        #expect(problem.message == "station 'cau-lau': unknown sensor kind 'rainfall'")
        #expect(problem.fix == "did you mean 'rain'? The known sensor kinds here are: level, rain, inflow, outflow")

        let water = try #require(onlyProblem(in: Fixture.station(replacing: "      rain:", with: "      humidity:")))
        #expect(water.fix == "the known sensor kinds here are: level, rain, inflow, outflow")
    }

    @Test(arguments: [
        ("30s", 30), ("5m", 300), ("1h", 3600), ("300", 300), ("1d", 86_400), ("24h", 86_400),
    ])
    func intervalFormats(written: String, seconds: Int) throws {
        let yaml = Fixture.station(replacing: "rain: {interval: 5m", with: "rain: {interval: \(written)")
        let station = try #require(try CatalogueLoader.parse(yaml: yaml, file: "t")["cau-lau"])
        #expect(station.sensor(.rain)?.interval == seconds)
    }

    @Test(arguments: [
        ("5 min", "station 'cau-lau', rain sensor: 'interval' must be a duration such as 30s, 5m or 1h, found '5 min'"),
        ("0", "station 'cau-lau', rain sensor: 'interval' must be more than 0 seconds, found '0'"),
        ("-5m", "station 'cau-lau', rain sensor: 'interval' must be more than 0 seconds, found '-5m'"),
        ("25h", "station 'cau-lau', rain sensor: 'interval' '25h' is longer than a day (90000 s)"),
        ("2.5m", "station 'cau-lau', rain sensor: 'interval' must be a duration such as 30s, 5m or 1h, found '2.5m'"),
    ])
    func badIntervals(written: String, message: String) throws {
        let yaml = Fixture.station(replacing: "rain: {interval: 5m", with: "rain: {interval: \(written)")
        let problem = try #require(onlyProblem(in: yaml))
        #expect(problem.line == 9)
        #expect(problem.column == 24)
        #expect(problem.message == message)
    }

    @Test func intervalAndRangeAreRequired() {
        let yaml = Fixture.station(replacing: "rain: {interval: 5m, range: [0, 150]}", with: "rain: {unit: mm}")
        let found = problems(in: yaml)
        #expect(
            found.map(\.message) == [
                "station 'cau-lau', rain sensor: missing 'interval'",
                "station 'cau-lau', rain sensor: missing 'range'",
            ])
        #expect(found.allSatisfy { $0.line == 9 && $0.column == 7 })
    }

    @Test(arguments: [
        ("[9.0, -1.0]", "station 'cau-lau', level sensor: 'range' minimum 9 must be below its maximum -1", 36),
        ("[1.0]", "station 'cau-lau', level sensor: 'range' must be [min, max], found 1 value", 36),
        ("[0, 5, 9]", "station 'cau-lau', level sensor: 'range' must be [min, max], found 3 values", 36),
        ("[low, 9.0]", "station 'cau-lau', level sensor: the 'range' minimum must be a number, found 'low'", 37),
        ("9.0", "station 'cau-lau', level sensor: 'range' must be a list, found '9.0'", 36),
    ])
    func badLevelRanges(written: String, message: String, column: Int) throws {
        let yaml = Fixture.station(replacing: "range: [-1.0, 9.0]", with: "range: \(written)")
        let found = problems(in: yaml)
        // A level sensor without a valid range: the alarm levels and record are not checked against it.
        let problem = try #require(found.first)
        #expect(found.count == 1, "\(YAMLProblem.report(found))")
        #expect(problem.line == 8)
        #expect(problem.column == column)
        #expect(problem.message == message)
    }

    @Test func rainRangeStartsAtZero() throws {
        let problem = try #require(
            onlyProblem(in: Fixture.station(replacing: "range: [0, 150]", with: "range: [-5, 150]")))
        #expect(problem.line == 9)
        #expect(problem.column == 36)
        #expect(problem.message == "station 'cau-lau', rain sensor: rain 'range' cannot go below 0 mm, found -5")
    }

    @Test func unitMustBeTheKindsUnit() throws {
        let right = Fixture.station(replacing: "level: {interval: 5m,", with: "level: {unit: m, interval: 5m,")
            .replacingOccurrences(of: "rain: {interval: 5m,", with: "rain: {unit: mm, interval: 5m,")
        #expect(problems(in: right).isEmpty)

        let wrong = Fixture.station(replacing: "level: {interval: 5m,", with: "level: {unit: cm, interval: 5m,")
        let problem = try #require(onlyProblem(in: wrong))
        #expect(problem.line == 8)
        #expect(problem.column == 21)
        #expect(
            problem.message
                == "station 'cau-lau', level sensor: 'unit' 'cm' is wrong for a level sensor: FloodWatch stores level in m"
        )
        #expect(problem.fix.contains("unit: m"))
    }

    // MARK: Alarm levels

    @Test func alarmLevelsMustIncrease() throws {
        let yaml = Fixture.station(replacing: "{I: 2.00, II: 3.00, III: 4.00}", with: "{I: 3.60, II: 3.50, III: 4.00}")
        let problem = try #require(onlyProblem(in: yaml))
        #expect(problem.line == 10)
        #expect(problem.column == 33)
        #expect(problem.message == "station 'cau-lau': alarm level II (3.50 m) must be above level I (3.60 m)")
        #expect(problem.fix == "correct the levels from the official decision, lowest first")
        #expect(
            problem.description
                == "test.yaml:10:33: station 'cau-lau': alarm level II (3.50 m) must be above level I (3.60 m)\n"
                + "  fix: correct the levels from the official decision, lowest first"
        )
    }

    @Test func equalLevelsAndGapsAreCompared() throws {
        let yaml = Fixture.station(replacing: "{I: 2.00, II: 3.00, III: 4.00}", with: "{I: 2.00, III: 2.00}")
        let problem = try #require(onlyProblem(in: yaml))
        #expect(problem.message == "station 'cau-lau': alarm level III (2.00 m) must be above level I (2.00 m)")
    }

    @Test func unknownLevelsAreLeftOut() throws {
        let yaml = Fixture.station(replacing: "{I: 2.00, II: 3.00, III: 4.00}", with: "{III: 4.00}")
        let station = try #require(try CatalogueLoader.parse(yaml: yaml, file: "t")["cau-lau"])
        #expect(station.alarmLevels == AlarmLevels(levelIII: 4.00))
    }

    @Test func alarmLevelMustBeInsideTheLevelRange() throws {
        let yaml = Fixture.station(replacing: "III: 4.00", with: "III: 10.00")
            .replacingOccurrences(of: "record: {level: 5.61", with: "record: {level: 9.50")
        let found = problems(in: yaml)
        #expect(found.map(\.line) == [10, 11])
        #expect(
            found[0].message
                == "station 'cau-lau': alarm level III (10.00 m) is outside the level sensor's range -1.00…9.00 m")
        #expect(
            found[1].message
                == "station 'cau-lau', record: level 9.50 m is outside the level sensor's range -1.00…9.00 m")
        #expect(found[0].fix.contains("widen the level sensor's 'range'"))
    }

    @Test func alarmLevelKeysAreRomanNumerals() throws {
        let yaml = Fixture.station(replacing: "{I: 2.00, II: 3.00, III: 4.00}", with: "{I: 2.00, ii: 3.00, III: 4.00}")
        let problem = try #require(onlyProblem(in: yaml))
        #expect(problem.message == "station 'cau-lau': unknown key 'ii'")
        #expect(problem.fix == "did you mean 'II'? The known keys here are: I, II, III")
    }

    @Test func alarmLevelsNeedALevelSensor() throws {
        let yaml = Fixture.station(replacing: "      level: {interval: 5m, range: [-1.0, 9.0]}\n", with: "")
        let found = problems(in: yaml)
        #expect(found.map(\.line) == [9, 10])
        #expect(found[0].message == "station 'cau-lau': 'alarm_levels' needs a level sensor, and the station has none")
        #expect(
            found[1].message == "station 'cau-lau', record: 'record' needs a level sensor, and the station has none")
    }

    @Test func emptyAlarmLevels() throws {
        let problem = try #require(
            onlyProblem(in: Fixture.station(replacing: "{I: 2.00, II: 3.00, III: 4.00}", with: "{}")))
        #expect(problem.line == 10)
        #expect(problem.message == "station 'cau-lau': 'alarm_levels' is empty")
    }

    // MARK: Record

    @Test func recordNeedsLevelAndAPlausibleYear() throws {
        let early = try #require(onlyProblem(in: Fixture.station(replacing: "year: 2025", with: "year: 1700")))
        #expect(early.line == 11)
        #expect(early.column == 33)
        #expect(early.message == "station 'cau-lau', record: year 1700 is outside 1800…2100")

        let fractional = try #require(onlyProblem(in: Fixture.station(replacing: "year: 2025", with: "year: 2025.5")))
        #expect(fractional.message == "station 'cau-lau', record: 'year' must be a whole number, found '2025.5'")

        let missing = try #require(onlyProblem(in: Fixture.station(replacing: ", year: 2025", with: "")))
        #expect(missing.line == 11)
        #expect(missing.message == "station 'cau-lau', record: missing 'year'")
    }

    // MARK: Several problems

    @Test func everyProblemOfTheFileIsReportedInFileOrder() {
        let yaml = """
            stations:
              - id: hoi-an
                name: Hội An
                river: Thu Bồn
                lat: 15,88
                lon: 108.33
                sensors:
                  level: {interval: 5m, range: [-2.0, 6.0]}
                  rain: {interval: 5m, range: [0, 150]}
                alarm_levels: {I: 1.00, II: 1.50, III: 2.00}
              - id: Tam_Ky
                name: Tam Kỳ
                river: Tam Kỳ
                lat: 15.57
                lon: 108.48
                sensors:
                  level: {interval: 5m, range: [-2.0, 7.0]}
                  rain: {interval: 5m, range: [0, 150]}
                alarm_level: {I: 1.70, II: 2.20, III: 2.70}
              - id: hoi-an
                name: Hội An
                river: Thu Bồn
                lat: 15.88
                lon: 108.33
                sensors:
                  level: {interval: 5 minutes, range: [-2.0, 6.0]}

            """
        let found = problems(in: yaml)
        #expect(found.map(\.line) == [5, 11, 19, 20, 26])
        #expect(
            found.map(\.message) == [
                "station 'hoi-an': 'lat' must be a number, found '15,88': use a decimal point",
                "station 2: id 'Tam_Ky' is not a valid station id",
                "station 2: unknown key 'alarm_level'",
                "station id 'hoi-an' is used twice; the first station with it is at line 2",
                // The duplicate is still named by its id.
                "station 'hoi-an', level sensor: 'interval' must be a duration such as 30s, 5m or 1h, found '5 minutes'",
            ])
        do throws(CatalogueError) {
            _ = try CatalogueLoader.parse(yaml: yaml, file: "sensors/stations.yaml")
            Issue.record("expected an error")
        } catch {
            let description = error.description
            #expect(description.hasPrefix("sensors/stations.yaml:5:10: station 'hoi-an': 'lat' must be a number"))
            #expect(description.split(separator: "\n").count == 10)
            #expect(description.contains("\n  fix: write 15.88\n"))
        }
    }

    // MARK: YAML syntax

    @Test func syntaxErrorReportsItsLine() throws {
        let yaml = Fixture.station(replacing: "    river: Thu Bồn\n", with: "    river: Thu Bồn\n   lat_bad: [1, 2\n")
        let problem = try #require(onlyProblem(in: yaml))
        #expect(problem.line == 5)
        #expect(problem.message.hasPrefix("YAML syntax error: "))
    }

    @Test func badIndentationReportsItsLine() throws {
        let yaml = Fixture.station(replacing: "    lon: 108.268", with: "     lon: 108.268")
        let problem = try #require(onlyProblem(in: yaml))
        #expect(problem.line == 6)
        #expect(problem.message.hasPrefix("YAML syntax error: "))
    }

    @Test func tabIndentationIsExplained() throws {
        let yaml = Fixture.station(replacing: "    lon: 108.268", with: "\tlon: 108.268")
        let problem = try #require(onlyProblem(in: yaml))
        #expect(problem.line == 6)
        #expect(problem.fix.contains("tabs"))
    }

    @Test func secondDocumentIsReported() throws {
        let problem = try #require(onlyProblem(in: Fixture.station + "---\nstations: []\n"))
        #expect(problem.line == 12)
        #expect(problem.message == "the file holds more than one YAML document; a second one starts here")
    }

    // MARK: Files

    @Test func missingFileIsOneProblemWithTheFix() throws {
        let path = "/nonexistent/floodwatch/stations.yaml"
        do throws(CatalogueError) {
            _ = try CatalogueLoader.load(path: path)
            Issue.record("expected an error")
        } catch {
            #expect(error.problems.count == 1)
            let problem = try #require(error.problems.first)
            #expect(problem.file == path)
            #expect(problem.line == nil)
            #expect(problem.message == "the station catalogue is not there: no file '\(path)'")
            #expect(problem.fix.contains("--stations PATH"))
            #expect(error.description.hasPrefix("\(path): the station catalogue is not there"))
        }
    }

    @Test func relativeMissingPathNamesTheWorkingDirectory() {
        do throws(CatalogueError) {
            _ = try CatalogueLoader.load(path: "no-such-dir/stations.yaml")
            Issue.record("expected an error")
        } catch {
            #expect(error.problems.first?.message.contains("relative to the working directory") == true)
        }
    }

    @Test func directoryIsNotAFile() {
        do throws(CatalogueError) {
            _ = try CatalogueLoader.load(path: Fixture.packageRoot.path)
            Issue.record("expected an error")
        } catch {
            #expect(error.problems.first?.message.hasSuffix("is a directory, not a file") == true)
            #expect(error.problems.first?.fix.contains("--stations PATH") == true)
        }
    }
}
