import Gauges
import Testing

/// Form c: SenML packs (RFC 8428) on `gauges/<station>`.
@Suite("Payload decoder: SenML")
struct SenMLTests {
    private func senML(_ payload: String, station: String = "cau-lau", limits: IntakeLimits = IntakeLimits())
        -> DecodedMessage
    {
        decode("gauges/\(station)", payload, limits: limits)
    }

    @Test func theContractExample() throws {
        let level = #"{"bn":"cau-lau/","bt":1665439200,"n":"level","u":"m","v":4.02}"#
        let rain = #"{"n":"rain","u":"mm","v":12.5}"#
        let payload = "[" + level + "," + rain + "]"
        let message = senML(payload)
        #expect(message.rejections.isEmpty)
        #expect(
            message.readings.map(\.reading) == [
                Reading(station: "cau-lau", sensor: .level, timestamp: 1_665_439_200_000, value: 4.02),
                Reading(station: "cau-lau", sensor: .rain, timestamp: 1_665_439_200_000, value: 12.5),
            ])
        #expect(message.readings.map { slice(payload, $0.payloadRange) } == [level, rain])
    }

    @Test func baseTimeAndUnitCarryForward() throws {
        let payload = #"""
            [{"bn":"cau-lau/","bt":1665439200,"bu":"m","n":"level","v":4.02},
             {"n":"level","t":3600,"v":4.1},
             {"n":"level","t":7200.5,"v":4.2},
             {"bt":1665450000.25,"n":"level","t":-0.25,"v":4.3}]
            """#
        let message = senML(payload)
        #expect(message.rejections.isEmpty)
        #expect(
            message.readings.map(\.reading.timestamp) == [
                1_665_439_200_000, 1_665_442_800_000, 1_665_446_400_500, 1_665_450_000_000,
            ])
        #expect(message.readings.map(\.reading.value) == [4.02, 4.1, 4.2, 4.3])
        #expect(message.readings.allSatisfy { $0.reading.station == "cau-lau" && $0.reading.sensor == .level })
    }

    @Test func baseValueIsAdded() throws {
        let message = senML(
            #"[{"bn":"cau-lau/","bt":1665439200,"bv":4,"n":"level","v":0.25},{"n":"level","t":60,"v":-0.5}]"#)
        #expect(message.rejections.isEmpty)
        #expect(message.readings.map(\.reading.value) == [4.25, 3.5])
    }

    @Test func fractionalBaseTime() throws {
        let reading = try onlyReading(senML(#"[{"bt":1665439200.25,"n":"level","v":4}]"#))
        #expect(reading.timestamp == 1_665_439_200_250)
    }

    @Test func namesWithoutABaseName() throws {
        let message = senML(#"[{"n":"rain","t":1665439200,"v":1.5},{"n":"cau-lau/level","t":1665439200,"v":4}]"#)
        #expect(message.rejections.isEmpty)
        #expect(message.readings.map(\.reading.sensor) == [.rain, .level])
    }

    @Test func baseNameCanBeChanged() throws {
        let message = senML(
            #"[{"bn":"cau-lau/","bt":1665439200,"n":"level","v":4},{"bn":"","n":"rain","v":1},{"bn":"cau-lau/rain","v":2}]"#
        )
        #expect(message.rejections.isEmpty)
        #expect(message.readings.map(\.reading.sensor) == [.level, .rain, .rain])
        #expect(message.readings.map(\.reading.value) == [4, 1, 2])
    }

    @Test func unknownFieldsAreIgnored() throws {
        let reading = try onlyReading(senML(#"[{"bver":10,"n":"level","t":1665439200,"v":4,"ut":3600,"s":12,"bs":1}]"#))
        #expect(reading.value == 4)
    }

    @Test func baseFieldsCarryForwardFromARejectedRecord() throws {
        let payload = #"[{"bn":"cau-lau/","bt":1665439200,"n":"level","v":42},{"n":"rain","v":3}]"#
        let message = senML(payload)
        #expect(
            message.readings.map(\.reading) == [
                Reading(station: "cau-lau", sensor: .rain, timestamp: 1_665_439_200_000, value: 3)
            ])
        #expect(message.rejections.map(\.reason) == [.outOfRange(value: 42, sensor: Fixtures.level)])
        #expect(message.rejections.first?.element == ElementPosition(index: 0, count: 2))
        #expect(message.rejections.first?.sensor == "level")
        #expect(
            message.rejections.first.map { slice(payload, $0.payloadRange) }
                == #"{"bn":"cau-lau/","bt":1665439200,"n":"level","v":42}"#)
    }

    // MARK: Whole pack

    @Test func notAnArray() throws {
        let rejection = try onlyRejection(senML(#"{"ts":"2022-10-11T05:00:00+07:00","value":4.02}"#))
        #expect(rejection.reason.code == "wrong_shape")
        #expect(
            rejection.message
                == "gauges/cau-lau takes a SenML pack (a JSON array of records, RFC 8428), got an object; "
                + "a single reading goes to gauges/cau-lau/<sensor>")
        #expect(rejection.station == "cau-lau")
        #expect(rejection.sensor == nil)
        #expect(rejection.element == nil)
    }

    @Test func emptyPack() throws {
        let rejection = try onlyRejection(senML("[]"))
        #expect(rejection.reason == .wrongShape(detail: "empty SenML pack: the array holds no records"))
    }

    @Test func packTooLarge() throws {
        var limits = IntakeLimits()
        limits.maxBacklogReadings = 2
        let payload = #"[{"bt":1665439200,"n":"level","v":4},{"n":"rain","v":1},{"n":"rain","t":60,"v":1}]"#
        let rejection = try onlyRejection(senML(payload, limits: limits))
        #expect(rejection.reason == .backlogTooLarge(count: 3, limit: 2))
        #expect(rejection.payloadRange == 0..<payload.utf8.count)
    }

    @Test func wholePayloadChecksComeFirst() throws {
        #expect(try onlyRejection(senML("[", station: "cau-lau")).reason.code == "not_json")
        #expect(try onlyRejection(senML("[]", station: "da-lat")).reason == .unknownStation("da-lat"))
        #expect(
            try onlyRejection(decode("gauges/cau-lau", [0x5B, 0xC0, 0x80, 0x5D])).reason == .invalidUTF8(offset: 1))
    }

    // MARK: One record, one problem

    @Test func recordThatIsNotAnObject() throws {
        let payload = #"[{"bt":1665439200,"n":"level","v":4},4.1]"#
        let message = senML(payload)
        #expect(message.readings.count == 1)
        let rejection = try #require(message.rejections.first)
        #expect(rejection.reason == .wrongShape(detail: "a SenML record must be an object, got a number"))
        #expect(rejection.element == ElementPosition(index: 1, count: 2))
        #expect(slice(payload, rejection.payloadRange) == "4.1")
    }

    @Test func stationNamedByAnotherTopic() throws {
        let rejection = try onlyRejection(senML(#"[{"bn":"hoi-an/","bt":1665439200,"n":"level","v":1.5}]"#))
        #expect(rejection.reason.code == "bad_field")
        #expect(
            rejection.message == #"reading 1 of 1: bad "n": name 'hoi-an/level' names station 'hoi-an', "#
                + "but the topic gauges/cau-lau names station 'cau-lau'")
        #expect(rejection.station == "cau-lau")
    }

    @Test func badNames() throws {
        #expect(
            try onlyRejection(senML(#"[{"n":"cau-lau/level/x","t":1665439200,"v":1}]"#)).message
                == #"reading 1 of 1: bad "n": name 'cau-lau/level/x' is not <station>/<sensor> or <sensor>"#)
        #expect(
            try onlyRejection(senML(#"[{"bn":"cau-lau/","t":1665439200,"v":1}]"#)).message.contains("names no sensor"))
        #expect(try onlyRejection(senML(#"[{"t":1665439200,"v":1}]"#)).reason == .missingField("n"))
        #expect(
            try onlyRejection(senML(#"[{"n":4,"t":1665439200,"v":1}]"#)).reason
                == .badField(field: "n", detail: "must be a string, got a number"))
    }

    @Test func unknownSensor() throws {
        let rejection = try onlyRejection(
            senML(#"[{"bn":"cau-lau/","bt":1665439200,"n":"temperature","u":"Cel","v":29}]"#))
        #expect(rejection.reason == .unknownSensor(station: "cau-lau", sensor: "temperature", known: [.level, .rain]))
        #expect(rejection.sensor == "temperature")
        let lacking = try onlyRejection(senML(#"[{"n":"level","t":1665439200,"v":2}]"#, station: "tra-my"))
        #expect(lacking.reason == .unknownSensor(station: "tra-my", sensor: "level", known: [.rain]))
    }

    @Test func missingTime() throws {
        let message = senML(#"[{"bn":"cau-lau/","n":"level","u":"m","v":4.02},{"n":"rain","u":"mm","v":12.5}]"#)
        #expect(message.readings.isEmpty)
        #expect(message.rejections.map(\.reason) == [.missingField("t"), .missingField("t")])
        #expect(message.rejections.map(\.sensor) == ["level", "rain"])
        #expect(
            message.rejections.map(\.message) == [#"reading 1 of 2: missing "t""#, #"reading 2 of 2: missing "t""#])
    }

    @Test(
        "relative times are refused",
        arguments: [
            #"[{"n":"level","t":-60,"v":4}]"#, #"[{"n":"level","t":0,"v":4}]"#, #"[{"bt":1200,"n":"level","v":4}]"#,
            #"[{"bt":268435455,"n":"level","v":4}]"#,
        ])
    func relativeTime(_ payload: String) throws {
        let rejection = try onlyRejection(senML(payload))
        #expect(rejection.reason.code == "bad_timestamp")
        #expect(rejection.message.contains("below 2^28, a time relative to now"))
        #expect(
            rejection.message.contains(
                "needs absolute Unix seconds so that a redelivered reading is recognised as the same"))
    }

    @Test func timeNotANumber() throws {
        #expect(
            try onlyRejection(senML(#"[{"n":"level","t":"1665439200","v":4}]"#)).reason
                == .badField(field: "t", detail: "must be a number of seconds, got a string"))
    }

    @Test func unitMismatch() throws {
        let rejection = try onlyRejection(senML(#"[{"bt":1665439200,"n":"level","u":"cm","v":402}]"#))
        #expect(rejection.reason == .badField(field: "u", detail: "unit 'cm' does not match level's unit 'm'"))
        #expect(rejection.message == #"reading 1 of 1: bad "u": unit 'cm' does not match level's unit 'm'"#)
        // A base unit that fits the first record but not the second.
        let message = senML(#"[{"bu":"m","bt":1665439200,"n":"level","v":4},{"n":"rain","v":3}]"#)
        #expect(message.readings.map(\.reading.sensor) == [.level])
        #expect(
            message.rejections.map(\.reason) == [
                .badField(field: "bu", detail: "unit 'm' does not match rain's unit 'mm'")
            ])
    }

    @Test func missingValue() throws {
        #expect(try onlyRejection(senML(#"[{"n":"level","t":1665439200}]"#)).reason == .missingField("v"))
        let text = try onlyRejection(senML(#"[{"n":"level","t":1665439200,"vs":"high"}]"#))
        #expect(text.reason == .notANumber(field: "vs", text: "high"))
        #expect(text.message == #"reading 1 of 1: "vs" is not a number: 'high'"#)
        #expect(
            try onlyRejection(senML(#"[{"n":"level","t":1665439200,"vb":true}]"#)).reason
                == .notANumber(field: "vb", text: "true"))
        #expect(
            try onlyRejection(senML(#"[{"n":"level","t":1665439200,"vd":"ZGF0YQ"}]"#)).reason.code == "not_a_number")
    }

    @Test func valueThatIsNotANumber() throws {
        #expect(
            try onlyRejection(senML(#"[{"n":"level","t":1665439200,"v":"4.02"}]"#)).reason
                == .notANumber(field: "v", text: "4.02"))
        #expect(
            try onlyRejection(senML(#"[{"n":"level","t":1665439200,"v":null}]"#)).reason
                == .notANumber(field: "v", text: "null"))
        #expect(
            try onlyRejection(senML(#"[{"n":"level","t":1665439200,"v":1e999}]"#)).reason
                == .notFinite(field: "v", text: "1e999"))
        #expect(
            try onlyRejection(senML(#"[{"bv":1e308,"n":"level","t":1665439200,"v":1e308}]"#)).reason
                == .notFinite(field: "v", text: "1e+308 + 1e308"))
    }

    @Test func mustUnderstandFields() throws {
        let rejection = try onlyRejection(senML(#"[{"n":"level","t":1665439200,"v":4,"flood_":true}]"#))
        #expect(rejection.reason.code == "bad_field")
        #expect(
            rejection.message
                == #"reading 1 of 1: bad "flood_": is a must-understand SenML field (its name ends in '_') "#
                + "that FloodWatch does not understand")
    }

    @Test func versions() throws {
        #expect(try onlyReading(senML(#"[{"bver":10,"n":"level","t":1665439200,"v":4}]"#)).value == 4)
        #expect(try onlyReading(senML(#"[{"bver":5,"n":"level","t":1665439200,"v":4}]"#)).value == 4)
        let message = senML(#"[{"bver":11,"bt":1665439200,"n":"level","v":4},{"n":"rain","v":1}]"#)
        #expect(message.readings.isEmpty)
        #expect(
            message.rejections.map(\.reason) == [
                .badField(
                    field: "bver", detail: "SenML version 11 is newer than version 10, the one FloodWatch understands"),
                .badField(
                    field: "bver",
                    detail: "SenML version 11 is newer than version 10, the one FloodWatch understands "
                        + "(set in record 1, carried forward to this one)"),
            ])
        #expect(
            try onlyRejection(senML(#"[{"bver":"10","n":"level","t":1665439200,"v":4}]"#)).reason
                == .badField(field: "bver", detail: "must be a positive integer SenML version, got '10'"))
    }

    @Test func invalidBaseFieldsRejectTheRecordsThatRelyOnThem() throws {
        let payload = #"[{"bt":"yesterday","n":"level","v":4},{"n":"rain","v":1},{"n":"rain","bt":1665439200,"v":2}]"#
        let message = senML(payload)
        #expect(message.readings.map(\.reading.value) == [2])
        #expect(
            message.rejections.map(\.reason) == [
                .badField(field: "bt", detail: "must be a number of Unix seconds, got a string"),
                .badField(
                    field: "bt",
                    detail:
                        "must be a number of Unix seconds, got a string (set in record 1, carried forward to this one)"),
            ])
        #expect(message.rejections.map(\.element?.index) == [0, 1])
    }

    @Test func invalidBaseFieldRejectsItsOwnRecordEvenIfUnused() throws {
        // The record names its own unit, but its bad base unit would mislead the records after it.
        let message = senML(
            #"[{"bu":7,"u":"m","bt":1665439200,"n":"level","v":4},{"n":"level","t":60,"u":"m","v":4.1}]"#)
        #expect(message.rejections.map(\.reason) == [.badField(field: "bu", detail: "must be a string, got a number")])
        #expect(message.readings.map(\.reading.value) == [4.1])
    }

    @Test func duplicateKeys() throws {
        let rejection = try onlyRejection(senML(#"[{"n":"level","t":1665439200,"v":4,"v":5}]"#))
        #expect(rejection.reason == .badField(field: "v", detail: "appears twice"))
        // A duplicated base field is also unusable for the records after it.
        let message = senML(#"[{"bt":1665439200,"bt":1665442800,"n":"level","v":4},{"n":"rain","v":1}]"#)
        #expect(message.readings.isEmpty)
        #expect(message.rejections.map(\.reason.code) == ["bad_field", "bad_field"])
        #expect(message.rejections.last?.message.contains("set in record 1") == true)
    }

    @Test func timeWindowAndRangeApply() throws {
        let payload = #"""
            [{"bn":"cau-lau/","bt":1665439200,"n":"level","v":4},
             {"n":"level","t":86400,"v":4},
             {"n":"level","bt":900000000,"v":4},
             {"n":"rain","bt":1665439200,"v":-0.5},
             {"n":"level","v":9.5},
             {"n":"rain","v":0}]
            """#
        let message = senML(payload)
        #expect(message.readings.map(\.reading.sensor) == [.level, .rain])
        #expect(
            message.rejections.map(\.reason.code) == [
                "time_in_future", "time_too_old", "negative_rain", "out_of_range",
            ])
        #expect(message.rejections.map(\.element?.index) == [1, 2, 3, 4])
        #expect(message.rejections.map(\.sensor) == ["level", "level", "rain", "level"])
    }
}
