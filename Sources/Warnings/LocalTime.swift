import Gauges

/// A time as people in the basin read it: Vietnam time (UTC+7, no daylight saving), to the minute.
struct LocalTime: Sendable, Hashable {
    var year: Int
    var month: Int
    var day: Int
    var hour: Int
    var minute: Int

    /// - Parameter milliseconds: Unix epoch milliseconds, UTC. Seconds are dropped, not rounded: a reading of
    ///   08:00:40 is shown as 08:00, the minute it belongs to.
    init(_ milliseconds: Int64) {
        let local = milliseconds + Int64(UnixTime.vietnamOffsetSeconds) * 1000
        let minutes = local.floorDivided(by: 60_000)
        let days = minutes.floorDivided(by: 1440)
        let minuteOfDay = Int(minutes - days * 1440)
        let date = UnixTime.civil(days: Int(days))
        year = date.year
        month = date.month
        day = date.day
        hour = minuteOfDay / 60
        minute = minuteOfDay % 60
    }

    /// `08:00`.
    var clock: String { Self.pad(hour) + ":" + Self.pad(minute) }

    /// `11/10` in Vietnamese, `11 Oct` in English.
    func date(_ language: Language) -> String {
        switch language {
        case .vietnamese: Self.pad(day) + "/" + Self.pad(month)
        case .english: String(day) + " " + Self.monthAbbreviations[month - 1]
        }
    }

    /// `08:00 ngày 11/10` or `08:00 on 11 Oct`, as bulletins write a time ("lúc 21 giờ ngày 28/10"): the caller
    /// puts "lúc" / "at", "đến" / "to" or "từ" / "since" before it, never the time itself, so no message can say
    /// "lúc lúc".
    func text(_ language: Language) -> String {
        switch language {
        case .vietnamese: clock + " ngày " + date(language)
        case .english: clock + " on " + date(language)
        }
    }

    /// The clock alone when `other` falls on the same day, else with the date: the second time of a message.
    func text(_ language: Language, sameDayAs other: LocalTime) -> String {
        (year, month, day) == (other.year, other.month, other.day) ? clock : text(language)
    }

    static let monthAbbreviations = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]

    private static func pad(_ value: Int) -> String {
        value < 10 ? "0" + String(value) : String(value)
    }
}

extension Int64 {
    /// Division rounding towards minus infinity, for times before 1970 as after.
    func floorDivided(by divisor: Int64) -> Int64 {
        self >= 0 ? self / divisor : (self - divisor + 1) / divisor
    }
}
