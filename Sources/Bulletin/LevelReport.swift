import Gauges
import Warnings

/// A water-level station in the bulletin: its latest level at or before T with its time, where it stands against the
/// alarm levels and the flood of record, and its trend over the last hour.
public struct LevelReport: Sendable, Hashable {
    public var station: String
    public var name: String
    public var river: String
    /// The latest good reading at or before T; nil when there is none.
    public var reading: Observation?
    public var status: ReadingStatus
    public var standing: LevelStanding?
    /// Nil when the status is not current, or no reading an hour or so older is stored.
    public var trend: Trend?
    /// "Ái Nghĩa 9,26 m, trên báo động III 0,26 m, thấp hơn lũ lịch sử năm 2009 1,51 m, đang lên (lúc 21:00 ngày
    /// 28/10)"; "Nông Sơn: không có số liệu từ 05:00 ngày 11/10 (lần cuối 15,43 m, …)".
    public var sentence: Phrase

    /// - Parameters:
    ///   - latest: the latest good reading at or before `time`.
    ///   - hourBefore: the latest good reading at least an hour older than `latest`.
    public init(station: Station, latest: Observation?, hourBefore: Observation?, at time: Int64) {
        self.station = station.id
        name = station.name
        river = station.river
        reading = latest
        status = ReadingStatus(latest: latest, at: time, station: station, sensor: .level)
        standing = latest.map { LevelStanding(value: $0.value, station: station) }
        trend = status == .current ? latest.flatMap { Trend(newest: $0, hourBefore: hourBefore) } : nil
        let reference = BulletinTime(time)
        let (name, standing, trend, status) = (station.name, standing, trend, status)
        sentence = Phrase { language in
            guard let latest else {
                return name + ": " + ReadingStatus.missing(since: nil, reference: reference)[language]
            }
            var figures = [NumberFormat.metres(latest.value, language) + " m"]
            if let standing = standing?.phrase { figures.append(standing[language]) }
            if status == .stale {
                return name + ": " + ReadingStatus.missing(since: latest.time, reference: reference)[language] + " ("
                    + (language == .vietnamese ? "lần cuối " : "last ") + figures.joined(separator: ", ") + ")"
            }
            if let trend { figures.append(trend.phrase[language]) }
            return name + " " + figures.joined(separator: ", ") + " ("
                + BulletinTime(latest.time).short(language, reference: reference) + ")"
        }
    }
}
