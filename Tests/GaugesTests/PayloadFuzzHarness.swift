#if canImport(Gauges)
    import Gauges
#endif

/// The part of the payload fuzzer that the test suite shares: how one fuzz input becomes an MQTT topic and a
/// payload, and the invariants every decoded message must keep.
///
/// Two builds compile this file: the `GaugesTests` target, which imports `Gauges` and replays the corpus
/// (`FuzzCorpusTests`), and `scripts/fuzz`, which compiles it together with the `Gauges` sources and
/// `Fuzz/PayloadFuzzer/PayloadFuzzer.swift` into one libFuzzer module (no `Gauges` module to import there, hence the
/// `canImport`). Only public API of `Gauges` is used.
///
/// An input is one mode byte, then the rest:
///
/// | first byte | topic                          | what it reaches                                    |
/// |------------|--------------------------------|----------------------------------------------------|
/// | `l`        | `gauges/cau-lau/level`         | forms a and b (one reading, backlog), level        |
/// | `r`        | `gauges/cau-lau/rain`          | forms a and b, rain (no negative rain)             |
/// | `m`        | `gauges/tra-my/rain`           | forms a and b on a rain-only station               |
/// | `p`        | `gauges/cau-lau`               | form c, a SenML pack, station with level and rain  |
/// | `q`        | `gauges/ai-nghia`              | form c on a level-only station                     |
/// | `u`        | `gauges/hoi-an/level`          | a station missing from the catalogue               |
/// | `x`        | `gauges/tra-my/level`          | a sensor the station does not have                 |
/// | `t`        | the bytes up to the first `\n` | topic parsing; the payload is what follows the `\n` |
///
/// Any other first byte picks the mode at index `byte % 8` of that table, so every input means something. An empty
/// input is an empty payload on `gauges/cau-lau/level`. The seed files in `Tests/Fixtures/fuzz-corpus` start with
/// one of these letters, so they read as `l{"ts":…,"value":…}`.
enum PayloadFuzzHarness {
    /// The modes, in table order: the mode byte and the topic (nil for the raw-topic mode).
    static let modes: [(byte: UInt8, topic: String?)] = [
        (UInt8(ascii: "l"), "gauges/cau-lau/level"),
        (UInt8(ascii: "r"), "gauges/cau-lau/rain"),
        (UInt8(ascii: "m"), "gauges/tra-my/rain"),
        (UInt8(ascii: "p"), "gauges/cau-lau"),
        (UInt8(ascii: "q"), "gauges/ai-nghia"),
        (UInt8(ascii: "u"), "gauges/hoi-an/level"),
        (UInt8(ascii: "x"), "gauges/tra-my/level"),
        (UInt8(ascii: "t"), nil),
    ]

    static let level = Sensor(kind: .level, interval: 3600, range: -1...9)
    static let rain = Sensor(kind: .rain, interval: 3600, range: 0...200)

    /// Three stations: level and rain, rain only, level only (with another range).
    static let catalogue = StationCatalogue(stations: [
        Station(
            id: "cau-lau", name: "Câu Lâu", river: "Thu Bồn", latitude: 15.88, longitude: 108.26,
            sensors: [level, rain]),
        Station(id: "tra-my", name: "Trà My", river: "Tranh", latitude: 15.35, longitude: 108.22, sensors: [rain]),
        Station(
            id: "ai-nghia", name: "Ái Nghĩa", river: "Vu Gia", latitude: 15.88, longitude: 108.12,
            sensors: [Sensor(kind: .level, interval: 900, range: -2...15)]),
    ])

    /// FloodWatch's clock in every decode: 2022-10-11T12:00:00+07:00.
    static let now: Int64 = 1_665_464_400_000

    /// The production limits.
    static let decoder = PayloadDecoder(catalogue: catalogue)

    /// Small limits, so that short inputs reach the size, backlog and depth checks too.
    static let tightDecoder: PayloadDecoder = {
        var limits = IntakeLimits()
        limits.maxPayloadBytes = 1024
        limits.maxBacklogReadings = 4
        limits.maxJSONDepth = 3
        return PayloadDecoder(catalogue: catalogue, limits: limits)
    }()

    /// The topic and payload an input stands for (see the table above).
    static func split(_ input: [UInt8]) -> (topic: String, payload: [UInt8]) {
        guard let first = input.first else { return (modes[0].topic!, []) }
        let mode = modes.first { $0.byte == first } ?? modes[Int(first) % modes.count]
        let rest = input.dropFirst()
        if let topic = mode.topic { return (topic, Array(rest)) }
        // MQTT topics are UTF-8 (the broker refuses others), so invalid bytes become U+FFFD here.
        guard let newline = rest.firstIndex(of: 0x0A) else { return (String(decoding: rest, as: UTF8.self), []) }
        return (String(decoding: rest[..<newline], as: UTF8.self), Array(rest[(newline + 1)...]))
    }

