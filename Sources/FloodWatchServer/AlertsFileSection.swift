import Alerting
import Alerts
import Catalogue
import Foundation
import Gauges
import Warnings

/// The `alerts:` section of the configuration file: who alerts come from, reminders, storm control, retries and
/// the receivers (MQTT, webhooks, e-mail). Every problem is reported with its line and a fix.
public struct AlertsFileSection {
    public var settings = AlertSettings()
    public var routing = AlertRouting()
    public var clientID = AlertConfiguration.defaultClientID
    public var reminderSeconds = 15 * 60
    public var reminderMinimumLevel = 2
    public var storm = StormControl()
    public var retry = RetryPolicy()
    /// Station ids the section names, checked against the catalogue once it is loaded.
    var stationReferences: [(id: String, value: YAMLValue)] = []
    /// Commune ids the section names, checked against the catalogue's `areas:` once it is loaded.
    var areaReferences: [(id: String, value: YAMLValue)] = []

    static let keys = [
        "sender", "sender_name", "exercise", "client_id", "reminders", "storm", "retry", "mqtt", "webhooks", "email",
        "cap",
    ]
    /// Whether the file set `sender` (`serve` needs one outside exercises), and where, for the message.
    var senderConfigured = false

    /// - Parameter folder: the configuration file's folder; relative secret files are relative to it.
    mutating func read(_ mapping: YAMLMapping, folder: URL) {
        mapping.checkKeys(Self.keys)
        if let sender = mapping.optional("sender")?.text(example: "floodwatch@bactramy.gov.vn") {
            if sender.contains(where: { $0 == " " || $0 == "," || $0 == "<" || $0 == "&" }) {
                mapping.optional("sender")?.report(
                    "sender '\(sender)' contains a space, comma, < or &, which CAP does not allow",
                    fix: "use an address or domain name, e.g. floodwatch@bactramy.gov.vn")
            } else {
                settings.sender = sender
                senderConfigured = true
            }
        }
        if let name = mapping.optional("sender_name")?.text(example: "Ban Chỉ huy PCTT huyện Bắc Trà My") {
            settings.senderName = name
        }
        if let value = mapping.optional("exercise"), let flag = Self.flag(value) { settings.exercise = flag }
        if let value = mapping.optional("client_id")?.text(example: "floodwatch-alerts") { clientID = value }
        if let reminders = mapping.optional("reminders")?.mapping() {
            reminders.checkKeys(["every", "min_level"])
            if let every = reminders.optional("every")?.positiveDuration(
                fix: "how often an unacknowledged warning is sent again, e.g. 15m")
            {
                reminderSeconds = every
            }
            if let level = reminders.optional("min_level"), let value = Self.level(level) {
                reminderMinimumLevel = value
            }
        }
        if let section = mapping.optional("storm")?.mapping() {
            section.checkKeys(["gauges", "within"])
            if let gauges = section.optional("gauges") {
                if let count = gauges.integer(example: "10"), count >= 2 {
                    storm.threshold = count
                } else {
                    gauges.report(
                        "storm 'gauges' must be 2 or more",
                        fix: "how many silent gauges make one grouped alert, e.g. 10")
                }
            }
            if let within = section.optional("within")?.positiveDuration(
                fix: "how long silent gauges are collected into one alert, e.g. 2m", maximum: 3600,
                tooLongFix: "keep it under an hour: single silent gauges wait this long")
            {
                storm.windowMilliseconds = Int64(within) * 1000
            }
        }
        if let section = mapping.optional("retry")?.mapping() {
            section.checkKeys(["first", "max", "give_up"])
            if let first = section.optional("first")?.positiveDuration(fix: "the wait after a first failure, e.g. 10s")
            {
                retry.firstMilliseconds = Int64(first) * 1000
            }
            if let max = section.optional("max")?.positiveDuration(fix: "the longest wait between attempts, e.g. 1h") {
                retry.maximumMilliseconds = Int64(max) * 1000
            }
            if let giveUp = section.optional("give_up")?.positiveDuration(fix: "when to stop trying, e.g. 24h") {
                retry.giveUpAfterMilliseconds = Int64(giveUp) * 1000
            }
        }
        if let value = mapping.optional("mqtt") {
            if let flag = Self.flag(value) { routing.mqtt = flag }
        }
        if let list = mapping.optional("webhooks")?.sequence() {
            for item in list {
                if let webhook = readWebhook(item, folder: folder) {
                    if routing.webhooks.contains(where: { $0.name == webhook.name }) {
                        item.report("two webhooks are named '\(webhook.name)'", fix: "give each webhook its own name")
                    } else {
                        routing.webhooks.append(webhook)
                    }
                }
            }
        }
        if let section = mapping.optional("email")?.mapping() {
            routing.email = readEmail(section)
        }
        if let section = mapping.optional("cap")?.mapping() {
            readCAP(section)
        }
    }

