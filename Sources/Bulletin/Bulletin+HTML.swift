import Warnings

/// The bulletin as one printable HTML page in one language: self-contained (inline CSS, no script, nothing fetched),
/// tables that fit A4 portrait (`@page { size: A4 }`), and risk levels written out beside their colour swatch, so
/// that a black-and-white print says everything the screen does.
extension Bulletin {
    /// The page.
    /// - Parameter otherLanguage: a link to the page in the other language, shown on screen only.
    public func html(_ language: BulletinLanguage, otherLanguage: String? = nil) -> String {
        let words = HTMLWords(language)
        let reference = BulletinTime(time)
        func when(_ time: Int64?) -> String { time.map { BulletinTime($0).compact(reference: reference) } ?? "—" }
        var page = """
            <!doctype html>
            <html lang="\(language.rawValue)">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escape(title[language] + " " + timeText[language]))</title>
            <style>
            \(Self.stylesheet)
            </style>
            </head>
            <body data-time="\(time)">
            <header>
            <h1>\(escape(title[language]))</h1>
            <p class="time">\(escape(timeText[language]))</p>
            <p class="note">\(escape(Self.provenance[language]))</p>

            """
        if let otherLanguage {
            page += "<p class=\"screen-only\"><a href=\"\(escape(otherLanguage))\">\(words.other)</a></p>\n"
        }
        page += "</header>\n"

        page += section("levels", BulletinHeadings.levels[language])
        page += table(
            [words.station, words.river, words.level, words.time, words.standing, words.trend],
            numeric: [2], nowrap: [0, 1, 3],
            rows: levels.map { level in
                let note: String
                switch level.status {
                case .current: note = level.trend?.phrase[language] ?? "—"
                case .stale, .none:
                    note = ReadingStatus.missing(since: level.reading?.time, reference: reference)[language]
                }
                return (
                    "data-station=\"\(escape(level.station))\" data-status=\"\(level.status.rawValue)\"",
                    [
                        level.name, level.river,
                        level.reading.map { NumberFormat.metres($0.value, language) } ?? "—",
                        when(level.reading?.time), level.standing?.phrase?[language] ?? "—", note,
                    ]
                )
            }, empty: BulletinHeadings.noStations[language])
        page += "</section>\n"

        page += section("crests", BulletinHeadings.crests[language])
        page += list(
            crests.map { ("data-station=\"\(escape($0.station))\"", $0.sentence[language]) },
            empty: BulletinHeadings.noCrests[language])
        page += "</section>\n"

        page += section("rain", BulletinHeadings.rain[language])
        page += table(
            [words.station, words.commune] + RainReport.windowHours.map { words.rainWindow($0) } + [words.note],
            numeric: [2, 3, 4], nowrap: [0, 1],
            rows: rain.map { rain in
                (
                    "data-station=\"\(escape(rain.station))\" data-status=\"\(rain.status.rawValue)\"",
                    [rain.name, rain.areaName?[language] ?? "—"]
                        + rain.totals.map {
                            $0.readings == 0 && rain.status != .current
                                ? "—" : NumberFormat.millimetres($0.millimetres, language)
                        }
                        + [
                            rain.status == .current
                                ? "" : ReadingStatus.missing(since: rain.latest?.time, reference: reference)[language]
                        ]
                )
            }, empty: BulletinHeadings.noStations[language])
        page += "</section>\n"

        page += section("reservoirs", BulletinHeadings.reservoirs[language])
        page += list(
            reservoirs.map { ("data-station=\"\(escape($0.station))\"", $0.sentence[language]) },
            empty: BulletinHeadings.noStations[language])
        page += "</section>\n"

        page += section("warnings", BulletinHeadings.warnings[language])
        page += table(
            [words.warningLevel, words.station, words.kind, words.message, words.since],
            numeric: [], nowrap: [0, 1, 4],
            rows: warnings.map { warning in
                var message = warning.message[language]
                if let by = warning.acknowledgedBy { message += " (" + words.acknowledged + ": " + by + ")" }
                return (
                    "data-warning-id=\"\(warning.warningID)\" data-station=\"\(escape(warning.station))\" "
                        + "data-level=\"\(warning.level)\"",
                    [
                        warning.levelName[language], warning.name, warning.ruleName[language], message,
                        when(warning.raisedAt),
                    ]
                )
            }, empty: BulletinHeadings.noWarnings[language])
        page += "</section>\n"

        page += section("risk-levels", BulletinHeadings.riskLevels[language])
        if riskLevels.isEmpty {
            page += "<p class=\"empty\">\(escape(BulletinHeadings.noRiskLevels[language]))</p>\n"
        } else {
            page += "<table>\n<thead><tr><th>\(words.place)</th><th>\(words.hazard)</th><th>\(words.riskLevel)</th>"
            page += "</tr></thead>\n<tbody>\n"
            for risk in riskLevels {
                page +=
                    "<tr class=\"risk\" data-risk-level=\"\(risk.level.level)\" data-place=\"\(escape(risk.place))\">"
                page += "<td>\(escape(risk.placeName[language]))</td>"
                page += "<td>\(escape(risk.hazard.name[language]))</td>"
                page +=
                    "<td><span class=\"swatch\" style=\"background-color: \(risk.level.swatch)\" "
                    + "title=\"\(escape(risk.level.colour[language]))\"></span>"
                    + "<strong>\(escape(risk.level.phrase[language]))</strong></td></tr>\n"
            }
            page += "</tbody>\n</table>\n"
        }
        page += "</section>\n"

        page += section("outlook", BulletinHeadings.outlook[language])
        page += "<p class=\"note\">\(escape(Self.estimateCaveat[language]))</p>\n"
        page += list(
            outlook.map { ("data-warning-id=\"\($0.warningID)\"", $0.sentence[language]) },
            empty: BulletinHeadings.noOutlook[language])
        page += "</section>\n</body>\n</html>\n"
        return page
    }

