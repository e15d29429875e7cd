import Gauges
import Warnings

/// The CAP 1.2 document of a notice (OASIS Common Alerting Protocol), what public warning systems and other
/// agencies' software read.
///
/// Built as plain text so the element order is exactly the schema's sequence, which validators enforce and
/// a generic XML encoder would not guarantee. Every document validates against the official `CAP-v1.2.xsd`;
/// the tests check that with xmllint.
public enum CAPDocument {
    /// The CAP 1.2 XML namespace.
    public static let namespace = "urn:oasis:names:tc:emergency:cap:1.2"

    /// The document of a notice, or nil when the notice gets none (see ``CAPMapping/messageType(_:)``).
    ///
    /// Two `info` blocks, Vietnamese first, then English, each with one `area` per commune the notice concerns
    /// (its polygon, or a circle around its centre), or, where the catalogue places the station in no commune, one
    /// per station (a grouped notice names several). A station missing from the catalogue is named by its id and
    /// has no `circle`, so the notice still goes out. `sender` and the identifier must not contain spaces or
    /// commas: `references` uses both as separators.
    public static func render(_ notice: Notice, catalogue: StationCatalogue, settings: AlertSettings) -> String? {
        guard let mapping = CAPMapping(notice) else { return nil }
        var xml = XML()
        xml.open("alert", attributes: [("xmlns", namespace)])
        xml.element("identifier", settings.identifier(notice: notice.id))
        xml.element("sender", settings.sender)
        xml.element("sent", UnixTime.vietnam(notice.createdAt))
        xml.element("status", settings.exercise ? "Exercise" : "Actual")
        xml.element("msgType", mapping.messageType.rawValue)
        xml.element("scope", mapping.scope.rawValue)
        if mapping.scope == .restricted {
            xml.element("restriction", "Chỉ dành cho cán bộ trực ban / For duty staff only")
        }
        if mapping.messageType != .alert, !notice.earlier.isEmpty {
            xml.element("references", references(notice.earlier, settings: settings))
        }
        for language in Language.allCases {
            info(&xml, notice, mapping: mapping, language: language, catalogue: catalogue, settings: settings)
        }
        xml.close("alert")
        return xml.text
    }

    /// CAP `references`: `sender,identifier,sent` of each earlier notice, oldest first, so a consumer can find
    /// the alert an Update or Cancel replaces.
    static func references(_ earlier: [EarlierNotice], settings: AlertSettings) -> String {
        earlier.map { notice in
            [settings.sender, settings.identifier(notice: notice.id), UnixTime.vietnam(notice.createdAt)]
                .joined(separator: ",")
        }
        .joined(separator: " ")
    }

    private static func info(
        _ xml: inout XML, _ notice: Notice, mapping: CAPMapping, language: Language, catalogue: StationCatalogue,
        settings: AlertSettings
    ) {
        let hazard = Hazard(CAPMapping.rule(notice))
        let event = notice.event?.event
        xml.open("info")
        xml.element("language", language.code)
        xml.element("category", mapping.category.rawValue)
        xml.element("event", language.pick(hazard.name.vi, hazard.name.en))
        xml.element("responseType", mapping.responseType.rawValue)
        xml.element("urgency", mapping.urgency.rawValue)
        xml.element("severity", mapping.severity.rawValue)
        xml.element("certainty", mapping.certainty.rawValue)
        xml.open("eventCode")
        xml.element("valueName", Hazard.eventCodeName)
        xml.element("value", hazard.rawValue)
        xml.close("eventCode")
        // The time of the readings the notice tells of: a backlog delivered hours late is dated by its readings.
        if let effective = effective(notice) { xml.element("effective", UnixTime.vietnam(effective)) }
        // The projected crossing is when the estimated flood begins; a cancelled estimate has none.
        if let event, event.rule == .forecast, mapping.messageType != .cancel,
            let crossing = event.projectedTimestamp
        {
            xml.element("onset", UnixTime.vietnam(crossing))
        }
        xml.element("expires", UnixTime.vietnam(expires(notice, mapping: mapping, settings: settings)))
        xml.element("senderName", settings.senderName)
        xml.element("headline", headline(notice, catalogue: catalogue, language: language))
        xml.element("description", description(notice, catalogue: catalogue, language: language))
        let instruction =
            mapping.messageType == .cancel
            ? CAPInstructions.allClear : settings.instructions.text(hazard, riskLevel: event?.riskLevel)
        if let instruction { xml.element("instruction", language.pick(instruction.vi, instruction.en)) }
        if let web = settings.web { xml.element("web", web) }
        if let contact = settings.contact { xml.element("contact", contact) }
        for (name, value) in parameters(notice, settings: settings, language: language) {
            xml.open("parameter")
            xml.element("valueName", name)
            xml.element("value", value)
            xml.close("parameter")
        }
        let areas = notice.areas(in: catalogue).compactMap(catalogue.area)
        if areas.isEmpty {
            for id in stations(notice) {
                let station = catalogue[id]
                xml.open("area")
                xml.element("areaDesc", station.map { "\($0.name) (\($0.river))" } ?? id)
                if let station, let circle = circle(station, radiusKilometres: settings.areaRadiusKilometres) {
                    xml.element("circle", circle)
                }
                xml.close("area")
            }
        }
        for area in areas {
            xml.open("area")
            xml.element("areaDesc", language.pick(area.fullName, area.name + " " + area.kind.english))
            if let polygon = polygon(area) {
                xml.element("polygon", polygon)
            } else if let centre = area.centre,
                let circle = circle(centre, radiusKilometres: settings.areaRadiusKilometres)
            {
                xml.element("circle", circle)
            }
            if let code = area.code {
                xml.open("geocode")
                xml.element("valueName", Area.codeName)
                xml.element("value", code)
                xml.close("geocode")
            }
            xml.close("area")
        }
        xml.close("info")
    }