    /// `cap:`: what the public CAP documents carry besides the warning: `web`, `contact`, `expires` per rule,
    /// `instructions` per hazard (and risk level), `area_radius`.
    private mutating func readCAP(_ mapping: YAMLMapping) {
        mapping.checkKeys(["web", "contact", "expires", "instructions", "area_radius"])
        if let value = mapping.optional("web"), let text = value.text(example: "https://floodwatch.bactramy.gov.vn/") {
            if let url = URL(string: text), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil
            {
                settings.web = text
            } else {
                value.report(
                    "cap 'web' '\(text)' is not an absolute http or https URL",
                    fix: "write the public page's address, e.g. https://floodwatch.bactramy.gov.vn/")
            }
        }
        if let text = mapping.optional("contact")?.text(example: "Ban Chỉ huy PCTT, 0235 3882 xxx") {
            settings.contact = text
        }
        if let value = mapping.optional("area_radius"), let radius = value.number(example: "8") {
            if radius > 0, radius <= 100 {
                settings.areaRadiusKilometres = radius
            } else {
                value.report(
                    "cap 'area_radius' must be between 0 and 100 km, found \(radius)",
                    fix: "the radius of the circle drawn around a commune's centre or a station, e.g. 8")
            }
        }
        if let section = mapping.optional("expires")?.mapping() {
            let rules = WarningRule.allCases.map(\.rawValue)
            section.checkKeys(rules + ["cancel"])
            for entry in section.entries {
                guard
                    let seconds = entry.value.positiveDuration(
                        fix: "how long consumers show the alert after it is sent, e.g. 6h")
                else { continue }
                if entry.key == "cancel" {
                    settings.expiry.cancelSeconds = seconds
                } else if let rule = WarningRule(rawValue: entry.key) {
                    settings.expiry.seconds[rule] = seconds
                }
            }
        }
        if let section = mapping.optional("instructions")?.mapping() {
            section.checkKeys(Hazard.allCases.map(\.rawValue))
            for entry in section.entries {
                guard let hazard = Hazard(rawValue: entry.key), let texts = entry.value.mapping() else { continue }
                texts.checkKeys(["vi", "en", "from_risk_level"])
                if let text = Self.instruction(texts, required: false) {
                    settings.instructions.set(hazard, riskLevel: nil, text)
                }
                for level in texts.optional("from_risk_level")?.mapping()?.entries ?? [] {
                    guard let risk = Int(level.key), (1...5).contains(risk) else {
                        level.keyValue.report(
                            "'\(level.key)' is not a risk level", fix: "use the levels 1 to 5 of Decision 18/2021")
                        continue
                    }
                    if let levelTexts = level.value.mapping() {
                        levelTexts.checkKeys(["vi", "en"])
                        if let text = Self.instruction(levelTexts, required: true) {
                            settings.instructions.set(hazard, riskLevel: risk, text)
                        }
                    }
                }
            }
        }
    }

