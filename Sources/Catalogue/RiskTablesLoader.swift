import Foundation
import Gauges

/// Reads the tables of Decision 18/2021/QĐ-TTg that ship with FloodWatch (`Resources/decision-18-2021/`): Article 45
/// (floods) and Article 46 (flash floods and landslides), each row with its citation and how much of its text was
/// found. They are data, not code, so that a hydrologist can check every row against the Decision, and the tests
/// run every row through the engine.
///
/// The files are checked like the catalogue: a malformed row stops start-up with its file, line and a fix.
public enum RiskTablesLoader {
    /// The folder of the bundled tables.
    public static var folder: URL? {
        Bundle.module.url(forResource: "Resources/decision-18-2021", withExtension: nil)
    }

    /// The bundled tables, read once.
    public static func bundled() throws(CatalogueError) -> RiskTables {
        try cached.get()
    }

    private static let cached: Result<RiskTables, CatalogueError> = {
        guard let folder else {
            return .failure(
                CatalogueError(problems: [
                    YAMLProblem(
                        file: "decision-18-2021", message: "the tables of Decision 18/2021/QĐ-TTg are missing",
                        fix: "install FloodWatch with its resource folders next to the binary (deploy/README.md)")
                ]))
        }
        return Result { () throws(CatalogueError) in try load(folder: folder.path) }
    }()

    /// Reads `article-45.yaml` and `article-46.yaml` from `folder`.
    public static func load(folder: String) throws(CatalogueError) -> RiskTables {
        var problems: [YAMLProblem] = []
        var tables = RiskTables()
        for (name, read) in [("article-45.yaml", readArticle45), ("article-46.yaml", readArticle46)] {
            let path = folder + "/" + name
            let diagnostics = YAMLDiagnostics(file: path)
            if let text = YAMLDocument.readText(
                atPath: path, diagnostics: diagnostics, what: "a table of Decision 18/2021/QĐ-TTg",
                fix: "install FloodWatch with its resource folders next to the binary"),
                let rows = YAMLDocument.parse(text, diagnostics: diagnostics)?.sequence()
            {
                read(rows, &tables)
            }
            problems += diagnostics.problemsInFileOrder
        }
        guard problems.isEmpty else { throw CatalogueError(problems: problems) }
        return tables
    }

    // MARK: Rows

    static let statusWords = RowStatus.allCases.map(\.rawValue)

    /// The keys both articles' rows share.
    static let commonKeys = ["article", "clause", "point", "alternative", "risk_level", "status", "source"]
    /// Notes kept for the reader of the file, not read.
    static let noteKeys = ["source_ref", "source_heading", "hint"]

    private static func readArticle46(_ rows: [YAMLValue], into tables: inout RiskTables) {
        for item in rows {
            guard let row = item.mapping(), let (citation, level, status) = common(row, article: 46) else { continue }
            row.checkKeys(
                commonKeys + noteKeys + ["rain_24h_mm", "prior_rain_days", "zones", "zones_complete"])
            let rain = band(row.optional("rain_24h_mm"))
            let days = band(row.optional("prior_rain_days"))
            var zones: [LandslideRiskRow.Zone]?
            if let value = row.optional("zones"), !isUnknown(value), let list = value.sequence() {
                zones = list.compactMap { item -> LandslideRiskRow.Zone? in
                    guard let zone = item.mapping() else { return nil }
                    zone.checkKeys(["khu_vuc", "landslide_risk"])
                    let khuVuc = zone.optional("khu_vuc").flatMap { isUnknown($0) ? nil : $0.integer(example: "3") }
                    var risk: Area.LandslideRisk?
                    if let riskValue = zone.optional("landslide_risk"), !isUnknown(riskValue),
                        let text = riskValue.text(example: "high")
                    {
                        risk = Area.LandslideRisk(rawValue: text)
                        if risk == nil {
                            riskValue.report(
                                "'landslide_risk' must be low, medium, high or very_high, found '\(text)'",
                                fix: "write the area risk zone of the Decision's text, or unknown")
                        }
                    }
                    return LandslideRiskRow.Zone(khuVuc: khuVuc, risk: risk)
                }
            }
            let zonesComplete = row.optional("zones_complete").flatMap(RulesReader.flag) ?? true
            let zonesKnown = zonesComplete && zones?.allSatisfy { $0.khuVuc != nil && $0.risk != nil } == true
            if status == .complete, rain == nil || days == nil || !zonesKnown {
                row.report(
                    "a complete row has an unknown condition", fix: "mark the row 'status: partial', or fill it in")
            }
            tables.article46.append(
                LandslideRiskRow(
                    citation: citation, riskLevel: level, status: status, rain24h: rain, priorRainDays: days,
                    zones: zones, zonesComplete: zonesComplete))
        }
    }

