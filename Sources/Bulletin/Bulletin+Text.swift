import Warnings

/// The bulletin as plain text, for e-mail: Vietnamese first, then English, one line per station, crest, warning and
/// risk level.
extension Bulletin {
    /// Both languages, Vietnamese first, separated by a rule.
    public func text() -> String {
        text(.vietnamese) + "\n" + String(repeating: "—", count: 40) + "\n\n" + text(.english)
    }

    /// One language.
    public func text(_ language: BulletinLanguage) -> String {
        var lines = [title[language].uppercased(), timeText[language], Self.provenance[language], ""]
        func section(_ number: Int, _ heading: Phrase, _ items: [String], empty: Phrase) {
            lines.append("\(number). " + heading[language])
            if items.isEmpty {
                lines.append("   " + empty[language])
            } else {
                lines += items.map { "   - " + $0 }
            }
            lines.append("")
        }
        let headings = BulletinHeadings.self
        section(1, headings.levels, levels.map { $0.sentence[language] }, empty: headings.noStations)
        section(2, headings.crests, crests.map { $0.sentence[language] }, empty: headings.noCrests)
        section(3, headings.rain, rain.map { $0.sentence[language] }, empty: headings.noStations)
        section(4, headings.reservoirs, reservoirs.map { $0.sentence[language] }, empty: headings.noStations)
        section(
            5, headings.warnings,
            warnings.map { warning in
                "[" + warning.levelName[language] + "] " + warning.message[language]
                    + (warning.acknowledgedBy.map {
                        language == .vietnamese ? " (đã xác nhận: " + $0 + ")" : " (acknowledged: " + $0 + ")"
                    } ?? "")
            }, empty: headings.noWarnings)
        section(6, headings.riskLevels, riskLevels.map { $0.sentence[language] }, empty: headings.noRiskLevels)
        lines.append("7. " + headings.outlook[language])
        lines.append("   " + Self.estimateCaveat[language])
        lines +=
            outlook.isEmpty ? ["   " + headings.noOutlook[language]] : outlook.map { "   - " + $0.sentence[language] }
        lines.append("")
        return lines.joined(separator: "\n")
    }
}
