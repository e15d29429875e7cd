/// The official flood alarm levels of a hydrological station (báo động, BĐ I / II / III),
/// Decision 05/2020/QĐ-TTg, in metres above the station datum.
///
/// A level no official source gives is `nil`: FloodWatch never invents one, and a station with a
/// missing level simply has no rule for it.
public struct AlarmLevels: Sendable, Hashable {
    /// BĐ I: flood inside the channel.
    public var levelI: Double?
    /// BĐ II: flooding begins.
    public var levelII: Double?
    /// BĐ III: serious flooding, danger to life.
    public var levelIII: Double?

    public init(levelI: Double? = nil, levelII: Double? = nil, levelIII: Double? = nil) {
        self.levelI = levelI
        self.levelII = levelII
        self.levelIII = levelIII
    }

    /// The known levels as (number, metres), lowest first.
    public var known: [(level: Int, metres: Double)] {
        [(1, levelI), (2, levelII), (3, levelIII)].compactMap { entry in
            entry.1.map { (entry.0, $0) }
        }
    }

    public var isEmpty: Bool { known.isEmpty }
}

/// The highest flood on record at a station (lũ lịch sử).
public struct FloodRecord: Sendable, Hashable {
    public var level: Double
    public var year: Int

    public init(level: Double, year: Int) {
        self.level = level
        self.year = year
    }
}