    /// An instruction in both languages; with `required`, a missing language is reported.
    private static func instruction(_ mapping: YAMLMapping, required: Bool) -> CAPInstructions.Text? {
        let vi = mapping.optional("vi")?.text(example: "Không đi qua ngầm, tràn …")
        let en = mapping.optional("en")?.text(example: "Do not cross fords …")
        if let vi, let en { return CAPInstructions.Text(vi: vi, en: en) }
        if required || vi != nil || en != nil {
            mapping.report(
                "an instruction needs both 'vi' and 'en'", fix: "write the text in Vietnamese and in English")
        }
        return nil
    }

    private mutating func readWebhook(_ item: YAMLValue, folder: URL) -> WebhookSettings? {
        guard let mapping = item.mapping() else { return nil }
        mapping.checkKeys(["name", "url", "secret", "secret_file", "stations", "areas", "min_level", "timeout"])
        let name = mapping.required("name", fix: "add 'name: sms-gateway' (shown in floodwatch alerts)")?.text()
        var url: String?
        if let value = mapping.required("url", fix: "add 'url: https://…'"), let text = value.text() {
            if let parsed = URL(string: text), ["http", "https"].contains(parsed.scheme?.lowercased() ?? ""),
                parsed.host != nil
            {
                url = text
            } else {
                value.report(
                    "webhook url '\(text)' is not an http or https URL", fix: "write e.g. https://sms.example.vn/hook")
            }
        }
        var secret: String?
        if let value = mapping.optional("secret") {
            secret = value.text()
        } else if let value = mapping.optional("secret_file"), let path = value.text() {
            let file = path.hasPrefix("/") ? path : folder.appendingPathComponent(path).standardizedFileURL.path
            if let text = try? String(contentsOfFile: file, encoding: .utf8),
                !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
            {
                secret = text.trimmingCharacters(in: .whitespacesAndNewlines)
            } else {
                value.report(
                    "cannot read the webhook secret from \(file)",
                    fix: "create the file with the shared secret on one line, readable by the floodwatch user")
            }
        } else {
            mapping.report(
                "webhook '\(name ?? "?")' has no secret",
                fix: "add 'secret_file: webhook.secret' (or 'secret: …'): receivers check the signature with it")
        }
        var filter = NoticeFilter()
        if let stations = mapping.optional("stations") {
            filter.stations = Set(readStations(stations))
        }
        if let areas = mapping.optional("areas") {
            filter.areas = Set(readAreas(areas))
        }
        if let level = mapping.optional("min_level"), let value = Self.level(level) { filter.minimumLevel = value }
        var timeout = 10.0
        if let value = mapping.optional("timeout")?.positiveDuration(fix: "how long to wait for an answer, e.g. 10s") {
            timeout = Double(value)
        }
        guard let name, let url, let secret else { return nil }
        return WebhookSettings(name: name, url: url, secret: secret, filter: filter, timeoutSeconds: timeout)
    }

    private mutating func readEmail(_ mapping: YAMLMapping) -> EmailSettings? {
        mapping.checkKeys(["sendmail", "from", "recipients", "areas", "min_level"])
        var command = ["/usr/sbin/sendmail", "-oi"]
        var commandValue: YAMLValue?
        if let value = mapping.optional("sendmail"), let text = value.text(example: "/usr/sbin/sendmail -oi") {
            command = text.split(separator: " ").map(String.init)
            commandValue = value
        }
        if let executable = command.first, !FileManager.default.isExecutableFile(atPath: executable) {
            let fix = "install a sendmail (apt-get install msmtp-mta, or postfix) or give its path in 'sendmail:'"
            if let commandValue {
                commandValue.report("sendmail command \(executable) does not exist or cannot be run", fix: fix)
            } else {
                mapping.report("e-mail needs \(executable), which does not exist or cannot be run", fix: fix)
            }
        }
        let from = mapping.required("from", fix: "add 'from: floodwatch@bactramy.gov.vn'")?.text()
        var recipients: [String: [String]] = [:]
        var areaRecipients: [String: [String]] = [:]
        let areas = mapping.optional("areas")?.mapping()
        let stations =
            areas == nil
            ? mapping.required(
                "recipients", fix: "add 'recipients:' with '\"*\": [duty@…]' or per station, or 'areas:' per commune")
            : mapping.optional("recipients")
        if let section = stations?.mapping() {
            for entry in section.entries {
                if entry.key != "*" {
                    stationReferences.append((entry.key, entry.keyValue))
                }
                recipients[entry.key] = Self.addresses(entry.value)
            }
        }
        for entry in areas?.entries ?? [] {
            areaReferences.append((entry.key, entry.keyValue))
            areaRecipients[entry.key] = Self.addresses(entry.value)
        }
        var minimumLevel = 1
        if let level = mapping.optional("min_level"), let value = Self.level(level) { minimumLevel = value }
        guard let from else { return nil }
        if !Self.isAddress(from) {
            mapping.optional("from")?.report("'\(from)' is not an e-mail address", fix: "write it as name@domain")
        }
        return EmailSettings(
            command: command, from: from, recipients: recipients, areaRecipients: areaRecipients,
            minimumLevel: minimumLevel)
    }

