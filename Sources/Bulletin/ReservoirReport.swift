import Gauges
import Warnings

/// A reservoir in the bulletin: its water level, inflow and outflow (release: turbines and spillway), the latest of
/// each at or before T.
public struct ReservoirReport: Sendable, Hashable {
    /// One quantity the reservoir reports.
    public struct Figure: Sendable, Hashable {
        public var sensor: SensorKind
        public var latest: Observation?
        public var status: ReadingStatus

        public init(sensor: SensorKind, latest: Observation?, status: ReadingStatus) {
            self.sensor = sensor
            self.latest = latest
            self.status = status
        }
    }

    public var station: String
    public var name: String
    public var river: String
    /// The normal water level (mực nước dâng bình thường), metres above sea level, where public.
    public var normalLevel: Double?
    /// Level, inflow and outflow, those of them the station reports, in that order.
    public var figures: [Figure]
    /// "Hồ Sông Tranh 2: mực nước hồ 172,30 m (dưới mực nước dâng bình thường 175,00 m 2,70 m), lưu lượng đến hồ
    /// 562 m³/s, lưu lượng xả 106 m³/s (lúc 11:00 ngày 21/11)".
    public var sentence: Phrase

    /// - Parameter latest: the latest good reading at or before `time` of each sensor.
    public init(station: Station, latest: [SensorKind: Observation], at time: Int64) {
        self.station = station.id
        name = station.name
        river = station.river
        normalLevel = station.reservoir?.normalLevel
        figures = [SensorKind.level, .inflow, .outflow].filter { station.sensor($0) != nil }.map { sensor in
            Figure(
                sensor: sensor, latest: latest[sensor],
                status: ReadingStatus(latest: latest[sensor], at: time, station: station, sensor: sensor))
        }
        let reference = BulletinTime(time)
        let (name, figures, normal) = (station.name, figures, normalLevel)
        // One time at the end when every current figure is from the same reading time, else each its own.
        let times = Set(figures.filter { $0.status == .current }.compactMap { $0.latest?.time })
        sentence = Phrase { language in
            let parts = figures.map { figure in
                let label = Self.label(figure.sensor)[language]
                guard let latest = figure.latest, figure.status == .current else {
                    var text =
                        label + ": "
                        + ReadingStatus.missing(since: figure.latest?.time, reference: reference)[
                            language]
                    if let latest = figure.latest {
                        text +=
                            " (" + (language == .vietnamese ? "lần cuối " : "last ")
                            + Self.amount(figure.sensor, latest.value, language) + ")"
                    }
                    return text
                }
                var text = label + " " + Self.amount(figure.sensor, latest.value, language)
                if figure.sensor == .level, let normal {
                    text += " (" + Self.relation(latest.value, normal: normal, language) + ")"
                }
                if times.count > 1 { text += " " + BulletinTime(latest.time).short(language, reference: reference) }
                return text
            }
            var text = name + ": " + parts.joined(separator: ", ")
            if times.count == 1, let only = times.first {
                text += " (" + BulletinTime(only).short(language, reference: reference) + ")"
            }
            return text
        }
    }

    /// "mực nước hồ" / "reservoir level", "lưu lượng đến hồ" / "inflow", "lưu lượng xả" / "outflow".
    static func label(_ sensor: SensorKind) -> Phrase {
        switch sensor {
        case .level: Phrase(vi: "mực nước hồ", en: "reservoir level")
        case .inflow: Phrase(vi: "lưu lượng đến hồ", en: "inflow")
        case .outflow: Phrase(vi: "lưu lượng xả", en: "outflow")
        case .rain: Phrase(vi: "mưa", en: "rain")
        }
    }

    static func amount(_ sensor: SensorKind, _ value: Double, _ language: BulletinLanguage) -> String {
        switch sensor {
        case .level: NumberFormat.metres(value, language) + " m"
        case .inflow, .outflow: NumberFormat.flow(value, language) + " m³/s"
        case .rain: NumberFormat.millimetres(value, language) + " mm"
        }
    }

    /// "dưới mực nước dâng bình thường 175,00 m 2,70 m" / "2.70 m below the normal water level, 175.00 m".
    static func relation(_ level: Double, normal: Double, _ language: BulletinLanguage) -> String {
        let difference = NumberFormat.centimetres(level) - NumberFormat.centimetres(normal)
        let gap = NumberFormat.metres(Double(difference.magnitude) / 100, language) + " m"
        let reference =
            (language == .vietnamese ? "mực nước dâng bình thường " : "the normal water level, ")
            + NumberFormat.metres(normal, language) + " m"
        switch (difference, language) {
        case (0, .vietnamese): return "bằng " + reference
        case (0, .english): return "at " + reference
        case (..<0, .vietnamese): return "dưới " + reference + " " + gap
        case (..<0, .english): return gap + " below " + reference
        case (_, .vietnamese): return "trên " + reference + " " + gap
        case (_, .english): return gap + " above " + reference
        }
    }
}
