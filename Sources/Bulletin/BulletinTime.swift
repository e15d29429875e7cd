import Gauges
import Warnings

/// A time as the bulletin writes it: Vietnam time (Asia/Ho_Chi_Minh, UTC+7, no daylight saving), to the minute.
struct BulletinTime: Sendable, Hashable {
    var year: Int
    var month: Int
    var day: Int
    var hour: Int
    var minute: Int

    /// - Parameter milliseconds: Unix epoch milliseconds, UTC. Seconds are dropped: 08:00:40 is 08:00.
    init(_ milliseconds: Int64) {
        let local = milliseconds + Int64(UnixTime.vietnamOffsetSeconds) * 1000
        let (minutes, _) = Self.floorDivide(local, 60_000)
        let (days, minuteOfDay) = Self.floorDivide(minutes, 1440)
        let date = UnixTime.civil(days: Int(days))
        year = date.year
        month = date.month
        day = date.day
        hour = Int(minuteOfDay) / 60
        minute = Int(minuteOfDay) % 60
    }

    /// `15:00`.
    var clock: String { Self.pad(hour) + ":" + Self.pad(minute) }

    /// "lúc 15:00 ngày 03/12/2022" / "at 15:00 on 3 Dec 2022": the time a bulletin is stated at.
    func full(_ language: BulletinLanguage) -> String {
        switch language {
        case .vietnamese: "lúc " + clock + " ngày " + Self.pad(day) + "/" + Self.pad(month) + "/" + String(year)
        case .english: "at " + clock + " on " + String(day) + " " + Self.months[month - 1] + " " + String(year)
        }
    }

    /// "lúc 21:00 ngày 28/10" / "at 21:00 on 28 Oct", with the year when it is not the year of `reference`.
    func short(_ language: BulletinLanguage, reference: BulletinTime) -> String {
        let year = year == reference.year ? "" : (language == .vietnamese ? "/" : " ") + String(self.year)
        switch language {
        case .vietnamese: return "lúc " + clock + " ngày " + Self.pad(day) + "/" + Self.pad(month) + year
        case .english: return "at " + clock + " on " + String(day) + " " + Self.months[month - 1] + year
        }
    }

    /// "21:00 28/10" for a table cell, with the year when it is not the year of `reference`.
    func compact(reference: BulletinTime) -> String {
        clock + " " + Self.pad(day) + "/" + Self.pad(month) + (year == reference.year ? "" : "/" + String(year))
    }

    /// "28/10/2020 21:00": the local text next to a JSON time.
    var numeric: String {
        Self.pad(day) + "/" + Self.pad(month) + "/" + String(year) + " " + clock
    }

    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    private static func pad(_ value: Int) -> String {
        value < 10 ? "0" + String(value) : String(value)
    }

    /// Quotient rounded down and a remainder in `0..<divisor`, for times before 1970 as after.
    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
        let (quotient, remainder) = value.quotientAndRemainder(dividingBy: divisor)
        return remainder < 0 ? (quotient - 1, remainder + divisor) : (quotient, remainder)
    }
}
