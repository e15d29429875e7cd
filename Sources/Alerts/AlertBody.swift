import Foundation
import Gauges
import Warnings

/// The JSON of a notice, as MQTT alert topics and webhooks carry it. Field names are a public interface,
/// documented in docs/alerts.md ("The notice JSON"); add fields, never rename them.
public struct AlertBody: Encodable, Sendable {
    /// A text in both languages, `{"vi": …, "en": …}` (also the HTTP API's).
    public struct Texts: Encodable, Sendable, Hashable {
        public var vi: String
        public var en: String

        public init(vi: String, en: String) {
            self.vi = vi
            self.en = en
        }
    }

    /// A silent gauge of a grouped notice.
    public struct Member: Encodable, Sendable {
        var warningID: Int64
        var station: String
        var stationName: String?
        var sensor: String
        var event: String
        var level: Int
        var time: String
        var message: Texts
    }

    var noticeID: Int64
    var notice: String
    /// The CAP identifier of the same notice.
    var identifier: String
    var sent: String
    var exercise: Bool
    var title: Texts
    var warningID: Int64?
    var eventID: Int64?
    var station: String?
    var stationName: String?
    var river: String?
    var sensor: String?
    var rule: String?
    var event: String?
    var level: Int?
    var previousLevel: Int?
    var time: String?
    var value: Double?
    var threshold: Double?
    var windowS: Int?
    var projectedTime: String?
    var projectedValue: Double?
    var late: Bool?
    /// The official risk level of Decision 18/2021/QĐ-TTg the event states; absent where there is none.
    var riskLevel: Int?
    /// The commune the event is about (catalogue `areas:`), and its name.
    var area: String?
    var areaName: String?
    var message: Texts?
    var acknowledgedBy: String?
    var note: String?
    var members: [Member]?

    public init(_ notice: Notice, catalogue: StationCatalogue, settings: AlertSettings) {
        noticeID = notice.id
        self.notice = notice.kind.rawValue
        identifier = settings.identifier(notice: notice.id)
        sent = UnixTime.vietnam(notice.createdAt)
        exercise = settings.exercise
        let title = NoticeTitle(notice)
        self.title = Texts(vi: title.vi, en: title.en)
        if let stored = notice.event {
            let event = stored.event
            let station = catalogue[event.station]
            warningID = stored.warningID
            eventID = stored.id
            self.station = event.station
            stationName = station?.name
            river = station?.river
            sensor = event.sensor.rawValue
            rule = event.rule.rawValue
            self.event = event.kind.rawValue
            level = event.level
            previousLevel = notice.previousLevel
            time = UnixTime.vietnam(event.timestamp)
            value = event.value
            threshold = event.threshold
            windowS = event.windowSeconds
            projectedTime = event.projectedTimestamp.map(UnixTime.vietnam)
            projectedValue = event.projectedValue
            late = event.late
            riskLevel = event.riskLevel
            area = event.area
            areaName = event.area.flatMap(catalogue.area)?.fullName
            message = Texts(vi: event.messageVI, en: event.messageEN)
            acknowledgedBy = stored.acknowledgedBy
            note = stored.note
        }
        if notice.kind == .grouped {
            members = notice.members.map { stored in
                Member(
                    warningID: stored.warningID, station: stored.event.station,
                    stationName: catalogue[stored.event.station]?.name, sensor: stored.event.sensor.rawValue,
                    event: stored.event.kind.rawValue, level: stored.event.level,
                    time: UnixTime.vietnam(stored.event.timestamp),
                    message: Texts(vi: stored.event.messageVI, en: stored.event.messageEN))
            }
        }
    }

    /// UTF-8 JSON, keys sorted so the same notice always gives the same bytes (and the same signature).
    public func json() -> [UInt8] {
        Array(try! AlertJSON.encoder.encode(self))  // Encoding plain strings and numbers cannot fail.
    }

    /// What machines receive for a notice (MQTT, webhooks): its JSON, or a bulletin's own JSON.
    public static func payload(_ notice: Notice, catalogue: StationCatalogue, settings: AlertSettings) -> [UInt8] {
        if let bulletin = notice.bulletin { return Array(bulletin.json.utf8) }
        return AlertBody(notice, catalogue: catalogue, settings: settings).json()
    }
}

/// The retained `alerts/<station>` message: every active warning of the station, or an empty list.
public struct StationSummary: Encodable, Sendable {
    struct Warning: Encodable, Sendable {
        var warningID: Int64
        var sensor: String
        var rule: String
        var level: Int
        var riskLevel: Int?
        var since: String
        var updated: String
        var title: AlertBody.Texts
        var message: AlertBody.Texts
        var acknowledgedBy: String?
        var acknowledgedAt: String?
    }

    var station: String
    var stationName: String?
    var river: String?
    var updated: String
    var exercise: Bool
    /// The highest level among the warnings, 0 when none.
    var level: Int
    var warnings: [Warning]

    public init(
        station: String, active: [ActiveWarning], catalogue: StationCatalogue, settings: AlertSettings, now: Int64
    ) {
        self.station = station
        stationName = catalogue[station]?.name
        river = catalogue[station]?.river
        updated = UnixTime.vietnam(now)
        exercise = settings.exercise
        level = active.map(\.latest.event.level).max() ?? 0
        warnings = active.map { warning in
            let event = warning.latest.event
            let title = NoticeTitle.rule(event.rule, level: event.level)
            return Warning(
                warningID: warning.latest.warningID, sensor: event.sensor.rawValue, rule: event.rule.rawValue,
                level: event.level, riskLevel: event.riskLevel, since: UnixTime.vietnam(warning.raisedAt),
                updated: UnixTime.vietnam(event.timestamp),
                title: AlertBody.Texts(vi: title.vi, en: title.en),
                message: AlertBody.Texts(vi: event.messageVI, en: event.messageEN),
                acknowledgedBy: warning.acknowledgedBy, acknowledgedAt: warning.acknowledgedAt.map(UnixTime.vietnam))
        }
    }

    public func json() -> [UInt8] {
        Array(try! AlertJSON.encoder.encode(self))  // Encoding plain strings and numbers cannot fail.
    }
}

/// JSON as FloodWatch writes it for people's systems (alerts, the HTTP API): snake_case keys, sorted, so the same
/// content always gives the same bytes.
public enum AlertJSON {
    public static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
