/// The official natural-disaster risk levels (cấp độ rủi ro thiên tai, 1–5) of Decision 18/2021/QĐ-TTg that
/// FloodWatch states with its warnings: Article 45 (floods, by the band the water stands in at a hydrological
/// station of a zone) and Article 46 (flash floods and landslides, by 24-hour rain, days of prior rain and the
/// area's risk zone).
///
/// The rows are the Decision's text transcribed as data (`Sources/Catalogue/Resources/decision-18-2021/`), each
/// citing its article, clause and point. Where the text could not be sourced a row says so (`partial`,
/// `notFound`) and is never filled in by guess: a case only such a row could decide has an undetermined level.
public struct RiskTables: Sendable, Hashable {
    public var article45: [FloodRiskRow]
    public var article46: [LandslideRiskRow]

    public init(article45: [FloodRiskRow] = [], article46: [LandslideRiskRow] = []) {
        self.article45 = article45
        self.article46 = article46
    }

    /// No rows: no risk level is ever stated (catalogues built in code, tests of other rules).
    public static let none = RiskTables()

    /// Article 46: the risk level of flash floods and landslides for 24-hour rain `rain24h` (mm) after
    /// `priorRainDays` days of rain, in an area of risk zone `risk` in a province of zone `zone` (khu vực).
    public func landslide(rain24h: Double, priorRainDays: Int, zone: Int, risk: Area.LandslideRisk)
        -> RiskAssessment
    {
        // Below every band of level 1, the lowest level, no level applies: the higher levels' bands lie above it.
        let levelOne = article46.filter { $0.status == .complete && $0.riskLevel == 1 }
        if let rain = levelOne.compactMap({ $0.rain24h?.minimum }).min(), rain24h < rain { return .none }
        if let days = levelOne.compactMap({ $0.priorRainDays?.minimum }).min(), Double(priorRainDays) < days {
            return .none
        }
        return RiskAssessment.judge(
            article46.map { row in
                (row.status, row.riskLevel, row.citation, row.match(rain24h, priorRainDays, zone, risk))
            })
    }

    /// Article 45: the risk level of a flood whose water stands at `level` (m, station datum) at a hydrological
    /// station of zone `zone` (khu vực) with these alarm levels, for a flood on one river basin.
    public func flood(level: Double, alarmLevels: AlarmLevels, zone: Int) -> RiskAssessment {
        // Below every band of level 1 that this station's alarm levels place, no level applies.
        let levelOne = article45.filter { $0.status == .complete && $0.riskLevel == 1 }
        let floors = levelOne.map { $0.lower?.level(alarmLevels) }
        if !floors.isEmpty, !floors.contains(nil), let floor = floors.compactMap({ $0 }).min(), level < floor {
            return .none
        }
        return RiskAssessment.judge(
            article45.map { row in
                (row.status, row.riskLevel, row.citation, row.match(level, alarmLevels, zone))
            })
    }
}

/// What a table says of one case.
public enum RiskAssessment: Sendable, Hashable {
    /// No row applies: below every band of the article.
    case none
    /// The level of the complete row that applies.
    case level(Int, Citation)
    /// Only a row whose text was not found in full could apply: the level cannot be stated.
    case undetermined

    /// The level, when stated.
    public var level: Int? {
        if case .level(let level, _) = self { level } else { nil }
    }

    /// A complete row that applies decides (the Decision gives each case one level; the highest if the data
    /// held two); else a row not found in full that may apply leaves it undetermined; else none applies.
    static func judge(_ rows: [(status: RowStatus, level: Int?, citation: Citation, match: Match)]) -> RiskAssessment {
        var best: (level: Int, citation: Citation)?
        for row in rows where row.status == .complete && row.match == .yes {
            guard let level = row.level else { continue }
            if best == nil || level > best!.level { best = (level, row.citation) }
        }
        if let best { return .level(best.level, best.citation) }
        return rows.contains { $0.match != .no } ? .undetermined : .none
    }
}

/// Whether a row applies to a case: yes, no, or maybe (a condition of the row is unknown).
enum Match: Sendable, Hashable {
    case yes, no, maybe

    /// All conditions together: no if any is no, else maybe if any is maybe.
    static func all(_ matches: [Match]) -> Match {
        if matches.contains(.no) { return .no }
        return matches.contains(.maybe) ? .maybe : .yes
    }
}

/// How much of a row's text was found.
public enum RowStatus: String, Sendable, Hashable, CaseIterable {
    case complete
    /// The text is cut off in every copy found: some conditions are unknown.
    case partial
    /// Nothing of the row's conditions was found; it stands for text known to exist (or possibly existing).
    case notFound = "not_found"
}

/// Where a row comes from: "Điều 46 khoản 1 điểm a", with the Vietnamese text it transcribes.
public struct Citation: Sendable, Hashable, CustomStringConvertible {
    public var article: Int
    public var clause: Int?
    public var point: String?
    /// The text as found, verbatim; nil when not found.
    public var source: String?

    public init(article: Int, clause: Int?, point: String?, source: String?) {
        self.article = article
        self.clause = clause
        self.point = point
        self.source = source
    }

    /// "Quyết định 18/2021/QĐ-TTg, Điều 46 khoản 1 điểm a".
    public var description: String {
        var text = "Quyết định 18/2021/QĐ-TTg, Điều \(article)"
        if let clause { text += " khoản \(clause)" }
        if let point { text += " điểm \(point)" }
        return text
    }
}