    /// Article 45's bands: the text's words, as (lower, upper) alarm offsets; nil upper: no upper bound.
    static let floodBands: [String: (lower: AlarmOffset, upper: AlarmOffset?)] = [
        "bd1_to_bd2": (AlarmOffset(alarm: 1), AlarmOffset(alarm: 2)),
        "bd2_to_bd3": (AlarmOffset(alarm: 2), AlarmOffset(alarm: 3)),
        "bd1_to_bd3": (AlarmOffset(alarm: 1), AlarmOffset(alarm: 3)),
        "bd2_to_bd3_plus_0_3": (AlarmOffset(alarm: 2), AlarmOffset(alarm: 3, metres: 0.3)),
        "bd3_to_bd3_plus_1_0": (AlarmOffset(alarm: 3), AlarmOffset(alarm: 3, metres: 1.0)),
        "bd3_and_above": (AlarmOffset(alarm: 3), nil),
        "from_bd3_plus_0_3": (AlarmOffset(alarm: 3, metres: 0.3), nil),
    ]

    private static func readArticle45(_ rows: [YAMLValue], into tables: inout RiskTables) {
        for item in rows {
            guard let row = item.mapping(), let (citation, level, status) = common(row, article: 45) else { continue }
            row.checkKeys(commonKeys + noteKeys + ["band", "band_upper", "khu_vuc", "basins"])
            var lower: AlarmOffset?
            var upper: AlarmOffset?
            var upperKnown = false
            if let value = row.required("band", fix: "add 'band:', one of \(floodBands.keys.sorted()), or unknown"),
                !isUnknown(value), let name = value.text(example: "bd1_to_bd2")
            {
                if let band = floodBands[name] {
                    (lower, upper) = band
                    upperKnown = true
                } else {
                    value.report(
                        "unknown band '\(name)'",
                        fix: YAMLMapping.unknownFix(name, known: floodBands.keys.sorted(), kind: "bands"))
                }
            }
            if let value = row.optional("band_upper"), isUnknown(value) { upperKnown = false }
            var zones: [Int]?
            if let value = row.optional("khu_vuc"), !isUnknown(value), let list = value.sequence() {
                zones = list.compactMap { $0.integer(example: "3") }
            }
            // Only floods on one basin are judged (a station's own level); rows for several basins are kept for
            // the reader and left out here.
            let basins = row.optional("basins")?.text(example: "one") ?? "unknown"
            guard ["one", "not_stated", "unknown"].contains(basins) else { continue }
            if status == .complete, lower == nil || !upperKnown || zones == nil {
                row.report(
                    "a complete row has an unknown condition", fix: "mark the row 'status: partial', or fill it in")
            }
            tables.article45.append(
                FloodRiskRow(
                    citation: citation, riskLevel: level, status: status, lower: lower, upper: upper,
                    upperKnown: upperKnown, zones: zones))
        }
    }

    /// The citation, level and status every row has; nil (reported) when they cannot be read.
    private static func common(_ row: YAMLMapping, article: Int) -> (Citation, Int?, RowStatus)? {
        guard let articleValue = row.required("article", fix: "add 'article: \(article)'"),
            let number = articleValue.integer(example: "\(article)")
        else { return nil }
        guard number == article else {
            articleValue.report("a row of Article \(number) in the file of Article \(article)", fix: "move the row")
            return nil
        }
        let clause = row.optional("clause").flatMap { isUnknown($0) ? nil : $0.integer(example: "1") }
        let point = row.optional("point").flatMap { isUnknown($0) ? nil : $0.text(example: "a") }
        let level = row.optional("risk_level").flatMap { isUnknown($0) ? nil : $0.integer(example: "1") }
        if let level, !(1...5).contains(level) {
            row.optional("risk_level")?.report("a risk level is 1 to 5, found \(level)", fix: "correct the level")
            return nil
        }
        guard let statusValue = row.required("status", fix: "add 'status: complete' (or partial, not_found)"),
            let text = statusValue.text(example: "complete")
        else { return nil }
        guard let status = RowStatus(rawValue: text) else {
            statusValue.report(
                "unknown status '\(text)'", fix: YAMLMapping.unknownFix(text, known: statusWords, kind: "statuses"))
            return nil
        }
        let source = row.optional("source").flatMap { $0.isNull ? nil : $0.text() }
        if status == .complete, source == nil || level == nil {
            row.report("a complete row needs its level and source text", fix: "add them, or mark the row partial")
        }
        return (Citation(article: article, clause: clause, point: point, source: source), level, status)
    }

    /// `{min: 100, max: 200}`, `{min: 200, min_exclusive: true}`…; nil for `unknown` or absent.
    private static func band(_ value: YAMLValue?) -> Band? {
        guard let value, !isUnknown(value), let mapping = value.mapping() else { return nil }
        mapping.checkKeys(["min", "min_exclusive", "max", "max_exclusive"])
        return Band(
            minimum: mapping.optional("min")?.number(example: "100"),
            minimumExclusive: mapping.optional("min_exclusive").flatMap(RulesReader.flag) ?? false,
            maximum: mapping.optional("max")?.number(example: "200"),
            maximumExclusive: mapping.optional("max_exclusive").flatMap(RulesReader.flag) ?? false)
    }

    private static func isUnknown(_ value: YAMLValue) -> Bool {
        if value.isNull { return true }
        if case .scalar(let scalar) = value.node { return scalar.string == "unknown" }
        return false
    }
}
