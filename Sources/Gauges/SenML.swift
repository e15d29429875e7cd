/// Form c of the wire contract: a SenML pack (RFC 8428, JSON representation) on `gauges/<station>`, e.g.
/// `[{"bn":"cau-lau/","bt":1665439200,"n":"level","u":"m","v":4.02},{"n":"rain","u":"mm","v":12.5}]`.
///
/// Base fields `bn`, `bt`, `bu`, `bv` and `bver` apply to the record that has them and to every following record
/// until another record changes them (RFC 8428 §4.5). A record resolves to:
/// - name `bn + n`, either `<station>/<sensor>` with the topic's station, or just `<sensor>`;
/// - time `bt + t` in Unix seconds (fractions allowed), which must be absolute (≥ 2^28): a time relative to
///   "now" would give a redelivered reading another key;
/// - value `bv + v`; `vs`, `vb` and `vd` are not numbers and are rejected;
/// - unit `u`, else `bu`; when given it must be the sensor's unit (no conversion).
///
/// Each record is checked on its own and becomes a reading or a rejection. A base field with a bad value rejects
/// its record and every following record that relies on it, so that no reading is stored under a guessed name or
/// time. Fields ending in `_` (must-understand, RFC 8428 §4.4) are not understood and reject their record; any
/// other unknown field (`s`, `ut`, `bs`, …) is ignored.
extension PayloadDecoder {
    /// The newest SenML version FloodWatch understands (RFC 8428's default `bver`).
    static let senMLVersion: Int64 = 10
    /// Smaller SenML times are relative to now (RFC 8428 §4.5.3).
    static let senMLRelativeTimeLimit: Double = 268_435_456  // 2^28

    func decodeSenMLPack(_ root: JSONValue, station: StationCatalogue.Intake, payloadCount: Int, now: Int64)
        -> DecodedMessage
    {
        let whole = 0..<payloadCount
        func rejectWhole(_ reason: RejectionReason) -> DecodedMessage {
            DecodedMessage(rejections: [Rejection(reason: reason, payloadRange: whole, station: station.id)])
        }
        guard case .array(let records) = root else {
            return rejectWhole(
                .wrongShape(
                    detail: "gauges/\(station.id) takes a SenML pack (a JSON array of records, RFC 8428), got "
                        + "\(root.kindDescription); a single reading goes to gauges/\(station.id)/<sensor>"))
        }
        guard !records.isEmpty else {
            return rejectWhole(.wrongShape(detail: "empty SenML pack: the array holds no records"))
        }
        guard records.count <= limits.maxBacklogReadings else {
            return rejectWhole(.backlogTooLarge(count: records.count, limit: limits.maxBacklogReadings))
        }

        var base = SenMLBase()
        var message = DecodedMessage()
        message.readings.reserveCapacity(records.count)
        for (index, record) in records.enumerated() {
            var sensorName: String? = nil
            let outcome = decodeSenMLRecord(
                record.value, index: index, base: &base, station: station, now: now, sensorName: &sensorName)
            message.append(
                outcome, range: record.range, position: ElementPosition(index: index, count: records.count),
                station: station.id, sensor: sensorName)
        }
        return message
    }

