import Foundation
import Gauges
import Warnings

/// The retained `alerts/area/<area>` message: every active warning that concerns a commune (its gauges, the
/// landslide risk named for it, the releases of reservoirs upstream), or an empty list.
public struct AreaSummary: Encodable, Sendable {
    struct Warning: Encodable, Sendable {
        var warningID: Int64
        var station: String
        var stationName: String?
        var sensor: String
        var rule: String
        var level: Int
        var riskLevel: Int?
        var since: String
        var updated: String
        var title: AlertBody.Texts
        var message: AlertBody.Texts
        var acknowledgedBy: String?
    }

    var area: String
    /// "xã Trà Liên".
    var areaName: String?
    var updated: String
    var exercise: Bool
    /// The highest warning level among the warnings, 0 when none.
    var level: Int
    /// The highest official risk level (Decision 18/2021/QĐ-TTg) the warnings state; absent when none states one.
    var riskLevel: Int?
    var warnings: [Warning]

    /// - Parameter active: every active warning; those that do not concern the area are left out.
    public init(
        area: String, active: [ActiveWarning], catalogue: StationCatalogue, settings: AlertSettings, now: Int64
    ) {
        self.area = area
        areaName = catalogue.area(area)?.fullName
        updated = UnixTime.vietnam(now)
        exercise = settings.exercise
        let mine = active.filter { $0.latest.event.areas(in: catalogue).contains(area) }
        level = mine.map(\.latest.event.level).max() ?? 0
        riskLevel = mine.compactMap(\.latest.event.riskLevel).max()
        warnings = mine.map { warning in
            let event = warning.latest.event
            let title = NoticeTitle.rule(event.rule, level: event.level)
            return Warning(
                warningID: warning.latest.warningID, station: event.station,
                stationName: catalogue[event.station]?.name,
                sensor: event.sensor.rawValue, rule: event.rule.rawValue, level: event.level,
                riskLevel: event.riskLevel, since: UnixTime.vietnam(warning.raisedAt),
                updated: UnixTime.vietnam(event.timestamp), title: AlertBody.Texts(vi: title.vi, en: title.en),
                message: AlertBody.Texts(vi: event.messageVI, en: event.messageEN),
                acknowledgedBy: warning.acknowledgedBy)
        }
    }

    public func json() -> [UInt8] {
        Array(try! AlertJSON.encoder.encode(self))  // Encoding plain strings and numbers cannot fail.
    }
}