    /// Every broken invariant for one input, in words; empty when all hold.
    static func violations(in input: [UInt8]) -> [String] {
        let (topic, payload) = split(input)
        return violations(topic: topic, payload: payload)
    }

    static func violations(topic: String, payload: [UInt8]) -> [String] {
        var problems: [String] = []
        let message = decoder.decode(topic: topic, payload: payload, now: now)
        if decoder.decode(topic: topic, payload: payload, now: now) != message {
            problems.append("decoding the same message twice gave different results")
        }
        check(message, of: decoder, topic: topic, payload: payload, into: &problems)
        let tight = tightDecoder.decode(topic: topic, payload: payload, now: now)
        check(tight, of: tightDecoder, topic: topic, payload: payload, into: &problems)
        return problems
    }

    /// Codes of the checks made before the payload's UTF-8 is looked at (PayloadDecoder's documented order).
    static let codesBeforeUTF8: Set<String> = [
        "bad_topic", "unknown_station", "unknown_sensor", "payload_too_large", "invalid_utf8",
    ]

    /// The invariants of one decoded message; each was checked against the decoder's code, not guessed.
    static func check(
        _ message: DecodedMessage, of decoder: PayloadDecoder, topic: String, payload: [UInt8],
        into problems: inout [String]
    ) {
        let limits = decoder.limits
        let whole = 0..<payload.count
        func fail(_ text: String) { problems.append("\(text) [limits: \(limits.maxPayloadBytes) bytes]") }

        // Every message gives at least one reading or one rejection.
        if message.readings.isEmpty && message.rejections.isEmpty { fail("no reading and no rejection") }

        // The topic: a parsed topic is its levels joined again; a bad one rejects the whole payload at once.
        var topicStation: String? = nil
        var topicSensor: String? = nil
        switch GaugeTopic.parse(topic) {
        case .success(let parsed):
            let rebuilt: String
            switch parsed {
            case .sensor(let station, let sensor):
                rebuilt = "gauges/" + station + "/" + sensor
                topicStation = station
                topicSensor = sensor
            case .station(let station):
                rebuilt = "gauges/" + station
                topicStation = station
            }
            if !rebuilt.utf8.elementsEqual(topic.utf8) { fail("topic \(topic.debugDescription) parsed as \(parsed)") }
            if topicStation!.isEmpty || topicSensor?.isEmpty == true { fail("topic parsed with an empty level") }
        case .failure(let reason):
            if reason.code != "bad_topic" { fail("GaugeTopic.parse failed with \(reason.code), not bad_topic") }
            if message != DecodedMessage(rejections: [Rejection(reason: reason, payloadRange: whole)]) {
                fail("a bad topic did not give exactly its one whole-payload rejection")
            }
            return
        }
        let station = decoder.catalogue[topicStation!]
        if station == nil, message.rejections.map(\.reason.code) != ["unknown_station"] || !message.readings.isEmpty {
            fail("an unknown station did not give exactly one unknown_station rejection")
        }

        let utf8Valid = String(validating: payload, as: UTF8.self) != nil
        let wholeRejections = message.rejections.filter { $0.element == nil }
        let elementRejections = message.rejections.filter { $0.element != nil }

        // Whole-payload rejections come alone and cover the whole payload.
        if let rejection = wholeRejections.first {
            if message.rejections.count != 1 || !message.readings.isEmpty {
                fail("a whole-payload rejection (\(rejection.reason.code)) came with other outcomes")
            }
            if rejection.payloadRange != whole { fail("a whole-payload rejection has range \(rejection.payloadRange)") }
            let code = rejection.reason.code
            if case .invalidUTF8(let offset) = rejection.reason {
                // Differential check of UTF8Validation against the standard library's validation.
                if utf8Valid { fail("invalid_utf8 for a payload the standard library accepts as UTF-8") }
                if !whole.contains(offset) {
                    fail("invalid_utf8 offset \(offset) outside the payload")
                } else if String(validating: payload[..<offset], as: UTF8.self) == nil {
                    fail("invalid_utf8 offset \(offset) is not the first bad byte")
                }
            } else if !codesBeforeUTF8.contains(code) && !utf8Valid {
                fail("invalid UTF-8 got past the UTF-8 check (rejected as \(code))")
            }
            if case .payloadTooLarge(let bytes, let limit) = rejection.reason {
                if bytes != payload.count || bytes <= limit { fail("payload_too_large for \(bytes) bytes") }
            } else if !codesBeforeUTF8.contains(code) && payload.count > limits.maxPayloadBytes {
                fail("a payload over the size limit got past the size check (rejected as \(code))")
            }
            if case .backlogTooLarge(let count, let limit) = rejection.reason, count <= limit {
                fail("backlog_too_large for \(count) readings, limit \(limit)")
            }
        } else {
            // Readings or per-element rejections: the payload passed every whole-payload check.
            if !utf8Valid { fail("readings or element rejections from a payload that is not UTF-8") }
            if payload.count > limits.maxPayloadBytes { fail("readings from a payload over the size limit") }
            if station == nil { fail("readings or element rejections from an unknown station") }
        }

        // Ranges: inside the payload; element ranges (backlog and pack elements) are disjoint, in order, and hold
        // one complete JSON value each, as `JSONElement.range` promises.
        var elementRanges: [Range<Int>] = []
        for reading in message.readings {
            if reading.payloadRange != whole { elementRanges.append(reading.payloadRange) }
        }
        elementRanges += elementRejections.map(\.payloadRange)
        for range in message.readings.map(\.payloadRange) + message.rejections.map(\.payloadRange)
        where range.lowerBound < 0 || range.upperBound > payload.count {
            fail("range \(range) outside the \(payload.count)-byte payload")
        }
        if !elementRanges.isEmpty {
            if message.readings.contains(where: { $0.payloadRange == whole }) {
                fail("a whole-payload reading came with backlog or pack elements")
            }
            elementRanges.sort { $0.lowerBound < $1.lowerBound }
            for (earlier, later) in zip(elementRanges, elementRanges.dropFirst())
            where earlier.upperBound > later.lowerBound {
                fail("element ranges \(earlier) and \(later) overlap")
            }
            for range in elementRanges where range.lowerBound >= 0 && range.upperBound <= payload.count {
                if range.isEmpty { fail("empty element range \(range)"); continue }
                let bytes = Array(payload[range])
                if (try? JSONParser.parse(bytes, maxDepth: limits.maxJSONDepth)) == nil {
                    fail("element range \(range) is not one JSON value: \(String(decoding: bytes, as: UTF8.self))")
                }
            }
        }
        for reading in message.readings where reading.payloadRange != whole {
            if reading.payloadRange.lowerBound >= 0, reading.payloadRange.upperBound <= payload.count,
                payload[reading.payloadRange.lowerBound] != UInt8(ascii: "{")
            {
                fail("a reading's element range \(reading.payloadRange) does not start with '{'")
            }
        }

        // Element rejections know their place: same count, increasing indices, count = every outcome.
        if let count = elementRejections.first?.element?.count {
            let positions = elementRejections.compactMap(\.element)
            if positions.contains(where: { $0.count != count }) { fail("element rejections disagree on the count") }
            if zip(positions, positions.dropFirst()).contains(where: { $0.index >= $1.index }) {
                fail("element rejection indices are not increasing: \(positions.map(\.index))")
            }
            if positions.contains(where: { !(0..<count).contains($0.index) }) { fail("element index out of range") }
            if message.readings.count + message.rejections.count != count {
                fail("\(message.readings.count) readings + \(message.rejections.count) rejections ≠ \(count) elements")
            }
        }
        if message.readings.count + elementRejections.count > limits.maxBacklogReadings {
            fail("more outcomes than the backlog limit of \(limits.maxBacklogReadings)")
        }

        // Rejections: a known code (never `conflict`, which only storage gives), and a message that can be written.
        for rejection in message.rejections {
            let code = rejection.reason.code
            if !RejectionReason.allCodes.contains(code) || code == "conflict" { fail("rejection code \(code)") }
            if rejection.message.isEmpty { fail("rejection \(code) with an empty message") }
        }

        // Readings: only what the catalogue and the limits allow.
        for decoded in message.readings {
            let reading = decoded.reading
            guard let station else { break }
            if !reading.station.utf8.elementsEqual(station.id.utf8) {
                fail("reading for station \(reading.station.debugDescription), topic names \(station.id)")
            }
            if let topicSensor, reading.sensor.rawValue != topicSensor {
                fail("reading of \(reading.sensor) on a \(topicSensor) topic")
            }
            guard let sensor = station.sensor(reading.sensor) else {
                fail("reading of \(reading.sensor), which \(station.id) does not have")
                continue
            }
            if !reading.value.isFinite { fail("reading value \(reading.value) is not finite") }
            if !sensor.range.contains(reading.value) { fail("reading value \(reading.value) outside \(sensor.range)") }
            if sensor.kind == .rain && reading.value < 0 { fail("negative rain \(reading.value)") }
            if reading.timestamp < limits.earliestTimestamp || reading.timestamp > now + limits.maxFutureMilliseconds {
                fail("reading time \(reading.timestamp) outside the accepted window")
            }
            if let seq = reading.seq, seq < 0 { fail("negative seq \(seq)") }
            if topicSensor == nil && (reading.quality != .good || reading.seq != nil) {
                fail("a SenML reading with a quality or seq, which SenML cannot carry")
            }
        }
    }
}