    /// One record; updates `base` with its base fields first, so they carry forward even when the record itself
    /// is rejected for another reason.
    func decodeSenMLRecord(
        _ value: JSONValue, index: Int, base: inout SenMLBase, station: StationCatalogue.Intake, now: Int64,
        sensorName: inout String?
    ) -> Result<Reading, RejectionReason> {
        guard case .object(let members) = value else {
            return .failure(.wrongShape(detail: "a SenML record must be an object, got \(value.kindDescription)"))
        }
        let duplicate = Self.duplicateKey(in: members)
        var fields = SenMLRecordFields()
        for member in members {
            switch member.key {
            case "bn": fields.bn = member.value
            case "bt": fields.bt = member.value
            case "bu": fields.bu = member.value
            case "bv": fields.bv = member.value
            case "bver": fields.bver = member.value
            case "n": fields.n = member.value
            case "t": fields.t = member.value
            case "u": fields.u = member.value
            case "v": fields.v = member.value
            case "vs", "vb", "vd": if fields.otherValue == nil { fields.otherValue = member }
            default:
                if fields.mustUnderstand == nil, member.key.utf8.last == UInt8(ascii: "_") {
                    fields.mustUnderstand = member.key
                }
            }
        }

        // Base fields first: they apply from this record on, whatever else is wrong with it.
        let ownBaseProblem = base.update(with: fields, duplicate: duplicate, record: index)

        if let duplicate { return .failure(.badField(field: duplicate, detail: "appears twice")) }
        if let key = fields.mustUnderstand {
            return .failure(
                .badField(
                    field: key,
                    detail:
                        "is a must-understand SenML field (its name ends in '_') that FloodWatch does not understand"))
        }
        if let ownBaseProblem { return .failure(ownBaseProblem) }
        if let problem = base.version.problem(field: "bver", record: index) { return .failure(problem) }

        // Name: <station>/<sensor> or <sensor>.
        var name: String
        switch base.name {
        case .absent: name = ""
        case .value(let baseName): name = baseName
        case .invalid: return .failure(base.name.problem(field: "bn", record: index)!)
        }
        if let n = fields.n {
            guard case .string(let text) = n else {
                return .failure(.badField(field: "n", detail: "must be a string, got \(n.kindDescription)"))
            }
            name += text
        }
        guard !name.isEmpty else { return .failure(.missingField("n")) }
        let sensorText: Substring
        let utf8 = name.utf8
        if let slash = utf8.firstIndex(of: UInt8(ascii: "/")) {
            let named = name[..<slash]
            sensorText = name[utf8.index(after: slash)...]
            guard !sensorText.utf8.contains(UInt8(ascii: "/")) else {
                return .failure(
                    .badField(
                        field: "n", detail: "name \(RejectionReason.quoted(name)) is not <station>/<sensor> or <sensor>"
                    ))
            }
            guard named == station.id else {
                return .failure(
                    .badField(
                        field: "n",
                        detail:
                            "name \(RejectionReason.quoted(name)) names station \(RejectionReason.quoted(String(named))), "
                            + "but the topic gauges/\(station.id) names station \(RejectionReason.quoted(station.id))"))
            }
            guard !sensorText.isEmpty else {
                return .failure(
                    .badField(
                        field: "n",
                        detail: "name \(RejectionReason.quoted(name)) names no sensor; add one, e.g. \"n\":\"level\""))
            }
        } else {
            sensorText = name[...]
        }
        let sensorID = String(sensorText)
        sensorName = sensorID
        guard let kind = SensorKind(rawValue: sensorID), let sensor = station.sensor(kind) else {
            return .failure(
                .unknownSensor(station: station.id, sensor: sensorID, known: station.sensors.map(\.kind)))
        }

        // Unit: u, else bu; when given, exactly the sensor's.
        var unit: String? = nil
        var unitField = "u"
        if let u = fields.u {
            guard case .string(let text) = u else {
                return .failure(.badField(field: "u", detail: "must be a string, got \(u.kindDescription)"))
            }
            unit = text
        } else {
            switch base.unit {
            case .absent: break
            case .value(let baseUnit):
                unit = baseUnit
                unitField = "bu"
            case .invalid: return .failure(base.unit.problem(field: "bu", record: index)!)
            }
        }
        if let unit, unit != sensor.unit {
            return .failure(
                .badField(
                    field: unitField,
                    detail:
                        "unit \(RejectionReason.quoted(unit)) does not match \(kind.rawValue)'s unit '\(sensor.unit)'"))
        }

        // Time: bt + t, absolute Unix seconds.
        var seconds: Double? = nil
        switch base.time {
        case .absent: break
        case .value(let baseTime): seconds = baseTime
        case .invalid: return .failure(base.time.problem(field: "bt", record: index)!)
        }
        if let t = fields.t {
            guard case .number(let number) = t else {
                return .failure(.badField(field: "t", detail: "must be a number of seconds, got \(t.kindDescription)"))
            }
            let time = number.double
            guard time.isFinite else {
                return .failure(
                    .badTimestamp(
                        detail: "SenML time \"t\" \(RejectionReason.quoted(number.text)) is not a finite number"))
            }
            seconds = (seconds ?? 0) + time
        }
        guard let seconds else { return .failure(.missingField("t")) }
        guard seconds >= Self.senMLRelativeTimeLimit else {
            return .failure(
                .badTimestamp(
                    detail:
                        "SenML time \(RejectionReason.number(seconds)) s (bt + t) is below 2^28, a time relative to "
                        + "now (RFC 8428 §4.5.3); FloodWatch needs absolute Unix seconds so that a redelivered "
                        + "reading is recognised as the same"))
        }
        guard let timestamp = UnixTime.milliseconds(unixSeconds: seconds) else {
            return .failure(
                .badTimestamp(
                    detail: "SenML time \(RejectionReason.number(seconds)) s (bt + t) is too far from 1970 to be a time"
                ))
        }

        // Value: bv + v.
        guard let v = fields.v else {
            if let other = fields.otherValue {
                return .failure(.notANumber(field: other.key, text: Self.text(of: other.value)))
            }
            return .failure(.missingField("v"))
        }
        var number: Double
        switch Self.number(v, field: "v", allowString: false) {
        case .success(let parsed): number = parsed
        case .failure(let reason): return .failure(reason)
        }
        switch base.value {
        case .absent: break
        case .value(let baseValue):
            number += baseValue
            guard number.isFinite else {
                return .failure(
                    .notFinite(field: "v", text: "\(RejectionReason.number(baseValue)) + \(Self.text(of: v))"))
            }
        case .invalid: return .failure(base.value.problem(field: "bv", record: index)!)
        }

        if let problem = check(timestamp: timestamp, value: number, sensor: sensor, now: now) {
            return .failure(problem)
        }
        return .success(Reading(station: station.id, sensor: kind, timestamp: timestamp, value: number))
    }
}

