import Gauges
import Testing

/// Forms a (one reading) and b (backlog) on `gauges/<station>/<sensor>`, and the whole-payload checks.
@Suite("Payload decoder: readings and backlogs")
struct PayloadDecoderTests {
    static let ts = #""ts":"2022-10-11T05:00:00+07:00""#

    // MARK: Form a

    @Test func theContractExample() throws {
        let payload = #"{"ts":"2022-10-11T05:00:00+07:00","value":4.02}"#
        let message = decode(Fixtures.levelTopic, payload)
        #expect(message.rejections.isEmpty)
        #expect(
            message.readings == [
                DecodedReading(
                    reading: Reading(station: "cau-lau", sensor: .level, timestamp: 1_665_439_200_000, value: 4.02),
                    payloadRange: 0..<payload.utf8.count, catalogueIndex: 0)
            ])
        #expect(message.readings.first?.reading.quality == .good)
        #expect(message.readings.first?.reading.seq == nil)
    }

    @Test("each sensor of the catalogue gets its own index, from its station's place and its kind")
    func catalogueIndices() throws {
        #expect(SensorKind.allCases.map(\.ordinal) == Array(SensorKind.allCases.indices))
        let payload = #"{"ts":1665439200,"value":4}"#
        let indices = [Fixtures.levelTopic, Fixtures.rainTopic, "gauges/tra-my/rain"].map {
            decode($0, payload).readings.first?.catalogueIndex
        }
        #expect(indices == [0, 1, 5])
        let pack = decode(
            Fixtures.stationTopic,
            #"[{"bn":"cau-lau/","bt":1665439200,"n":"level","u":"m","v":4.02},{"n":"rain","u":"mm","v":12.5}]"#)
        #expect(pack.readings.map(\.catalogueIndex) == [0, 1])
    }

    @Test func unixSeconds() throws {
        #expect(
            try onlyReading(decode(Fixtures.levelTopic, #"{"ts":1665439200,"value":4.02}"#)).timestamp
                == 1_665_439_200_000)
        #expect(
            try onlyReading(decode(Fixtures.levelTopic, #"{"ts":1665439200.25,"value":4.02}"#)).timestamp
                == 1_665_439_200_250)
        #expect(
            try onlyReading(decode(Fixtures.levelTopic, #"{"ts":1665439200.123,"value":4}"#)).timestamp
                == 1_665_439_200_123)
        #expect(
            try onlyReading(decode(Fixtures.levelTopic, #"{"ts":1.6654392e9,"value":4}"#)).timestamp
                == 1_665_439_200_000)
    }

    @Test func rfc3339Variants() throws {
        for (ts, expected) in [
            ("2022-10-10T22:00:00Z", Int64(1_665_439_200_000)), ("2022-10-11T05:00:00.5+07:00", 1_665_439_200_500),
            ("2022-10-11T05:00:00.123456+07:00", 1_665_439_200_123), ("2022-10-10T18:30:00-03:30", 1_665_439_200_000),
        ] {
            let reading = try onlyReading(decode(Fixtures.levelTopic, #"{"ts":"\#(ts)","value":4.02}"#))
            #expect(reading.timestamp == expected, "\(ts)")
        }
    }

    @Test func numericStringValues() throws {
        #expect(try onlyReading(decode(Fixtures.levelTopic, #"{\#(Self.ts),"value":"4.02"}"#)).value == 4.02)
        #expect(try onlyReading(decode(Fixtures.levelTopic, #"{\#(Self.ts),"value":"  4.07 "}"#)).value == 4.07)
        #expect(try onlyReading(decode(Fixtures.levelTopic, #"{\#(Self.ts),"value":"-0.5"}"#)).value == -0.5)
    }

    @Test func seqAndQuality() throws {
        let reading = try onlyReading(
            decode(Fixtures.levelTopic, #"{"ts":1665439200,"value":"4.07","seq":12,"quality":"suspect"}"#))
        #expect(
            reading
                == Reading(
                    station: "cau-lau", sensor: .level, timestamp: 1_665_439_200_000, value: 4.07, quality: .suspect,
                    seq: 12))
        #expect(try onlyReading(decode(Fixtures.levelTopic, #"{\#(Self.ts),"value":4,"quality":2}"#)).quality == .bad)
        #expect(
            try onlyReading(decode(Fixtures.levelTopic, #"{\#(Self.ts),"value":4,"quality":"good"}"#)).quality == .good)
        #expect(
            try onlyReading(decode(Fixtures.levelTopic, #"{\#(Self.ts),"value":4,"quality":1}"#)).quality == .suspect)
        #expect(try onlyReading(decode(Fixtures.levelTopic, #"{\#(Self.ts),"value":4,"seq":0}"#)).seq == 0)
        #expect(
            try onlyReading(decode(Fixtures.levelTopic, #"{\#(Self.ts),"value":4,"seq":null,"quality":null}"#)).seq
                == nil)
    }

    @Test func unknownKeysAreIgnored() throws {
        let reading = try onlyReading(
            decode(Fixtures.rainTopic, #"{"battery":12.6,\#(Self.ts),"fw":{"v":[1,2]},"value":12.5,"note":null}"#))
        #expect(reading == Reading(station: "cau-lau", sensor: .rain, timestamp: 1_665_439_200_000, value: 12.5))
    }

    @Test func rangeBoundsAreInside() throws {
        #expect(try onlyReading(decode(Fixtures.levelTopic, #"{\#(Self.ts),"value":-1}"#)).value == -1)
        #expect(try onlyReading(decode(Fixtures.levelTopic, #"{\#(Self.ts),"value":9}"#)).value == 9)
        #expect(try onlyReading(decode(Fixtures.rainTopic, #"{\#(Self.ts),"value":0}"#)).value == 0)
        #expect(try onlyReading(decode("gauges/tra-my/rain", #"{\#(Self.ts),"value":200}"#)).station == "tra-my")
    }

    // MARK: Whole payload

    @Test(
        "bad topics",
        arguments: [
            ("sensors/cau-lau/level", "is not under gauges/"), ("gauges/cau-lau/level/extra", "has 1 extra level(s)"),
            ("gauges", "names no station"), ("gauges//level", "has an empty level"),
            ("gauges/cau-lau/", "has an empty level"), ("gauges/", "has an empty level"),
            ("gaugesX/cau-lau/level", "is not under gauges/"), ("gauges/cau-lau/level/", "has an empty level"),
        ])
    func badTopic(_ topic: String, _ says: String) throws {
        let rejection = try onlyRejection(decode(topic, #"{\#(Self.ts),"value":4.02}"#))
        #expect(rejection.reason == .badTopic(topic: topic, detail: says))
        #expect(rejection.reason.code == "bad_topic")
        #expect(rejection.message.contains(says))
        #expect(rejection.station == nil)
        #expect(rejection.element == nil)
    }

    @Test func unknownStation() throws {
        let payload = #"{\#(Self.ts),"value":4.02}"#
        let rejection = try onlyRejection(decode("gauges/da-lat/level", payload))
        #expect(rejection.reason == .unknownStation("da-lat"))
        #expect(rejection.message == "unknown station 'da-lat': not in the station catalogue")
        #expect(rejection.station == "da-lat")
        #expect(rejection.sensor == "level")
        #expect(rejection.payloadRange == 0..<payload.utf8.count)
    }

    @Test func unknownSensor() throws {
        let rejection = try onlyRejection(decode("gauges/cau-lau/temperature", #"{\#(Self.ts),"value":29}"#))
        #expect(rejection.reason == .unknownSensor(station: "cau-lau", sensor: "temperature", known: [.level, .rain]))
        #expect(rejection.reason.code == "unknown_sensor")
        #expect(rejection.message == "station 'cau-lau' has no sensor 'temperature' (it reports: level, rain)")
        #expect(rejection.sensor == "temperature")
    }

    @Test func sensorTheStationLacks() throws {
        let rejection = try onlyRejection(decode("gauges/tra-my/level", #"{\#(Self.ts),"value":2}"#))
        #expect(rejection.reason == .unknownSensor(station: "tra-my", sensor: "level", known: [.rain]))
        #expect(rejection.message.contains("(it reports: rain)"))
    }

    @Test func payloadTooLarge() throws {
        var limits = IntakeLimits()
        limits.maxPayloadBytes = 40
        let payload = #"{\#(Self.ts),"value":4.02}"#  // 47 bytes
        let rejection = try onlyRejection(decode(Fixtures.levelTopic, payload, limits: limits))
        #expect(rejection.reason == .payloadTooLarge(bytes: 47, limit: 40))
        #expect(rejection.message == "payload is 47 bytes, over the 40-byte limit; split the upload")
        #expect(rejection.payloadRange == 0..<47)
        limits.maxPayloadBytes = 47
        #expect(try onlyReading(decode(Fixtures.levelTopic, payload, limits: limits)).value == 4.02)
    }

    @Test func payloadOverTheDefaultLimit() throws {
        let payload = #"{\#(Self.ts),"value":4,"note":"\#(String(repeating: "x", count: 300_000))"}"#
        let rejection = try onlyRejection(decode(Fixtures.levelTopic, payload))
        #expect(rejection.reason == .payloadTooLarge(bytes: payload.utf8.count, limit: 262_144))
        #expect(rejection.message.contains("262144"))
    }

    @Test(
        "invalid UTF-8 gives the offset of the first bad byte",
        arguments: [
            ([0xFF, 0xFE], 0), ([0x80], 0), ([0xC0, 0xAF], 0), ([0xC1, 0xBF], 0), ([0xE0, 0x80, 0xAF], 0),
            ([0xF0, 0x80, 0x80, 0xAF], 0), ([0xED, 0xA0, 0x80], 0), ([0xED, 0xBF, 0xBF], 0),
            ([0xF4, 0x90, 0x80, 0x80], 0),
            ([0xF5, 0x80, 0x80, 0x80], 0), ([0xE2, 0x82, 0x41], 0), ([0x61, 0xC3], 1), ([0xC3, 0xA9, 0xE2, 0x82], 2),
            ([0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0xFF], 9),
        ] as [([UInt8], Int)])
    func invalidUTF8(_ bad: [UInt8], _ offsetInNote: Int) throws {
        let prefix = Array(#"{\#(Self.ts),"value":4,"note":""#.utf8)
        let payload = prefix + bad + Array(#""}"#.utf8)
        let rejection = try onlyRejection(decode(Fixtures.levelTopic, payload))
        #expect(rejection.reason == .invalidUTF8(offset: prefix.count + offsetInNote))
        #expect(rejection.reason.code == "invalid_utf8")
        #expect(rejection.message == "payload is not valid UTF-8 (bad byte at offset \(prefix.count + offsetInNote))")
    }

    @Test func validUTF8IsAccepted() throws {
        // 2-, 3- and 4-byte characters, the highest scalar, and the scalars just around the surrogates.
        let note = "Câu Lâu – lũ 𝄞 \u{10FFFF} \u{D7FF} \u{E000}"
        let reading = try onlyReading(decode(Fixtures.levelTopic, #"{\#(Self.ts),"value":4,"note":"\#(note)"}"#))
        #expect(reading.value == 4)
    }

    @Test func notJSON() throws {
        let rejection = try onlyRejection(decode(Fixtures.levelTopic, "level is 4.02"))
        #expect(rejection.reason.code == "not_json")
        #expect(rejection.message == "not JSON: unexpected word 'level' at byte 0 (text must be in double quotes)")
        let truncated = #"{\#(Self.ts),"value":"#
        let cut = try onlyRejection(decode(Fixtures.levelTopic, truncated))
        #expect(cut.reason == .notJSON(detail: "unexpected end of input at byte 42 (truncated?)"))
        #expect(cut.station == "cau-lau")
        #expect(cut.sensor == "level")
        let empty = try onlyRejection(decode(Fixtures.levelTopic, ""))
        #expect(empty.reason == .notJSON(detail: "empty payload"))
        #expect(empty.payloadRange == 0..<0)
        let trailing = try onlyRejection(decode(Fixtures.levelTopic, #"{\#(Self.ts),"value":4.02}}"#))
        #expect(trailing.message == "not JSON: unexpected '}' after the JSON value at byte 47")
    }

    @Test func nestedTooDeep() throws {
        let payload =
            #"{\#(Self.ts),"value":4,"x":"# + String(repeating: "[", count: 16) + String(repeating: "]", count: 16)
            + "}"
        let rejection = try onlyRejection(decode(Fixtures.levelTopic, payload))
        #expect(rejection.reason == .notJSON(detail: "nested deeper than 16 levels at byte 63"))
    }

    @Test(
        "JSON of the wrong shape",
        arguments: [
            ("4.02", "a number"), (#""4.02""#, "a string"), ("null", "null"), ("true", "a boolean"),
        ])
    func wrongShape(_ payload: String, _ kind: String) throws {
        let rejection = try onlyRejection(decode(Fixtures.levelTopic, payload))
        #expect(rejection.reason.code == "wrong_shape")
        #expect(
            rejection.message
                == #"gauges/cau-lau/level takes one reading object {"ts":…,"value":…} or a backlog array of them, got "#
                + kind)
    }

    @Test func checkOrder() throws {
        // Topic before everything: a bad topic with a bad payload.
        #expect(try onlyRejection(decode("gauges/a/b/c", [0xFF])).reason.code == "bad_topic")
        // Station before sensor.
        #expect(try onlyRejection(decode("gauges/da-lat/temperature", "{}")).reason.code == "unknown_station")
        // Sensor before size.
        var limits = IntakeLimits()
        limits.maxPayloadBytes = 2
        #expect(
            try onlyRejection(decode("gauges/tra-my/level", "[1,2]", limits: limits)).reason.code == "unknown_sensor")
        // Size before UTF-8.
        #expect(
            try onlyRejection(decode(Fixtures.levelTopic, [0xFF, 0xFF, 0xFF], limits: limits)).reason.code
                == "payload_too_large")
        // UTF-8 before JSON.
        #expect(try onlyRejection(decode(Fixtures.levelTopic, [0x7B, 0xFF])).reason == .invalidUTF8(offset: 1))
        // JSON before shape: a truncated array.
        #expect(try onlyRejection(decode(Fixtures.levelTopic, "[1,")).reason.code == "not_json")
    }

    // MARK: One reading, one problem

    @Test func duplicateKey() throws {
        let rejection = try onlyRejection(decode(Fixtures.levelTopic, #"{\#(Self.ts),"value":4.02,"value":4.5}"#))
        #expect(rejection.reason == .badField(field: "value", detail: "appears twice"))
        #expect(rejection.message == #"bad "value": appears twice"#)
        #expect(rejection.element == nil)
        // Also an unknown key, and in an object with many keys.
        #expect(
            try onlyRejection(decode(Fixtures.levelTopic, #"{\#(Self.ts),"value":4,"a":1,"a":2}"#)).reason
                == .badField(field: "a", detail: "appears twice"))
        let many = (0..<20).map { #""k\#($0)":\#($0)"# }.joined(separator: ",")
        #expect(
            try onlyRejection(decode(Fixtures.levelTopic, #"{\#(many),\#(Self.ts),"value":4,"k7":0}"#)).reason
                == .badField(field: "k7", detail: "appears twice"))
    }

    @Test func missingFields() throws {
        let noTS = try onlyRejection(decode(Fixtures.levelTopic, #"{"value":4.02}"#))
        #expect(noTS.reason == .missingField("ts"))
        #expect(noTS.message == #"missing "ts""#)
        #expect(noTS.reason.code == "missing_field")
        #expect(try onlyRejection(decode(Fixtures.levelTopic, #"{\#(Self.ts)}"#)).reason == .missingField("value"))
        #expect(try onlyRejection(decode(Fixtures.levelTopic, "{}")).reason == .missingField("ts"))
    }

    @Test(
        "timestamps that are not RFC 3339 with an offset or Unix seconds",
        arguments: [
            (
                #""2022-10-11 05:00""#,
                "'2022-10-11 05:00' is not RFC 3339 with a UTC offset, e.g. 2022-10-11T05:00:00+07:00"
            ),
            (#""2022-10-11T05:00:00""#, "'2022-10-11T05:00:00' has no UTC offset"),
            (#""2022-02-30T05:00:00+07:00""#, "February 2022 has 28 days"),
            (#""1665439200""#, "'1665439200' is a string; send Unix seconds as a JSON number without quotes"),
            ("true", "or Unix seconds as a number; got a boolean"),
            ("null", "got null"),
            (#"{"s":1}"#, "got an object"),
            ("1e999", "'1e999' is not a finite number of Unix seconds"),
            ("1e300", "'1e300' Unix seconds is too far from 1970 to be a time"),
        ])
    func badTimestamp(_ ts: String, _ says: String) throws {
        let rejection = try onlyRejection(decode(Fixtures.levelTopic, #"{"ts":\#(ts),"value":4.02}"#))
        #expect(rejection.reason.code == "bad_timestamp")
        #expect(rejection.message.hasPrefix(#"bad "ts": "#))
        #expect(rejection.message.contains(says), "\(rejection.message)")
    }

    @Test func badTimestampWinsOverMissingValue() throws {
        #expect(try onlyRejection(decode(Fixtures.levelTopic, #"{"ts":"soon"}"#)).reason.code == "bad_timestamp")
    }

    @Test(
        "values that are not numbers",
        arguments: [
            (#""high""#, "high"), ("null", "null"), ("true", "true"), (#"{"m":4}"#, #"{"m":4}"#), ("[4.02]", "[4.02]"),
            (#""4,02""#, "4,02"), (#""+4.02""#, "+4.02"), (#""""#, ""), (#""0x10""#, "0x10"),
        ])
    func notANumber(_ value: String, _ text: String) throws {
        let rejection = try onlyRejection(decode(Fixtures.levelTopic, #"{\#(Self.ts),"value":\#(value)}"#))
        #expect(rejection.reason == .notANumber(field: "value", text: text))
        #expect(rejection.message == #""value" is not a number: '\#(text)'"#)
    }

    @Test(
        "values that are not finite",
        arguments: [
            #""NaN""#, #""nan""#, #""inf""#, #""-Infinity""#, #""+INF""#, #"" NaN ""#, #""1e999""#, "1e999", "-1e999",
        ])
    func notFinite(_ value: String) throws {
        let rejection = try onlyRejection(decode(Fixtures.levelTopic, #"{\#(Self.ts),"value":\#(value)}"#))
        let text = value.hasPrefix("\"") ? String(value.dropFirst().dropLast()) : value
        #expect(rejection.reason == .notFinite(field: "value", text: text))
        #expect(rejection.reason.code == "not_finite")
        #expect(rejection.message.contains(text))
    }

    @Test func timeInTheFuture() throws {
        let limit = Fixtures.now + 5 * 60 * 1000
        #expect(
            try onlyReading(decode(Fixtures.levelTopic, #"{"ts":\#(Double(limit) / 1000),"value":4}"#)).timestamp
                == limit)
        let rejection = try onlyRejection(
            decode(Fixtures.levelTopic, #"{"ts":\#(Double(limit + 1) / 1000),"value":4}"#))
        #expect(rejection.reason == .timeInFuture(timestamp: limit + 1, now: Fixtures.now))
        #expect(rejection.message.contains("in the future"))
        #expect(rejection.message.contains("2022-10-11T05:05:00.001Z"))
        // Milliseconds sent as seconds.
        let millis = try onlyRejection(decode(Fixtures.levelTopic, #"{"ts":1665439200000,"value":4}"#))
        #expect(millis.reason == .timeInFuture(timestamp: 1_665_439_200_000_000, now: Fixtures.now))
        #expect(millis.message.contains("milliseconds instead of Unix seconds"))
    }

    @Test func timeTooOld() throws {
        let rejection = try onlyRejection(decode(Fixtures.levelTopic, #"{"ts":"1999-12-31T23:00:00+07:00","value":4}"#))
        #expect(rejection.reason == .timeTooOld(timestamp: 946_656_000_000, earliest: 946_684_800_000))
        #expect(
            rejection.message == "time 1999-12-31T16:00:00Z is before 2000-01-01T00:00:00Z; is the gauge's clock reset?"
        )
        #expect(try onlyRejection(decode(Fixtures.levelTopic, #"{"ts":0,"value":4}"#)).reason.code == "time_too_old")
        #expect(try onlyRejection(decode(Fixtures.levelTopic, #"{"ts":-5,"value":4}"#)).reason.code == "time_too_old")
    }

    @Test func negativeRain() throws {
        let rejection = try onlyRejection(decode(Fixtures.rainTopic, #"{\#(Self.ts),"value":-3.5}"#))
        #expect(rejection.reason == .negativeRain(-3.5))
        #expect(rejection.message == "rain cannot be negative (-3.5 mm)")
        #expect(rejection.sensor == "rain")
        // A negative level is a level below the datum, within the range.
        #expect(try onlyReading(decode(Fixtures.levelTopic, #"{\#(Self.ts),"value":-0.5}"#)).value == -0.5)
    }

    @Test func outOfRange() throws {
        let rejection = try onlyRejection(decode(Fixtures.levelTopic, #"{\#(Self.ts),"value":42.5}"#))
        #expect(rejection.reason == .outOfRange(value: 42.5, sensor: Fixtures.level))
        #expect(rejection.message == "level 42.5 m is outside the physical range -1…9 m of the catalogue")
        #expect(
            try onlyRejection(decode(Fixtures.levelTopic, #"{\#(Self.ts),"value":-1.01}"#)).reason.code
                == "out_of_range")
        #expect(
            try onlyRejection(decode(Fixtures.rainTopic, #"{\#(Self.ts),"value":"200.1"}"#)).reason
                == .outOfRange(value: 200.1, sensor: Fixtures.rain))
    }

    @Test("bad seq", arguments: ["-1", "1.5", #""12""#, "true", "1e30"])
    func badSeq(_ seq: String) throws {
        let rejection = try onlyRejection(decode(Fixtures.levelTopic, #"{\#(Self.ts),"value":4,"seq":\#(seq)}"#))
        #expect(rejection.reason.code == "bad_field")
        let text = seq.hasPrefix("\"") ? String(seq.dropFirst().dropLast()) : seq
        #expect(
            rejection.message
                == #"bad "seq": must be a non-negative integer (the gauge's message counter), got '\#(text)'"#)
    }

    @Test("bad quality", arguments: ["3", "-1", "1.5", #""excellent""#, #""Good""#, "true"])
    func badQuality(_ quality: String) throws {
        let rejection = try onlyRejection(
            decode(Fixtures.levelTopic, #"{\#(Self.ts),"value":4,"quality":\#(quality)}"#))
        #expect(rejection.reason.code == "bad_field")
        #expect(rejection.message.hasPrefix(#"bad "quality": must be 0, 1, 2 or "good", "suspect", "bad", got '"#))
    }

    @Test func firstProblemWins() throws {
        // Future and out of range: the time.
        let future = try onlyRejection(decode(Fixtures.levelTopic, #"{"ts":2000000000,"value":99}"#))
        #expect(future.reason.code == "time_in_future")
        // Out of range and a bad seq: the range.
        let range = try onlyRejection(decode(Fixtures.levelTopic, #"{\#(Self.ts),"value":99,"seq":-1}"#))
        #expect(range.reason.code == "out_of_range")
        // A duplicate key and no ts: the duplicate.
        let duplicate = try onlyRejection(decode(Fixtures.levelTopic, #"{"value":1,"value":2}"#))
        #expect(duplicate.reason == .badField(field: "value", detail: "appears twice"))
        // Missing value and NaN elsewhere: the missing value.
        #expect(
            try onlyRejection(decode(Fixtures.levelTopic, #"{\#(Self.ts),"v":"NaN"}"#)).reason == .missingField("value")
        )
    }

    // MARK: Form b

    @Test func backlog() throws {
        let first = #"{"ts":"2020-10-28T16:00:00+07:00","value":7.75,"seq":1}"#
        let second = #"{"ts":"2020-10-28T21:00:00+07:00","value":8.26,"seq":2}"#
        let payload = "[" + first + ",\n  " + second + "]"
        let message = decode(Fixtures.levelTopic, payload)
        #expect(message.rejections.isEmpty)
        #expect(
            message.readings.map(\.reading) == [
                Reading(station: "cau-lau", sensor: .level, timestamp: 1_603_875_600_000, value: 7.75, seq: 1),
                Reading(station: "cau-lau", sensor: .level, timestamp: 1_603_893_600_000, value: 8.26, seq: 2),
            ])
        #expect(message.readings.map { slice(payload, $0.payloadRange) } == [first, second])
    }

    @Test func backlogWithOneBadReading() throws {
        let good1 = #"{"ts":1665439200,"value":4.02,"seq":7}"#
        let bad = #"{"value":4.05,"seq":8}"#
        let good2 = #"{"ts":1665442800,"value":"4.10","seq":9}"#
        let payload = "[ " + good1 + " , " + bad + ",\n" + good2 + " ]"
        let message = decode(Fixtures.levelTopic, payload)

        #expect(message.readings.map(\.reading.seq) == [7, 9])
        #expect(message.readings.map(\.reading.timestamp) == [1_665_439_200_000, 1_665_442_800_000])
        #expect(message.readings.map { slice(payload, $0.payloadRange) } == [good1, good2])

        try #require(message.rejections.count == 1)
        let rejection = message.rejections[0]
        #expect(rejection.reason == .missingField("ts"))
        #expect(rejection.element == ElementPosition(index: 1, count: 3))
        #expect(slice(payload, rejection.payloadRange) == bad)
        #expect(rejection.message == #"reading 2 of 3: missing "ts""#)
        #expect(rejection.station == "cau-lau")
        #expect(rejection.sensor == "level")
    }

    @Test func backlogElementsThatAreNotObjects() throws {
        let payload = #"[4.02,{"ts":1665439200,"value":4.02},[1],"x"]"#
        let message = decode(Fixtures.levelTopic, payload)
        #expect(message.readings.count == 1)
        #expect(message.rejections.map(\.element?.index) == [0, 2, 3])
        #expect(message.rejections.map { slice(payload, $0.payloadRange) } == ["4.02", "[1]", #""x""#])
        #expect(
            message.rejections.first?.reason
                == .wrongShape(detail: #"expected a reading object {"ts":…,"value":…}, got a number"#))
        #expect(
            message.rejections.first?.message
                == #"reading 1 of 4: expected a reading object {"ts":…,"value":…}, got a number"#)
    }

    @Test func backlogWithEveryKindOfProblem() throws {
        let elements = [
            #"{"ts":1665439200,"value":4.02}"#,  // good
            #"{"ts":1665439200,"value":"NaN"}"#,  // not finite
            #"{"ts":"yesterday","value":4}"#,  // bad ts
            #"{"ts":1665439200,"value":12}"#,  // out of range
            #"{"ts":1665439260,"value":4.03,"quality":"bad"}"#,  // good, bad quality flag
        ]
        let payload = "[" + elements.joined(separator: ",") + "]"
        let message = decode(Fixtures.levelTopic, payload)
        #expect(message.readings.map(\.reading.quality) == [.good, .bad])
        #expect(message.rejections.map(\.reason.code) == ["not_finite", "bad_timestamp", "out_of_range"])
        #expect(message.rejections.map { slice(payload, $0.payloadRange) } == [elements[1], elements[2], elements[3]])
        #expect(message.rejections.map(\.element) == [1, 2, 3].map { ElementPosition(index: $0, count: 5) })
    }

    @Test func emptyBacklog() throws {
        let rejection = try onlyRejection(decode(Fixtures.levelTopic, " [ ] "))
        #expect(rejection.reason.code == "wrong_shape")
        #expect(rejection.message.hasPrefix("empty backlog: "))
        #expect(rejection.element == nil)
        #expect(rejection.payloadRange == 0..<5)
    }

    @Test func backlogTooLarge() throws {
        var limits = IntakeLimits()
        limits.maxBacklogReadings = 3
        let element = #"{"ts":1665439200,"value":4}"#
        let three = "[" + Array(repeating: element, count: 3).joined(separator: ",") + "]"
        #expect(decode(Fixtures.levelTopic, three, limits: limits).readings.count == 3)
        let four = "[" + Array(repeating: element, count: 4).joined(separator: ",") + "]"
        let rejection = try onlyRejection(decode(Fixtures.levelTopic, four, limits: limits))
        #expect(rejection.reason == .backlogTooLarge(count: 4, limit: 3))
        #expect(rejection.message == "backlog of 4 readings is over the limit of 3; upload it in smaller parts")
        #expect(rejection.payloadRange == 0..<four.utf8.count)
        #expect(rejection.element == nil)
    }

    @Test func backlogOverTheDefaultLimit() throws {
        let payload = "[" + Array(repeating: #"{"ts":1e9,"value":1}"#, count: 10_001).joined(separator: ",") + "]"
        let rejection = try onlyRejection(decode(Fixtures.levelTopic, payload))
        #expect(rejection.reason == .backlogTooLarge(count: 10_001, limit: 10_000))
        #expect(rejection.message.contains("10001"))
    }

    @Test func aFullBacklogDecodes() throws {
        let readings = (0..<10_000).map {
            #"{"ts":\#(1_600_000_000 + $0 * 60),"value":\#(Double($0 % 800) / 100),"seq":\#($0)}"#
        }
        let payload = "[" + readings.joined(separator: ",") + "]"
        var limits = IntakeLimits()
        limits.maxPayloadBytes = 1 << 20
        let message = decode(Fixtures.levelTopic, payload, limits: limits)
        #expect(message.rejections.isEmpty)
        #expect(message.readings.count == 10_000)
        #expect(
            message.readings.last?.reading
                == Reading(
                    station: "cau-lau", sensor: .level, timestamp: 1_600_599_940_000, value: 3.99, seq: 9999))
    }
}
