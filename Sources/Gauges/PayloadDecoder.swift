/// Turns one MQTT message from a gauge into readings to store and rejections to keep, following the wire contract:
///
/// - form a, `gauges/<station>/<sensor>`: one reading, `{"ts":"2022-10-11T05:00:00+07:00","value":4.02}`;
/// - form b, `gauges/<station>/<sensor>`: a backlog, a JSON array of such readings;
/// - form c, `gauges/<station>`: a SenML pack (RFC 8428), see `SenML.swift`.
///
/// The whole payload is checked first, in this order, and the first failure rejects it as a whole (one rejection,
/// no readings): topic shape, station in the catalogue, sensor of the station (sensor topics), size, UTF-8,
/// JSON, shape. Then each reading is checked on its own, so a backlog with one bad reading stores the others.
///
/// Pure and allocation-light: no Foundation, no I/O; `now` is passed in.
public struct PayloadDecoder: Sendable {
    public let catalogue: StationCatalogue
    public let limits: IntakeLimits

    public init(catalogue: StationCatalogue, limits: IntakeLimits = IntakeLimits()) {
        self.catalogue = catalogue
        self.limits = limits
    }

    /// - Parameter now: FloodWatch's clock in Unix epoch milliseconds (injected, for tests).
    public func decode(topic: String, payload: [UInt8], now: Int64) -> DecodedMessage {
        decode(topic: topic, payload: payload, now: now, plainReadings: true)
    }

    /// - Parameter plainReadings: whether a form-a object of numbers alone is read by `PlainReading` (the same
    ///   result, faster); false sends every payload through `JSONParser`, as the tests that compare the two do.
    func decode(topic: String, payload: [UInt8], now: Int64, plainReadings: Bool) -> DecodedMessage {
        let whole = 0..<payload.count
        let gaugeTopic: GaugeTopic
        switch GaugeTopic.parse(topic) {
        case .success(let parsed): gaugeTopic = parsed
        case .failure(let reason): return DecodedMessage(rejections: [Rejection(reason: reason, payloadRange: whole)])
        }
        let stationID = gaugeTopic.station
        var topicSensor: String? = nil
        if case .sensor(_, let sensor) = gaugeTopic { topicSensor = sensor }
        func rejectWhole(_ reason: RejectionReason) -> DecodedMessage {
            DecodedMessage(rejections: [
                Rejection(reason: reason, payloadRange: whole, station: stationID, sensor: topicSensor)
            ])
        }

        guard let station = catalogue.intake(stationID) else { return rejectWhole(.unknownStation(stationID)) }
        var sensor: Sensor? = nil
        if let topicSensor {
            guard let kind = SensorKind(rawValue: topicSensor), let declared = station.sensor(kind) else {
                return rejectWhole(
                    .unknownSensor(station: stationID, sensor: topicSensor, known: station.sensors.map(\.kind)))
            }
            sensor = declared
        }
        guard payload.count <= limits.maxPayloadBytes else {
            return rejectWhole(.payloadTooLarge(bytes: payload.count, limit: limits.maxPayloadBytes))
        }

        var message = payload.withUnsafeBufferPointer { bytes in
            // ASCII alone, so valid UTF-8; one level deep, so within any depth limit but 0.
            if plainReadings, let sensor, limits.maxJSONDepth >= 1, let plain = PlainReading.scan(bytes) {
                return readingMessage(
                    reading(
                        ts: .number(plain.ts), value: .number(plain.value), seq: plain.seq.map(JSONValue.number),
                        quality: plain.quality.map(JSONValue.number), station: station.id, sensor: sensor, now: now),
                    station: station.id, sensor: sensor, payloadCount: bytes.count)
            }
            if let offset = UTF8Validation.firstInvalidOffset(bytes) {
                return rejectWhole(.invalidUTF8(offset: offset))
            }
            let root: JSONValue
            do throws(JSONParseError) {
                root = try JSONParser.parse(bytes, maxDepth: limits.maxJSONDepth)
            } catch {
                return rejectWhole(.notJSON(detail: error.description))
            }
            if let sensor {
                return decodeReadings(root, station: station, sensor: sensor, payloadCount: bytes.count, now: now)
            }
            return decodeSenMLPack(root, station: station, payloadCount: bytes.count, now: now)
        }
        for index in message.readings.indices {
            message.readings[index].catalogueIndex = StationCatalogue.sensorIndex(
                station: station.index, kind: message.readings[index].reading.sensor)
        }
        return message
    }