/// The fields of one SenML record that FloodWatch reads.
struct SenMLRecordFields {
    var bn: JSONValue?
    var bt: JSONValue?
    var bu: JSONValue?
    var bv: JSONValue?
    var bver: JSONValue?
    var n: JSONValue?
    var t: JSONValue?
    var u: JSONValue?
    var v: JSONValue?
    /// `vs`, `vb` or `vd`: a value FloodWatch cannot store.
    var otherValue: JSONMember?
    /// The first field whose name ends in `_`.
    var mustUnderstand: String?
}

/// A base field as carried from record to record.
enum SenMLBaseField<Value> {
    case absent
    case value(Value)
    /// Set with a bad value in record `record`; every record relying on it is rejected with `reason`.
    case invalid(RejectionReason, record: Int)

    /// The reason to reject record `record` that relies on this field, if the field is invalid.
    func problem(field: String, record: Int) -> RejectionReason? {
        guard case .invalid(let reason, let origin) = self else { return nil }
        guard origin != record, case .badField(let name, let detail) = reason else { return reason }
        return .badField(field: name, detail: "\(detail) (set in record \(origin + 1), carried forward to this one)")
    }
}

/// The base fields in force at a record of a pack.
struct SenMLBase {
    var name: SenMLBaseField<String> = .absent
    var time: SenMLBaseField<Double> = .absent
    var unit: SenMLBaseField<String> = .absent
    var value: SenMLBaseField<Double> = .absent
    var version: SenMLBaseField<Int64> = .absent

    /// Takes the base fields a record sets; returns the first problem with them.
    mutating func update(with fields: SenMLRecordFields, duplicate: String?, record: Int) -> RejectionReason? {
        var first: RejectionReason? = nil
        func set<Value>(
            _ field: inout SenMLBaseField<Value>, _ key: String, _ json: JSONValue?,
            _ parse: (JSONValue) -> Result<Value, RejectionReason>
        ) {
            guard let json else { return }
            let result = duplicate == key ? .failure(.badField(field: key, detail: "appears twice")) : parse(json)
            switch result {
            case .success(let value):
                field = .value(value)
            case .failure(let reason):
                field = .invalid(reason, record: record)
                if first == nil { first = reason }
            }
        }
        set(&version, "bver", fields.bver) { json in
            guard case .number(let number) = json, let version = number.int64, version >= 1 else {
                return .failure(
                    .badField(
                        field: "bver",
                        detail:
                            "must be a positive integer SenML version, got \(RejectionReason.quoted(PayloadDecoder.text(of: json)))"
                    ))
            }
            guard version <= PayloadDecoder.senMLVersion else {
                return .failure(
                    .badField(
                        field: "bver",
                        detail: "SenML version \(version) is newer than version \(PayloadDecoder.senMLVersion), "
                            + "the one FloodWatch understands"))
            }
            return .success(version)
        }
        set(&name, "bn", fields.bn) { json in
            guard case .string(let text) = json else {
                return .failure(.badField(field: "bn", detail: "must be a string, got \(json.kindDescription)"))
            }
            return .success(text)
        }
        set(&time, "bt", fields.bt) { json in Self.finite(json, field: "bt", what: "a number of Unix seconds") }
        set(&unit, "bu", fields.bu) { json in
            guard case .string(let text) = json else {
                return .failure(.badField(field: "bu", detail: "must be a string, got \(json.kindDescription)"))
            }
            return .success(text)
        }
        set(&value, "bv", fields.bv) { json in Self.finite(json, field: "bv", what: "a number") }
        return first
    }

    private static func finite(_ json: JSONValue, field: String, what: String) -> Result<Double, RejectionReason> {
        guard case .number(let number) = json else {
            return .failure(.badField(field: field, detail: "must be \(what), got \(json.kindDescription)"))
        }
        let double = number.double
        guard double.isFinite else {
            return .failure(
                .badField(
                    field: field, detail: "must be \(what), got \(RejectionReason.quoted(number.text)) (not finite)"))
        }
        return .success(double)
    }
}