/// A range of values with each bound inclusive or exclusive, and either open: "từ 100 mm đến 200 mm",
/// "từ trên 200 mm đến 400 mm", "trên 400 mm".
public struct Band: Sendable, Hashable {
    public var minimum: Double?
    public var minimumExclusive: Bool
    public var maximum: Double?
    public var maximumExclusive: Bool

    public init(minimum: Double?, minimumExclusive: Bool = false, maximum: Double?, maximumExclusive: Bool = false) {
        self.minimum = minimum
        self.minimumExclusive = minimumExclusive
        self.maximum = maximum
        self.maximumExclusive = maximumExclusive
    }

    public func contains(_ value: Double) -> Bool {
        if let minimum, minimumExclusive ? value <= minimum : value < minimum { return false }
        if let maximum, maximumExclusive ? value >= maximum : value > maximum { return false }
        return true
    }
}

/// A row of Article 46: flash floods, landslides and subsidence from rain.
public struct LandslideRiskRow: Sendable, Hashable {
    /// A risk zone of an area (vùng nguy cơ) in the provinces of a zone (khu vực); nil where the text is cut off.
    public struct Zone: Sendable, Hashable {
        public var khuVuc: Int?
        public var risk: Area.LandslideRisk?

        public init(khuVuc: Int?, risk: Area.LandslideRisk?) {
            self.khuVuc = khuVuc
            self.risk = risk
        }
    }

    public var citation: Citation
    public var riskLevel: Int?
    public var status: RowStatus
    /// Total rain in 24 hours, mm; nil when unknown.
    public var rain24h: Band?
    /// Days it had already rained before; nil when unknown.
    public var priorRainDays: Band?
    /// Where the row applies; nil when unknown. `zonesComplete` false: more zones are in text not found.
    public var zones: [Zone]?
    public var zonesComplete: Bool

    public init(
        citation: Citation, riskLevel: Int?, status: RowStatus, rain24h: Band?, priorRainDays: Band?,
        zones: [Zone]?, zonesComplete: Bool = true
    ) {
        self.citation = citation
        self.riskLevel = riskLevel
        self.status = status
        self.rain24h = rain24h
        self.priorRainDays = priorRainDays
        self.zones = zones
        self.zonesComplete = zonesComplete
    }

    func match(_ rain: Double, _ days: Int, _ zone: Int, _ risk: Area.LandslideRisk) -> Match {
        let rainMatch: Match = rain24h.map { $0.contains(rain) ? .yes : .no } ?? .maybe
        let daysMatch: Match = priorRainDays.map { $0.contains(Double(days)) ? .yes : .no } ?? .maybe
        var zoneMatch = Match.maybe
        if let zones {
            let matches = zones.map { candidate -> Match in
                Match.all([
                    candidate.khuVuc.map { $0 == zone ? .yes : .no } ?? .maybe,
                    candidate.risk.map { $0 == risk ? .yes : .no } ?? .maybe,
                ])
            }
            zoneMatch = matches.contains(.yes) ? .yes : (matches.contains(.maybe) || !zonesComplete ? .maybe : .no)
        }
        return Match.all([rainMatch, daysMatch, zoneMatch])
    }
}

/// A water level relative to a station's alarm levels: BĐ `alarm` plus `metres` ("báo động 3 cộng 0,3 m").
public struct AlarmOffset: Sendable, Hashable {
    public var alarm: Int
    public var metres: Double

    public init(alarm: Int, metres: Double = 0) {
        self.alarm = alarm
        self.metres = metres
    }

    /// The level in metres at a station, nil when its BĐ `alarm` is unknown.
    public func level(_ alarmLevels: AlarmLevels) -> Double? {
        alarmLevels.known.first { $0.level == alarm }.map { $0.metres + metres }
    }
}

/// A row of Article 45: floods and inundation at hydrological stations, on one river basin.
public struct FloodRiskRow: Sendable, Hashable {
    public var citation: Citation
    public var riskLevel: Int?
    public var status: RowStatus
    /// "từ" the lower bound (inclusive) "đến dưới" the upper (exclusive); nil when unknown. `upperKnown` false with
    /// no upper: the upper bound is in text not found; true with no upper: none ("trở lên").
    public var lower: AlarmOffset?
    public var upper: AlarmOffset?
    public var upperKnown: Bool
    /// The stations' zones (khu vực); nil when unknown.
    public var zones: [Int]?

    public init(
        citation: Citation, riskLevel: Int?, status: RowStatus, lower: AlarmOffset?, upper: AlarmOffset?,
        upperKnown: Bool, zones: [Int]?
    ) {
        self.citation = citation
        self.riskLevel = riskLevel
        self.status = status
        self.lower = lower
        self.upper = upper
        self.upperKnown = upperKnown
        self.zones = zones
    }

    func match(_ level: Double, _ alarmLevels: AlarmLevels, _ zone: Int) -> Match {
        let zoneMatch: Match = zones.map { $0.contains(zone) ? .yes : .no } ?? .maybe
        var bandMatches: [Match] = []
        if let lower {
            // A station without that alarm level cannot be placed in the band.
            guard let metres = lower.level(alarmLevels) else { return .no }
            bandMatches.append(level >= metres ? .yes : .no)
        } else {
            bandMatches.append(.maybe)
        }
        if let upper {
            guard let metres = upper.level(alarmLevels) else { return .no }
            bandMatches.append(level < metres ? .yes : .no)
        } else if !upperKnown {
            bandMatches.append(.maybe)
        }
        return Match.all([zoneMatch] + bandMatches)
    }
}
