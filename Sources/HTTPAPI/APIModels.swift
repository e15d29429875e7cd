import Alerts
import Gauges
import Storage
import Warnings

/// The JSON shapes of the API, as `openapi.yaml` describes them.
enum APIModels {
    typealias Texts = AlertBody.Texts

    struct Latest: Encodable {
        var time: String
        var value: Double
        var quality: Int
        /// Level only: the change over the last hour, m/h; nil without a reading an hour older.
        var trendMPerH: Double?

        enum CodingKeys: String, CodingKey {
            case time, value, quality
            case trendMPerH = "trend_m_per_h"
        }
    }

    struct Record: Encodable {
        var level: Double
        var year: Int
    }

    struct Station: Encodable {
        var id: String
        var name: String
        /// `gauge` or `reservoir`.
        var kind: String
        var river: String
        var basin: String?
        var lat: Double
        var lon: Double
        var approximate: Bool
        /// The commune it stands in (an area id).
        var area: String?
        var sensors: [String]
        var alarmLevels: [String: Double]
        var record: Record?
        var reservoir: ReservoirFigures?
        var latest: [String: Latest]
        var alarmLevel: Int
        var warningLevel: Int
        /// The highest official risk level its active warnings state; nil when none states one. The page colours by
        /// this alone: a rule's level is never shown as a risk level.
        var riskLevel: Int?
        var warnings: [WarningEvent]
    }

    struct ReservoirFigures: Encodable {
        var normalLevel: Double?
        var downstream: [String]
    }

    /// A commune or ward of `GET /api/areas`, with the official risk level its active warnings state.
    struct Area: Encodable {
        var id: String
        var name: String
        /// `xã`, `phường` or `thị trấn`.
        var kind: String
        var fullName: String
        var formerly: [String]
        var lat: Double?
        var lon: Double?
        var approximate: Bool
        /// [[lat, lon], …], when the catalogue gives one.
        var boundary: [[Double]]?
        var landslideRisk: String?
        var riskLevel: Int?
        /// The active warnings about it (any rule), by warning id.
        var warnings: [Int64]
    }

    struct WarningEvent: Encodable {
        var id: Int64
        var warningID: Int64
        var station: String
        var sensor: String
        var rule: String
        var event: String
        var level: Int
        var time: String
        var value: Double?
        var threshold: Double?
        var projectedTime: String?
        var late: Bool
        var riskLevel: Int?
        var area: String?
        var message: Texts
        var title: Texts
        var acknowledgedBy: String?
        var acknowledgedAt: String?
        var acknowledgedFrom: String?
        var note: String?

        enum CodingKeys: String, CodingKey {
            case id, station, sensor, rule, event, level, time, value, threshold, late, message, title, note, area
            case warningID = "warning_id"
            case riskLevel = "risk_level"
            case projectedTime = "projected_time"
            case acknowledgedBy = "acknowledged_by"
            case acknowledgedAt = "acknowledged_at"
            case acknowledgedFrom = "acknowledged_from"
        }

        init(_ stored: StoredWarningEvent, acknowledgedBy: String? = nil, acknowledgedAt: Int64? = nil) {
            let event = stored.event
            id = stored.id
            warningID = stored.warningID
            station = event.station
            sensor = event.sensor.rawValue
            rule = event.rule.rawValue
            self.event = event.kind.rawValue
            level = event.level
            time = UnixTime.vietnam(event.timestamp)
            value = event.value
            threshold = event.threshold
            projectedTime = event.projectedTimestamp.map(UnixTime.vietnam)
            late = event.late
            riskLevel = event.riskLevel
            area = event.area
            message = Texts(vi: event.messageVI, en: event.messageEN)
            let title = NoticeTitle.rule(event.rule, level: event.level)
            self.title = Texts(vi: title.vi, en: title.en)
            if event.kind == .acknowledged {
                self.acknowledgedBy = stored.acknowledgedBy
                self.acknowledgedAt = UnixTime.vietnam(stored.createdAt)
                self.acknowledgedFrom = stored.acknowledgedFrom
            } else {
                self.acknowledgedBy = acknowledgedBy
                self.acknowledgedAt = acknowledgedAt.map(UnixTime.vietnam)
            }
            note = stored.note
        }

        init(_ active: ActiveWarning) {
            self.init(active.latest, acknowledgedBy: active.acknowledgedBy, acknowledgedAt: active.acknowledgedAt)
        }
    }

    /// A raw reading of a readings answer. Written by `ReadingsJSON`, the one encoding of readings.
    struct Point {
        var time: String
        var value: Double
        var quality: Int
    }

    /// A bucket of a readings answer. Written by `ReadingsJSON`.
    struct Bucket {
        var time: String
        var count: Int
        var min: Double
        var max: Double
        var mean: Double?
        var last: Double?
        var sum: Double?
    }

    /// The answer of `GET /api/stations/{id}/readings`. Written by `ReadingsJSON`.
    struct Readings {
        var station: String
        var sensor: String
        var unit: String
        var from: String
        var to: String
        var step: String?
        var points: [Point]?
        var buckets: [Bucket]?
    }
}
