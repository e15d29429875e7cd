import Alerts
import Foundation
import Gauges
import Testing
import Warnings

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Stations and notices for the CAP and Atom tests, built in code so each test shows what it changes.
enum CAPFixtures {
    static let level = Sensor(kind: .level, interval: 300, range: -2...25)
    static let rain = Sensor(kind: .rain, interval: 300, range: 0...150)

    /// Câu Lâu (Thu Bồn): BĐ I 2.00, II 3.00, III 4.00.
    static let cauLau = Station(
        id: "cau-lau", name: "Câu Lâu", river: "Thu Bồn", latitude: 15.85, longitude: 108.22, sensors: [level, rain],
        alarmLevels: AlarmLevels(levelI: 2.00, levelII: 3.00, levelIII: 4.00))

    /// 25 gauging stations with a level and a rain sensor each: 50 gauges for storm control.
    static let network: [Station] = (1...25).map { number in
        let id = number < 10 ? "0\(number)" : "\(number)"
        return Station(
            id: "tram-\(id)", name: "Trạm \(id)", river: "Thu Bồn", latitude: 15.5 + Double(number) / 100,
            longitude: 108.0 + Double(number) / 100, sensors: [level, rain])
    }

    static let catalogue = StationCatalogue(stations: [cauLau] + network)

    static let settings = AlertSettings(
        sender: "floodwatch@bactramy.gov.vn", senderName: "FloodWatch Quảng Nam", areaRadiusKilometres: 10)

    /// 2020-10-28T14:00:00Z, 21:00 in Vietnam: Câu Lâu during Typhoon Molave.
    static let molave: Int64 = 1_603_893_600_000

    static func event(
        _ kind: WarningEventKind, level: Int, rule: WarningRule = .level, station: String = "cau-lau",
        sensor: SensorKind = .level, projectedTimestamp: Int64? = nil,
        messageVI: String = "Câu Lâu (Thu Bồn): 4,07 m, trên báo động III 0,07 m, lúc 21:00 ngày 28/10",
        messageEN: String = "Câu Lâu (Thu Bồn): 4.07 m, 0.07 m above alarm level III, at 21:00 on 28 Oct"
    ) -> WarningEvent {
        WarningEvent(
            station: station, sensor: sensor, rule: rule, kind: kind, level: level, timestamp: molave - 60_000,
            value: 4.07, threshold: 4.00, projectedTimestamp: projectedTimestamp, messageVI: messageVI,
            messageEN: messageEN)
    }

    static func stored(_ event: WarningEvent, id: Int64 = 31, warningID: Int64 = 30) -> StoredWarningEvent {
        StoredWarningEvent(id: id, warningID: warningID, event: event, createdAt: molave)
    }

    /// The notices sent before this one about the same warning: ids 5 and 6, an hour and half an hour earlier.
    static let earlier = [
        EarlierNotice(id: 5, createdAt: molave - 3_600_000), EarlierNotice(id: 6, createdAt: molave - 1_800_000),
    ]

    static func notice(
        _ kind: NoticeKind = .event, id: Int64 = 7, event: WarningEvent?, previousLevel: Int = 0,
        members: [StoredWarningEvent] = [], earlier: [EarlierNotice] = []
    ) -> Notice {
        Notice(
            id: id, kind: kind, createdAt: molave, event: event.map { stored($0) }, previousLevel: previousLevel,
            members: members, earlier: earlier)
    }

    /// Storm control: all 50 gauges of the network silent at once, one notice for them all.
    static func grouped() -> Notice {
        var members: [StoredWarningEvent] = []
        for (index, station) in network.enumerated() {
            for sensor in [SensorKind.level, .rain] {
                let number = Int64(members.count + 1)
                let event = WarningEvent(
                    station: station.id, sensor: sensor, rule: .silent, kind: .raised, level: index == 0 ? 2 : 1,
                    timestamp: molave, messageVI: "\(station.name): mất tín hiệu \(sensor.rawValue) #\(number)",
                    messageEN: "\(station.name): \(sensor.rawValue) silent #\(number)")
                members.append(
                    StoredWarningEvent(id: 100 + number, warningID: 100 + number, event: event, createdAt: molave))
            }
        }
        return Notice(id: 8, kind: .grouped, createdAt: molave, event: nil, members: members)
    }
}

/// The CAP 1.2 schema as OASIS publishes it, and xmllint to check documents against it.
enum XMLLint {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let capSchema = repository.appendingPathComponent("Tests/Fixtures/CAP-v1.2.xsd")

    struct Result {
        var status: Int32
        var errors: String
    }

    /// Runs `xmllint --noout [--schema CAP-v1.2.xsd]` on `document`, written to a temporary file.
    static func run(_ document: String, capSchema validate: Bool) throws -> Result {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("floodwatch-\(UUID().uuidString).xml")
        try Data(document.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/xmllint")
        process.arguments = ["--noout"] + (validate ? ["--schema", capSchema.path] : []) + [file.path]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // Read before waiting: a long error report would otherwise fill the pipe and block xmllint.
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return Result(status: process.terminationStatus, errors: text)
    }

    /// Expects `document` valid against the official CAP 1.2 schema; xmllint's report is the failure message.
    static func expectValidCAP(_ document: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let result = try run(document, capSchema: true)
        #expect(result.status == 0, "xmllint: \(result.errors)\n\(document)", sourceLocation: sourceLocation)
    }
}

/// A parsed document, for reading values the way a consumer does rather than by matching text.
final class XMLNode {
    let name: String
    var text = ""
    var attributes: [String: String]
    var children: [XMLNode] = []

    init(name: String, attributes: [String: String] = [:]) {
        self.name = name
        self.attributes = attributes
    }

    func child(_ name: String) -> XMLNode? { children.first { $0.name == name } }
    func all(_ name: String) -> [XMLNode] { children.filter { $0.name == name } }
    func value(_ name: String) -> String? { child(name)?.text }

    /// CAP `parameter` values by `valueName`.
    var parameters: [String: String] {
        var result: [String: String] = [:]
        for parameter in all("parameter") {
            if let name = parameter.value("valueName") { result[name] = parameter.value("value") ?? "" }
        }
        return result
    }

    /// The root element of `document`; fails the test when it is not well-formed.
    static func parse(_ document: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> XMLNode {
        let builder = Builder()
        let parser = XMLParser(data: Data(document.utf8))
        parser.delegate = builder
        let parsed = parser.parse()
        #expect(parsed, "not well-formed: \(String(describing: parser.parserError))", sourceLocation: sourceLocation)
        return try #require(builder.root, sourceLocation: sourceLocation)
    }

    private final class Builder: NSObject, XMLParserDelegate {
        var root: XMLNode?
        var stack: [XMLNode] = []

        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            let node = XMLNode(name: elementName, attributes: attributes)
            stack.last?.children.append(node)
            if root == nil { root = node }
            stack.append(node)
        }

        func parser(
            _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?
        ) {
            stack.removeLast()
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            stack.last?.text += string
        }
    }
}
