import Gauges

/// Whether a sensor reported recently at the bulletin's time.
public enum ReadingStatus: String, Sendable, Hashable, CaseIterable {
    /// Its latest reading is within the sensor's silence limit before T.
    case current
    /// It has readings, none within the silence limit: "không có số liệu từ …" (no reading since …).
    case stale
    /// No reading at or before T at all.
    case none

    /// The status of a sensor whose latest reading at or before `time` is `latest`: stale after the limit of the
    /// station's silent-gauge rule (max(3 × the interval, 30 min) by default), the silence after which FloodWatch
    /// itself warns that a gauge went quiet.
    init(latest: Observation?, at time: Int64, station: Station, sensor: SensorKind) {
        guard let latest else {
            self = .none
            return
        }
        let interval = station.sensor(sensor)?.interval ?? 300
        let limit = Int64(station.rules.silent.limit(interval: interval)) * 1000
        self = time - latest.time > limit ? .stale : .current
    }

    /// "không có số liệu từ lúc 05:00 ngày 11/10" / "no reading since 05:00 on 11 Oct", or "không có số liệu" / "no
    /// reading" when there was never one.
    static func missing(since: Int64?, reference: BulletinTime) -> Phrase {
        guard let since else { return Phrase(vi: "không có số liệu", en: "no reading") }
        let at = BulletinTime(since)
        return Phrase { language in
            let time = at.short(language, reference: reference)
            return language == .vietnamese
                ? "không có số liệu từ " + time.dropFirst("lúc ".count)
                : "no reading since " + time.dropFirst("at ".count)
        }
    }
}
