import Alerts
import Foundation
import Gauges

/// The bulletin as JSON, for webhooks and MQTT (`alerts/bulletin`): snake_case keys, sorted, the same bytes for the
/// same bulletin. Every time is `{"utc": RFC 3339 UTC, "local": "dd/mm/yyyy hh:mm"}` in Vietnam time; every text
/// `{"vi": …, "en": …}`. The fields are documented in docs/http-api.md ("The bulletin").
extension Bulletin {
    /// The JSON document, UTF-8.
    public func json() -> Data {
        // Encoding strings, numbers and optionals cannot fail.
        try! AlertJSON.encoder.encode(BulletinDocument(self))
    }

    /// The JSON document as text.
    public func jsonText() -> String {
        String(decoding: json(), as: UTF8.self)
    }
}

/// The JSON shape of a bulletin, kept apart from the value type so that the field names stay as documented.
struct BulletinDocument: Encodable {
    struct Time: Encodable {
        var utc: String
        var local: String

        init(_ milliseconds: Int64) {
            utc = UnixTime.rfc3339(milliseconds / 1000 * 1000)
            local = BulletinTime(milliseconds).numeric
        }
    }

    struct Text: Encodable {
        var vi: String
        var en: String

        init(_ phrase: Phrase) {
            vi = phrase.vi
            en = phrase.en
        }
    }

    struct Standing: Encodable {
        var alarmLevel: Int?
        var alarmM: Double?
        var alarmDifferenceM: Double?
        var recordM: Double?
        var recordYear: Int?
        var recordDifferenceM: Double?

        init?(_ standing: LevelStanding?) {
            guard let standing, standing.alarm != nil || standing.record != nil else { return nil }
            alarmLevel = standing.alarm?.level
            alarmM = standing.alarm?.metres
            alarmDifferenceM = standing.alarm?.difference
            recordM = standing.record?.metres
            recordYear = standing.record?.year
            recordDifferenceM = standing.record?.difference
        }
    }

    struct Level: Encodable {
        var station: String
        var name: String
        var river: String
        var status: String
        var valueM: Double?
        var time: Time?
        var standing: Standing?
        var trend: String?
        var trendMPerH: Double?
        var text: Text
    }

    struct Crest: Encodable {
        var station: String
        var name: String
        var river: String
        var warningId: Int64
        var valueM: Double
        var time: Time?
        var toldAt: Time
        var standing: Standing?
        var text: Text
    }

    struct RainTotal: Encodable {
        var hours: Int
        var mm: Double
        var readings: Int
    }

    struct Rain: Encodable {
        var station: String
        var name: String
        var area: String?
        var areaName: Text?
        var status: String
        var lastReading: Time?
        var totals: [RainTotal]
        var text: Text
    }

    struct Figure: Encodable {
        var sensor: String
        var unit: String
        var status: String
        var value: Double?
        var time: Time?
    }

    struct Reservoir: Encodable {
        var station: String
        var name: String
        var river: String
        var normalLevelM: Double?
        var figures: [Figure]
        var text: Text
    }

    struct Warning: Encodable {
        var warningId: Int64
        var station: String
        var name: String
        var sensor: String
        var rule: String
        var level: Int
        var raisedAt: Time
        var updatedAt: Time
        var riskLevel: Int?
        var area: String?
        var acknowledgedBy: String?
        var text: Text
    }

    struct Risk: Encodable {
        var place: String
        var placeName: Text
        var hazard: String
        var riskLevel: Int
        var colour: Text
        var swatch: String
        var warnings: [Int64]
        var stations: [String]
        var text: Text
    }

    struct Estimate: Encodable {
        var warningId: Int64
        var station: String
        var name: String
        var river: String
        var targetAlarmLevel: Int
        var targetM: Double?
        var around: Time?
        var fromValueM: Double?
        var fromTime: Time?
        var riskLevelIfReached: Int?
        var text: Text
    }

    var format = "floodwatch-bulletin"
    var version = 1
    var time: Time
    var title: Text
    var timeText: Text
    var activeWarnings: Bool
    var exercise: Bool
    var levels: [Level]
    var crests: [Crest]
    var rain: [Rain]
    var reservoirs: [Reservoir]
    var warnings: [Warning]
    var riskLevels: [Risk]
    var outlook: [Estimate]
    var outlookNote: Text

    init(_ bulletin: Bulletin) {
        time = Time(bulletin.time)
        title = Text(bulletin.title)
        timeText = Text(bulletin.timeText)
        activeWarnings = bulletin.hasActiveWarnings
        exercise = bulletin.exercise
        levels = bulletin.levels.map { level in
            Level(
                station: level.station, name: level.name, river: level.river, status: level.status.rawValue,
                valueM: level.reading?.value, time: level.reading.map { Time($0.time) },
                standing: Standing(level.standing), trend: level.trend?.direction.rawValue,
                trendMPerH: level.trend.map { ($0.metresPerHour * 1000).rounded() / 1000 }, text: Text(level.sentence))
        }
        crests = bulletin.crests.map { crest in
            Crest(
                station: crest.station, name: crest.name, river: crest.river, warningId: crest.warningID,
                valueM: crest.value, time: crest.time.map(Time.init), toldAt: Time(crest.toldAt),
                standing: Standing(crest.standing), text: Text(crest.sentence))
        }
        rain = bulletin.rain.map { rain in
            Rain(
                station: rain.station, name: rain.name, area: rain.area, areaName: rain.areaName.map(Text.init),
                status: rain.status.rawValue, lastReading: rain.latest.map { Time($0.time) },
                totals: rain.totals.map {
                    RainTotal(hours: $0.hours, mm: ($0.millimetres * 10).rounded() / 10, readings: $0.readings)
                }, text: Text(rain.sentence))
        }
        reservoirs = bulletin.reservoirs.map { reservoir in
            Reservoir(
                station: reservoir.station, name: reservoir.name, river: reservoir.river,
                normalLevelM: reservoir.normalLevel,
                figures: reservoir.figures.map {
                    Figure(
                        sensor: $0.sensor.rawValue, unit: $0.sensor.unit, status: $0.status.rawValue,
                        value: $0.latest?.value, time: $0.latest.map { Time($0.time) })
                }, text: Text(reservoir.sentence))
        }
        warnings = bulletin.warnings.map { warning in
            Warning(
                warningId: warning.warningID, station: warning.station, name: warning.name,
                sensor: warning.sensor.rawValue, rule: warning.rule.rawValue, level: warning.level,
                raisedAt: Time(warning.raisedAt), updatedAt: Time(warning.updatedAt), riskLevel: warning.riskLevel,
                area: warning.area, acknowledgedBy: warning.acknowledgedBy, text: Text(warning.message))
        }
        riskLevels = bulletin.riskLevels.map { risk in
            Risk(
                place: risk.place, placeName: Text(risk.placeName), hazard: risk.hazard.rawValue,
                riskLevel: risk.level.level, colour: Text(risk.level.colour), swatch: risk.level.swatch,
                warnings: risk.warnings, stations: risk.stations, text: Text(risk.sentence))
        }
        outlook = bulletin.outlook.map { estimate in
            Estimate(
                warningId: estimate.warningID, station: estimate.station, name: estimate.name, river: estimate.river,
                targetAlarmLevel: estimate.target, targetM: estimate.targetMetres,
                around: estimate.around.map(Time.init),
                fromValueM: estimate.from?.value, fromTime: estimate.from.map { Time($0.time) },
                riskLevelIfReached: estimate.riskLevelIfReached, text: Text(estimate.sentence))
        }
        outlookNote = Text(Bulletin.estimateCaveat)
    }
}