    /// A list of e-mail addresses; each one that is not an address is reported.
    private static func addresses(_ value: YAMLValue) -> [String] {
        var addresses: [String] = []
        for item in value.sequence() ?? [] {
            guard let address = item.text(example: "duty@bactramy.gov.vn") else { continue }
            if isAddress(address) {
                addresses.append(address)
            } else {
                item.report("'\(address)' is not an e-mail address", fix: "write it as name@domain")
            }
        }
        return addresses
    }

    private mutating func readStations(_ value: YAMLValue) -> [String] {
        guard let list = value.sequence() else { return [] }
        return list.compactMap { item in
            guard let id = item.text(example: "cau-lau") else { return nil }
            stationReferences.append((id, item))
            return id
        }
    }

    private mutating func readAreas(_ value: YAMLValue) -> [String] {
        guard let list = value.sequence() else { return [] }
        return list.compactMap { item in
            guard let id = item.text(example: "tra-lien") else { return nil }
            areaReferences.append((id, item))
            return id
        }
    }

    /// Reports station and commune ids the catalogue does not have.
    func checkReferences(_ catalogue: StationCatalogueIDs) {
        for reference in stationReferences where !catalogue.contains(reference.id) {
            reference.value.report(
                "unknown station '\(reference.id)'",
                fix: YAMLMapping.unknownFix(reference.id, known: catalogue.ids, kind: "station ids"))
        }
        for reference in areaReferences where !catalogue.areas.contains(reference.id) {
            reference.value.report(
                "unknown commune '\(reference.id)'",
                fix: YAMLMapping.unknownFix(reference.id, known: catalogue.areas, kind: "area ids of the catalogue"))
        }
    }

    /// name@domain, without spaces: enough to catch a pasted name or a missing @; the mail system judges the rest.
    private static func isAddress(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && !parts[1].isEmpty && !text.contains(where: \.isWhitespace)
    }

    private static func flag(_ value: YAMLValue) -> Bool? {
        switch value.text(example: "true")?.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        case nil: return nil
        case let other?:
            value.report("\(value.name) must be true or false, found '\(other)'", fix: "write true or false")
            return nil
        }
    }

    private static func level(_ value: YAMLValue) -> Int? {
        guard let level = value.integer(example: "2") else { return nil }
        guard (1...4).contains(level) else {
            value.report(
                "\(value.name) must be a warning level from 1 to 4, found \(level)",
                fix: "1 to 3 are BĐ I–III (or the rule's levels), 4 the highest flood on record")
            return nil
        }
        return level
    }
}

/// The station and commune ids a configuration may name.
struct StationCatalogueIDs {
    let ids: [String]
    let areas: [String]

    init(_ catalogue: StationCatalogue) {
        ids = catalogue.stations.map(\.id)
        areas = catalogue.areas.map(\.id)
    }

    func contains(_ id: String) -> Bool { ids.contains(id) }
}