    /// CAP `effective`: the reading time of the event (a grouped notice: its earliest member's).
    static func effective(_ notice: Notice) -> Int64? {
        if notice.kind == .grouped { return notice.members.map(\.event.timestamp).min() }
        return notice.event?.event.timestamp
    }

    /// CAP `expires`: `sent` plus the rule's time in effect; a Cancel is shown for a shorter while. Never before
    /// `sent`.
    static func expires(_ notice: Notice, mapping: CAPMapping, settings: AlertSettings) -> Int64 {
        let seconds =
            mapping.messageType == .cancel
            ? settings.expiry.cancelSeconds : settings.expiry.seconds(rule: CAPMapping.rule(notice))
        return notice.createdAt + Int64(max(60, seconds)) * 1000
    }

    /// CAP `polygon`: the commune's boundary as `lat,lon` pairs, closed (the first point again at the end); nil
    /// without a boundary of three points or more.
    static func polygon(_ area: Area) -> String? {
        guard var ring = area.boundary, ring.count >= 3 else { return nil }
        if ring.first != ring.last, let first = ring.first { ring.append(first) }
        let pairs = ring.compactMap { point -> String? in
            guard let latitude = decimal(point.latitude, maximumDecimals: 6),
                let longitude = decimal(point.longitude, maximumDecimals: 6)
            else { return nil }
            return latitude + "," + longitude
        }
        return pairs.count == ring.count ? pairs.joined(separator: " ") : nil
    }

    /// The short line a display shows: the station and the title, e.g. `Câu Lâu: Flood warning, alarm level III`.
    /// A grouped notice's title already says how many gauges.
    static func headline(_ notice: Notice, catalogue: StationCatalogue, language: Language) -> String {
        let title = NoticeTitle(notice)
        let text = language.pick(title.vi, title.en)
        guard notice.kind != .grouped, let id = notice.event?.event.station else { return text }
        return (catalogue[id]?.name ?? id) + ": " + text
    }

    /// The event's message; a reminder says first why it comes again, a grouped notice lists every gauge, since
    /// an officer has to check each one.
    static func description(_ notice: Notice, catalogue: StationCatalogue, language: Language) -> String {
        switch notice.kind {
        case .bulletin:
            return notice.bulletin?.text ?? ""
        case .grouped:
            let title = NoticeTitle(notice)
            var lines = [language.pick(title.vi, title.en) + ":"]
            for stored in notice.members {
                let event = stored.event
                let name = catalogue[event.station]?.name ?? event.station
                lines.append(
                    "- \(name) (\(event.station)), \(language.sensor(event.sensor)): "
                        + language.pick(event.messageVI, event.messageEN))
            }
            return lines.joined(separator: "\n")
        case .reminder, .event:
            guard let event = notice.event?.event else { return "" }
            let message = language.pick(event.messageVI, event.messageEN)
            guard notice.kind == .reminder else { return message }
            return language.pick(
                "Nhắc lại: cảnh báo chưa được xác nhận.\n", "Reminder: this warning has not been acknowledged yet.\n")
                + message
        }
    }

    /// What software matches on; lists (a grouped notice's warnings and stations) are space-separated.
    private static func parameters(_ notice: Notice, settings: AlertSettings, language: Language) -> [(String, String)]
    {
        var result: [(String, String)] = []
        if notice.kind == .grouped {
            result.append(("warning_id", distinct(notice.members.map { String($0.warningID) }).joined(separator: " ")))
            result.append(("station", stations(notice).joined(separator: " ")))
            result.append(("rule", CAPMapping.rule(notice).rawValue))
            result.append(("level", String(notice.level)))
        } else if let stored = notice.event {
            let event = stored.event
            result.append(("warning_id", String(stored.warningID)))
            result.append(("station", event.station))
            result.append(("sensor", event.sensor.rawValue))
            result.append(("rule", event.rule.rawValue))
            result.append(("event", event.kind.rawValue))
            result.append(("level", String(event.level)))
            if notice.kind == .event { result.append(("previous_level", String(notice.previousLevel))) }
            // The official risk level of Decision 18/2021/QĐ-TTg, where the event states one.
            if let risk = event.riskLevel {
                result.append(("risk_level", String(risk)))
                if let colour = RiskColour.name(level: risk) {
                    result.append(("risk_colour", language.pick(colour.vi, colour.en)))
                }
            }
            if let area = event.area { result.append(("area", area)) }
        }
        if settings.exercise { result.append(("exercise", "true")) }
        return result
    }