    /// A4 portrait, black on white; the swatches print their colour where the printer can, and the level's words
    /// beside them where it cannot.
    static let stylesheet = """
        @page { size: A4; margin: 12mm 12mm 14mm 12mm; }
        * { box-sizing: border-box; }
        html { color: #000; background: #fff; }
        body { margin: 0 auto; max-width: 186mm; font: 9.5pt/1.3 "DejaVu Sans", "Noto Sans", Arial, sans-serif; }
        @media screen { body { padding: 6mm 4mm; } }
        header { border-bottom: 1.5pt solid #000; padding-bottom: 2mm; margin-bottom: 2mm; }
        h1 { font-size: 15pt; margin: 0; text-transform: uppercase; letter-spacing: .02em; }
        .time { font-size: 11.5pt; font-weight: 600; margin: 1mm 0; }
        .note { font-size: 8.5pt; color: #333; margin: 1mm 0; }
        h2 { font-size: 11pt; margin: 3.5mm 0 1.5mm; break-after: avoid; page-break-after: avoid; }
        table { width: 100%; border-collapse: collapse; font-size: 8.5pt; }
        thead { display: table-header-group; }
        th, td { border: .5pt solid #777; padding: 1pt 3pt; text-align: left; vertical-align: top;
          overflow-wrap: anywhere; }
        th { background: #eee; font-weight: 600; }
        td.nw, th.nw { white-space: nowrap; }
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        tr { break-inside: avoid; page-break-inside: avoid; }
        ul { margin: 0; padding-left: 5mm; }
        li { margin: .5mm 0; break-inside: avoid; }
        .empty { margin: 0; font-style: italic; }
        .swatch { display: inline-block; width: 9pt; height: 9pt; border: .75pt solid #000; vertical-align: -1pt;
          margin-right: 3pt; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
        @media print { .screen-only { display: none; } a { color: inherit; text-decoration: none; } }
        """

    private func section(_ id: String, _ heading: String) -> String {
        "<section id=\"\(id)\">\n<h2>\(escape(heading))</h2>\n"
    }

    private func table(
        _ headings: [String], numeric: Set<Int>, nowrap: Set<Int> = [], rows: [(attributes: String, cells: [String])],
        empty: String
    ) -> String {
        guard !rows.isEmpty else { return "<p class=\"empty\">\(escape(empty))</p>\n" }
        var html = "<table>\n<thead><tr>"
        for (index, heading) in headings.enumerated() {
            html +=
                numeric.contains(index) ? "<th class=\"num\">" : nowrap.contains(index) ? "<th class=\"nw\">" : "<th>"
            html += escape(heading) + "</th>"
        }
        html += "</tr></thead>\n<tbody>\n"
        for row in rows {
            html += "<tr \(row.attributes)>"
            for (index, cell) in row.cells.enumerated() {
                let opening =
                    numeric.contains(index)
                    ? "<td class=\"num\">" : nowrap.contains(index) ? "<td class=\"nw\">" : "<td>"
                html += opening + escape(cell) + "</td>"
            }
            html += "</tr>\n"
        }
        return html + "</tbody>\n</table>\n"
    }

    private func list(_ items: [(attributes: String, text: String)], empty: String) -> String {
        guard !items.isEmpty else { return "<p class=\"empty\">\(escape(empty))</p>\n" }
        return "<ul>\n" + items.map { "<li \($0.attributes)>\(escape($0.text))</li>\n" }.joined() + "</ul>\n"
    }

    private func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}

/// The column headings of the page.
private struct HTMLWords {
    let language: BulletinLanguage

    init(_ language: BulletinLanguage) {
        self.language = language
    }

    private func pick(_ vi: String, _ en: String) -> String { language == .vietnamese ? vi : en }

    var station: String { pick("Trạm", "Station") }
    var river: String { pick("Sông", "River") }
    var level: String { pick("Mực nước (m)", "Level (m)") }
    var time: String { pick("Thời gian", "Time") }
    var standing: String { pick("So với báo động", "Against alarm levels") }
    var trend: String { pick("Xu thế", "Trend") }
    var commune: String { pick("Xã", "Commune") }
    var note: String { pick("Ghi chú", "Note") }
    var warningLevel: String { pick("Mức", "Level") }
    var kind: String { pick("Loại", "Kind") }
    var message: String { pick("Nội dung", "Message") }
    var since: String { pick("Từ", "Since") }
    var acknowledged: String { pick("đã xác nhận", "acknowledged") }
    var place: String { pick("Nơi", "Place") }
    var hazard: String { pick("Loại thiên tai", "Hazard") }
    var riskLevel: String { pick("Cấp độ rủi ro", "Risk level") }
    var other: String { pick("English", "Tiếng Việt") }

    /// "24 giờ (mm)" / "24 h (mm)".
    func rainWindow(_ hours: Int) -> String { pick("\(hours) giờ (mm)", "\(hours) h (mm)") }
}
