import Gauges
import Warnings

/// Where a water level stands against the station's official alarm levels (BĐ I–III, Decision 05/2020/QĐ-TTg) and,
/// from BĐ III up, against the flood of record, in the bulletins' words: "trên báo động III 0,26 m, thấp hơn lũ lịch
/// sử năm 2009 1,51 m"; "dưới báo động I 0,65 m".
public struct LevelStanding: Sendable, Hashable {
    /// The alarm level a water level is compared with: the highest it reached, else the lowest known.
    public struct Alarm: Sendable, Hashable {
        /// 1–3 for BĐ I–III.
        public var level: Int
        public var metres: Double
        /// The water level minus the alarm level, in whole centimetres (as metres): above > 0, below < 0.
        public var difference: Double
    }

    /// The flood of record (lũ lịch sử), stated from BĐ III up.
    public struct Record: Sendable, Hashable {
        public var metres: Double
        public var year: Int
        /// The water level minus the record, in whole centimetres (as metres).
        public var difference: Double
    }

    /// Nil when the station has no official alarm level.
    public var alarm: Alarm?
    /// Nil below BĐ III, or when no record is known.
    public var record: Record?

    public init(value: Double, station: Station) {
        let known = station.alarmLevels.known
        let centimetres = NumberFormat.centimetres(value)
        let reached = known.last { centimetres >= NumberFormat.centimetres($0.metres) }
        if let step = reached ?? known.first {
            alarm = Alarm(
                level: step.level, metres: step.metres,
                difference: Double(centimetres - NumberFormat.centimetres(step.metres)) / 100)
        }
        if let third = station.alarmLevels.levelIII, centimetres >= NumberFormat.centimetres(third),
            let record = station.record
        {
            self.record = Record(
                metres: record.level, year: record.year,
                difference: Double(centimetres - NumberFormat.centimetres(record.level)) / 100)
        }
    }

    /// "trên báo động III 0,26 m, thấp hơn lũ lịch sử năm 2009 1,51 m" / "0.26 m above alarm level III, 1.51 m below
    /// the flood of record (2009)"; nil when there is nothing to compare with.
    public var phrase: Phrase? {
        guard let alarm else { return nil }
        return Phrase { language in
            var parts = [Self.words(alarm, language)]
            if let record { parts.append(Self.words(record, language)) }
            return parts.joined(separator: ", ")
        }
    }

    /// "báo động III" / "alarm level III".
    static func alarmName(_ level: Int, _ language: BulletinLanguage) -> String {
        let roman = ["", "I", "II", "III"]
        let numeral = level >= 1 && level <= 3 ? roman[level] : String(level)
        return (language == .vietnamese ? "báo động " : "alarm level ") + numeral
    }

    private static func words(_ alarm: Alarm, _ language: BulletinLanguage) -> String {
        let name = alarmName(alarm.level, language)
        let amount = NumberFormat.metres(alarm.difference.magnitude, language) + " m"
        switch (alarm.difference, language) {
        case (0, .vietnamese): return "bằng " + name
        case (0, .english): return "at " + name
        case (..<0, .vietnamese): return "dưới " + name + " " + amount
        case (..<0, .english): return amount + " below " + name
        case (_, .vietnamese): return "trên " + name + " " + amount
        case (_, .english): return amount + " above " + name
        }
    }

    private static func words(_ record: Record, _ language: BulletinLanguage) -> String {
        let year = String(record.year)
        let amount = NumberFormat.metres(record.difference.magnitude, language) + " m"
        switch (record.difference, language) {
        case (0, .vietnamese): return "bằng lũ lịch sử năm " + year
        case (0, .english): return "at the flood of record (" + year + ")"
        case (..<0, .vietnamese): return "thấp hơn lũ lịch sử năm " + year + " " + amount
        case (..<0, .english): return amount + " below the flood of record (" + year + ")"
        case (_, .vietnamese): return "trên lũ lịch sử năm " + year + " " + amount
        case (_, .english): return amount + " above the flood of record (" + year + ")"
        }
    }
}