    // MARK: Forms a and b

    /// A single reading object or a backlog array of them, on a sensor topic.
    func decodeReadings(
        _ root: JSONValue, station: StationCatalogue.Intake, sensor: Sensor, payloadCount: Int, now: Int64
    )
        -> DecodedMessage
    {
        let whole = 0..<payloadCount
        let sensorName = sensor.kind.rawValue
        func rejectWhole(_ reason: RejectionReason) -> DecodedMessage {
            DecodedMessage(rejections: [
                Rejection(reason: reason, payloadRange: whole, station: station.id, sensor: sensorName)
            ])
        }
        switch root {
        case .object(let members):
            return readingMessage(
                decodeReading(members, station: station.id, sensor: sensor, now: now), station: station.id,
                sensor: sensor, payloadCount: payloadCount)
        case .array(let elements):
            guard !elements.isEmpty else {
                return rejectWhole(
                    .wrongShape(
                        detail: #"empty backlog: the array holds no readings; send at least one {"ts":…,"value":…}"#))
            }
            guard elements.count <= limits.maxBacklogReadings else {
                return rejectWhole(.backlogTooLarge(count: elements.count, limit: limits.maxBacklogReadings))
            }
            var message = DecodedMessage()
            message.readings.reserveCapacity(elements.count)
            for (index, element) in elements.enumerated() {
                let result: Result<Reading, RejectionReason>
                if case .object(let members) = element.value {
                    result = decodeReading(members, station: station.id, sensor: sensor, now: now)
                } else {
                    result = .failure(
                        .wrongShape(
                            detail: #"expected a reading object {"ts":…,"value":…}, got "#
                                + element.value.kindDescription))
                }
                message.append(
                    result, range: element.range, position: ElementPosition(index: index, count: elements.count),
                    station: station.id, sensor: sensorName)
            }
            return message
        default:
            return rejectWhole(
                .wrongShape(
                    detail: "gauges/\(station.id)/\(sensorName) takes one reading object "
                        + #"{"ts":…,"value":…} or a backlog array of them, got "# + root.kindDescription))
        }
    }

    /// The message of a payload that is one form-a object: its reading, or its one rejection.
    private func readingMessage(
        _ result: Result<Reading, RejectionReason>, station: String, sensor: Sensor, payloadCount: Int
    ) -> DecodedMessage {
        let whole = 0..<payloadCount
        switch result {
        case .success(let reading):
            return DecodedMessage(readings: [DecodedReading(reading: reading, payloadRange: whole)])
        case .failure(let reason):
            return DecodedMessage(rejections: [
                Rejection(reason: reason, payloadRange: whole, station: station, sensor: sensor.kind.rawValue)
            ])
        }
    }

    /// One form-a object; the first problem found is the reason.
    func decodeReading(_ members: [JSONMember], station: String, sensor: Sensor, now: Int64)
        -> Result<Reading, RejectionReason>
    {
        if let key = Self.duplicateKey(in: members) { return .failure(.badField(field: key, detail: "appears twice")) }
        var ts: JSONValue? = nil
        var value: JSONValue? = nil
        var seq: JSONValue? = nil
        var quality: JSONValue? = nil
        for member in members {
            switch member.key {
            case "ts": ts = member.value
            case "value": value = member.value
            case "seq": seq = member.value
            case "quality": quality = member.value
            default: continue  // unknown keys are ignored
            }
        }
        return reading(ts: ts, value: value, seq: seq, quality: quality, station: station, sensor: sensor, now: now)
    }

    /// The reading of a form-a object's members (nil: absent); the first problem found is the reason.
    func reading(
        ts: JSONValue?, value: JSONValue?, seq: JSONValue?, quality: JSONValue?, station: String, sensor: Sensor,
        now: Int64
    ) -> Result<Reading, RejectionReason> {
        guard let ts else { return .failure(.missingField("ts")) }
        let timestamp: Int64
        switch Self.timestamp(ts) {
        case .success(let milliseconds): timestamp = milliseconds
        case .failure(let reason): return .failure(reason)
        }
        guard let value else { return .failure(.missingField("value")) }
        let number: Double
        switch Self.number(value, field: "value", allowString: true) {
        case .success(let parsed): number = parsed
        case .failure(let reason): return .failure(reason)
        }
        if let problem = check(timestamp: timestamp, value: number, sensor: sensor, now: now) {
            return .failure(problem)
        }

        var readingSeq: Int64? = nil
        if let seq, seq != .null {
            guard case .number(let counter) = seq, let integer = counter.int64, integer >= 0 else {
                return .failure(
                    .badField(
                        field: "seq",
                        detail: "must be a non-negative integer (the gauge's message counter), got "
                            + RejectionReason.quoted(Self.text(of: seq))))
            }
            readingSeq = integer
        }
        var readingQuality = Quality.good
        if let quality, quality != .null {
            let parsed: Quality? =
                switch quality {
                case .number(let code): code.int64.flatMap { Int(exactly: $0) }.flatMap(Quality.init(rawValue:))
                case .string(let name): Quality(name: name)
                default: nil
                }
            guard let parsed else {
                return .failure(
                    .badField(
                        field: "quality",
                        detail: #"must be 0, 1, 2 or "good", "suspect", "bad", got "#
                            + RejectionReason.quoted(Self.text(of: quality))))
            }
            readingQuality = parsed
        }
        return .success(
            Reading(
                station: station, sensor: sensor.kind, timestamp: timestamp, value: number, quality: readingQuality,
                seq: readingSeq))
    }

    // MARK: Checks shared by all forms

    /// Checks one reading given as plain fields (a recorded flood, say) as the wire checks it: station and sensor in
    /// the catalogue, time window, physical range.
    public func validate(
        station stationID: String, sensor sensorName: String, timestamp: Int64, value: Double, now: Int64
    )
        -> Result<Reading, RejectionReason>
    {
        guard let station = catalogue.intake(stationID) else { return .failure(.unknownStation(stationID)) }
        guard let kind = SensorKind(rawValue: sensorName), let sensor = station.sensor(kind) else {
            return .failure(.unknownSensor(station: stationID, sensor: sensorName, known: station.sensors.map(\.kind)))
        }
        if let problem = check(timestamp: timestamp, value: value, sensor: sensor, now: now) {
            return .failure(problem)
        }
        // -0 (a rain gauge's "-0.0") is stored as 0: SQLite keeps the sign, and sums and charts would show "-0".
        return .success(Reading(station: stationID, sensor: kind, timestamp: timestamp, value: value == 0 ? 0 : value))
    }

    /// The time window and the physical range, in the contract's order.
    func check(timestamp: Int64, value: Double, sensor: Sensor, now: Int64) -> RejectionReason? {
        let (latest, overflow) = now.addingReportingOverflow(limits.maxFutureMilliseconds)
        if !overflow, timestamp > latest { return .timeInFuture(timestamp: timestamp, now: now) }
        if timestamp < limits.earliestTimestamp {
            return .timeTooOld(timestamp: timestamp, earliest: limits.earliestTimestamp)
        }
        if sensor.kind == .rain, value < 0 { return .negativeRain(value) }
        if !sensor.range.contains(value) { return .outOfRange(value: value, sensor: sensor) }
        return nil
    }

    /// `"ts"`: RFC 3339 text with an offset, or Unix seconds as a number.
    static func timestamp(_ value: JSONValue) -> Result<Int64, RejectionReason> {
        switch value {
        case .string(let text):
            switch RFC3339.milliseconds(text) {
            case .success(let milliseconds):
                return .success(milliseconds)
            case .failure(let error):
                if JSONNumber(trimmingSpaces(text)) != nil {
                    return .failure(
                        .badTimestamp(
                            detail: "\(RejectionReason.quoted(text)) is a string; send Unix seconds as a JSON number "
                                + "without quotes, or RFC 3339 with a UTC offset, e.g. \(RFC3339.example)"))
                }
                return .failure(.badTimestamp(detail: error.description))
            }
        case .number(let number):
            let seconds = number.double
            guard seconds.isFinite else {
                return .failure(
                    .badTimestamp(
                        detail: "\(RejectionReason.quoted(number.text)) is not a finite number of Unix seconds"))
            }
            guard let milliseconds = UnixTime.milliseconds(unixSeconds: seconds) else {
                return .failure(
                    .badTimestamp(
                        detail: "\(RejectionReason.quoted(number.text)) Unix seconds is too far from 1970 to be a time")
                )
            }
            return .success(milliseconds)
        default:
            return .failure(
                .badTimestamp(
                    detail: "must be RFC 3339 text with a UTC offset, e.g. \(RFC3339.example), or Unix seconds as a "
                        + "number; got \(value.kindDescription)"))
        }
    }

    /// A finite number; with `allowString`, also a string holding one in JSON number grammar, spaces around allowed.
    static func number(_ value: JSONValue, field: String, allowString: Bool) -> Result<Double, RejectionReason> {
        switch value {
        case .number(let number):
            let double = number.double
            guard double.isFinite else { return .failure(.notFinite(field: field, text: number.text)) }
            return .success(double)
        case .string(let text) where allowString:
            let trimmed = trimmingSpaces(text)
            if let number = JSONNumber(trimmed) {
                let double = number.double
                guard double.isFinite else { return .failure(.notFinite(field: field, text: text)) }
                return .success(double)
            }
            if isNonFiniteWord(trimmed) { return .failure(.notFinite(field: field, text: text)) }
            return .failure(.notANumber(field: field, text: text))
        default:
            return .failure(.notANumber(field: field, text: Self.text(of: value)))
        }
    }

    /// `NaN`, `-inf`, `Infinity`… in any letter case.
    static func isNonFiniteWord(_ text: String) -> Bool {
        guard text.utf8.count <= 9 else { return false }
        var word = text.lowercased()
        if word.hasPrefix("+") || word.hasPrefix("-") { word.removeFirst() }
        return word == "nan" || word == "inf" || word == "infinity"
    }

    /// The text with ASCII spaces and tabs around it removed.
    static func trimmingSpaces(_ text: String) -> String {
        let utf8 = text.utf8
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
        guard let first = utf8.firstIndex(where: { !isSpace($0) }) else { return "" }
        let last = utf8.lastIndex(where: { !isSpace($0) })!
        if first == utf8.startIndex, utf8.index(after: last) == utf8.endIndex { return text }
        // Both ends sit next to ASCII bytes, so they are character boundaries.
        return String(text[first..<utf8.index(after: last)])
    }

    /// A value as quoted in a message: a string as its text, anything else as (shortened) JSON.
    static func text(of value: JSONValue) -> String {
        if case .string(let text) = value { return text }
        return value.jsonText()
    }

    /// The first key that appears a second time in an object, if any.
    static func duplicateKey(in members: [JSONMember]) -> String? {
        guard members.count > 1 else { return nil }
        if members.count <= 12 {
            for later in 1..<members.count {
                for earlier in 0..<later where members[earlier].key == members[later].key {
                    return members[later].key
                }
            }
            return nil
        }
        var seen = Set<String>(minimumCapacity: members.count)
        for member in members where !seen.insert(member.key).inserted {
            return member.key
        }
        return nil
    }
}