    /// The stations a notice is about, each once, in the order they appear.
    static func stations(_ notice: Notice) -> [String] {
        if notice.kind == .grouped { return distinct(notice.members.map(\.event.station)) }
        return notice.event.map { [$0.event.station] } ?? []
    }

    /// CAP `circle`: `lat,lon radius`, WGS 84 decimal degrees and kilometres, e.g. `15.85,108.22 10`; nil when a
    /// value cannot be written as a plain decimal.
    static func circle(_ station: Station, radiusKilometres: Double) -> String? {
        circle(Coordinate(latitude: station.latitude, longitude: station.longitude), radiusKilometres: radiusKilometres)
    }

    static func circle(_ centre: Coordinate, radiusKilometres: Double) -> String? {
        guard let latitude = decimal(centre.latitude, maximumDecimals: 6),
            let longitude = decimal(centre.longitude, maximumDecimals: 6),
            radiusKilometres >= 0, let radius = decimal(radiusKilometres, maximumDecimals: 3)
        else { return nil }
        return "\(latitude),\(longitude) \(radius)"
    }

    /// A plain decimal with no trailing zeros (`108.22`, `10`): `Double.description` may print `1e-05`, which
    /// CAP consumers do not parse. Nil for values that are not finite or too large to round this way.
    static func decimal(_ value: Double, maximumDecimals: Int) -> String? {
        var scale: Int64 = 1
        for _ in 0..<maximumDecimals { scale *= 10 }
        let scaled = (value.magnitude * Double(scale)).rounded()
        guard value.isFinite, scaled < 9e15 else { return nil }
        let units = Int64(scaled)
        var text = value < 0 && units != 0 ? "-" : ""
        text += String(units / scale)
        var fraction = String(units % scale)
        fraction = String(repeating: "0", count: maximumDecimals - fraction.count) + fraction
        while fraction.last == "0" { fraction.removeLast() }
        if !fraction.isEmpty { text += "." + fraction }
        return text
    }

    private static func distinct(_ values: [String]) -> [String] {
        var seen: Set<String> = []
        return values.filter { seen.insert($0).inserted }
    }

    /// The two languages of every document, in the order of the `info` blocks: Vietnamese for the people of the
    /// basin first.
    enum Language: CaseIterable {
        case vietnamese
        case english

        /// RFC 3066 code, as CAP `language` takes it.
        var code: String {
            switch self {
            case .vietnamese: "vi-VN"
            case .english: "en-US"
            }
        }

        func pick(_ vi: String, _ en: String) -> String {
            self == .vietnamese ? vi : en
        }

        func sensor(_ kind: SensorKind) -> String {
            switch kind {
            case .level: pick("mực nước", "water level")
            case .rain: pick("lượng mưa", "rain")
            case .inflow: pick("lưu lượng đến hồ", "inflow")
            case .outflow: pick("lưu lượng xả", "outflow")
            }
        }
    }

    /// Indented XML text: elements open and close in the order they are written, which is what keeps the
    /// schema's sequence.
    struct XML {
        private(set) var text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        private var depth = 0

        mutating func open(_ name: String, attributes: [(String, String)] = []) {
            text += indent + "<" + name + Self.attributes(attributes) + ">\n"
            depth += 1
        }

        mutating func close(_ name: String) {
            depth -= 1
            text += indent + "</" + name + ">\n"
        }

        mutating func element(_ name: String, _ value: String) {
            text += indent + "<" + name + ">" + Self.escape(value) + "</" + name + ">\n"
        }

        mutating func empty(_ name: String, attributes: [(String, String)]) {
            text += indent + "<" + name + Self.attributes(attributes) + "/>\n"
        }

        private var indent: String { String(repeating: "  ", count: depth) }

        private static func attributes(_ attributes: [(String, String)]) -> String {
            attributes.map { " \($0.0)=\"\(escape($0.1))\"" }.joined()
        }

        /// Text safe in element content and in quoted attribute values. Characters XML 1.0 forbids (most control
        /// characters) are replaced, since one stray byte in a gauge's message must not make the whole alert
        /// unreadable; a carriage return is kept as a reference, which parsers would otherwise turn into a newline.
        static func escape(_ value: String) -> String {
            var result = ""
            result.unicodeScalars.reserveCapacity(value.unicodeScalars.count)
            for scalar in value.unicodeScalars {
                switch scalar {
                case "&": result += "&amp;"
                case "<": result += "&lt;"
                case ">": result += "&gt;"
                case "\"": result += "&quot;"
                case "'": result += "&apos;"
                case "\r": result += "&#13;"
                case "\t", "\n": result.unicodeScalars.append(scalar)
                case "\u{0}"..."\u{1F}", "\u{FFFE}", "\u{FFFF}": result += "\u{FFFD}"
                default: result.unicodeScalars.append(scalar)
                }
            }
            return result
        }
    }
}
