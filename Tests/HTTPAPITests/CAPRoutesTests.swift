import Alerts
import Foundation
import Gauges
import HTTPAPI
import Hummingbird
import HummingbirdTesting
import Storage
import Testing
import Warnings

@Suite("CAP over HTTP")
struct CAPRoutesTests {
    static let station = Station(
        id: "cau-lau", name: "Câu Lâu", river: "Thu Bồn", latitude: 15.852, longitude: 108.268,
        sensors: [Sensor(kind: .level, interval: 300, range: -1...9)],
        alarmLevels: AlarmLevels(levelI: 2, levelII: 3, levelIII: 4))

    /// A database with a raised and an escalated level warning, and its acknowledgement.
    static func context() throws -> APIServer.Context {
        let folder = NSTemporaryDirectory() + "floodwatch-http-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let database = try FloodDatabase(path: folder + "/floodwatch.sqlite")
        for (kind, level) in [(WarningEventKind.raised, 2), (.escalated, 3)] {
            let event = WarningEvent(
                station: "cau-lau", sensor: .level, rule: .level, kind: kind, level: level,
                timestamp: 1_603_893_600_000,
                value: 4.07, threshold: 4, messageVI: "Câu Lâu (Thu Bồn): 4,07 m",
                messageEN: "Câu Lâu (Thu Bồn): 4.07 m")
            try database.store(EngineResult(events: [event]), createdAt: 1_603_893_660_000)
        }
        _ = try database.acknowledge(warning: 1, by: "An", note: nil, from: "test", at: 1_603_893_700_000)
        return APIServer.Context(
            database: database, catalogue: StationCatalogue(stations: [station]),
            alertSettings: AlertSettings(sender: "floodwatch@bactramy.example"))
    }

    @Test("a notice's CAP document, by its identifier")
    func document() async throws {
        let app = Application(router: APIServer.router(try Self.context()))
        try await app.test(.router) { client in
            try await client.execute(uri: "/cap/floodwatch-notice-2.xml", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/cap+xml; charset=utf-8")
                let text = String(buffer: response.body)
                #expect(text.contains("<identifier>floodwatch-notice-2</identifier>"))
                #expect(text.contains("<msgType>Update</msgType>"))
                #expect(text.contains("<references>floodwatch@bactramy.example,floodwatch-notice-1,"))
            }
        }
    }

    @Test("unknown, malformed and acknowledgement notices are 404 with the reason")
    func notFound() async throws {
        let app = Application(router: APIServer.router(try Self.context()))
        try await app.test(.router) { client in
            for (uri, reason) in [
                ("/cap/floodwatch-notice-99.xml", "there is no notice 99"),
                ("/cap/notice-1.xml", "names are floodwatch-notice-<id>.xml"),
                ("/cap/floodwatch-notice-3.xml", "acknowledgement"),
            ] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .notFound, "\(uri)")
                    #expect(String(buffer: response.body).contains(reason), "\(uri)")
                }
            }
        }
    }

    @Test("the Atom feed lists the active warning's latest notice, linked to its document")
    func feed() async throws {
        let app = Application(router: APIServer.router(try Self.context()))
        try await app.test(.router) { client in
            try await client.execute(uri: "/cap/feed.atom", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/atom+xml; charset=utf-8")
                let text = String(buffer: response.body)
                #expect(text.components(separatedBy: "<entry>").count == 2, "one entry: \(text)")
                #expect(text.contains("/cap/floodwatch-notice-2.xml\""), "\(text)")
            }
        }
    }

    @Test(
        "a Restricted document and the staff feed need a token even where reading is open; the public feed omits them")
    func restrictedNeedsAToken() async throws {
        var context = try Self.context()
        let silent = WarningEvent(
            station: "cau-lau", sensor: .level, rule: .silent, kind: .raised, level: 1, timestamp: 1_603_893_600_000,
            messageVI: "Câu Lâu (Thu Bồn): không nhận được số liệu", messageEN: "Câu Lâu (Thu Bồn): no reading")
        let database = try #require(context.database as? FloodDatabase)
        try database.store(EngineResult(events: [silent]), createdAt: 1_603_893_800_000)
        context.access = AccessPolicy(tokens: [AccessPolicy.Token(name: "duty", secret: "s3cret", role: .reader)])
        let app = Application(router: APIServer.router(context))
        try await app.test(.router) { client in
            for uri in ["/cap/floodwatch-notice-4.xml", "/cap/staff.atom"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .unauthorized, "\(uri)")
                }
                try await client.execute(uri: uri, method: .get, headers: [.authorization: "Bearer s3cret"]) {
                    response in
                    #expect(response.status == .ok, "\(uri)")
                    #expect(String(buffer: response.body).contains("floodwatch-notice-4"), "\(uri)")
                }
            }
            try await client.execute(
                uri: "/cap/floodwatch-notice-4.xml", method: .get,
                headers: [
                    .authorization: "Bearer s3cret"
                ]
            ) { response in
                #expect(String(buffer: response.body).contains("<scope>Restricted</scope>"))
            }
            try await client.execute(uri: "/cap/feed.atom", method: .get) { response in
                #expect(!String(buffer: response.body).contains("floodwatch-notice-4"))
            }
        }
    }
}
