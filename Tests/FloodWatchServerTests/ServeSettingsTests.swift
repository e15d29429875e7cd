import Catalogue
import FloodWatchServer
import Foundation
import Gauges
import Testing

/// `floodwatch serve`'s configuration, read and checked in-process: what an operator's file and flags become, and
/// every mistake named with its file, line and fix before anything starts.
@Suite("Serve settings")
struct ServeSettingsTests {
    /// The bundled catalogue, from this file's place in the repository.
    static let catalogue: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path + "/sensors/stations.yaml"
    }()

    static func folder() throws -> String {
        let path = NSTemporaryDirectory() + "floodwatch-settings-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func write(_ text: String) throws -> String {
        let path = try folder() + "/floodwatch.yaml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("every problem of a configuration file at once, each with its line and a fix")
    func fileProblems() throws {
        let path = try Self.write(
            """
            broker: 127.0.0.1:1883
            databse: floodwatch.sqlite
            http: localhost
            alerts:
              reminders: {every: 0m}
            """)
        let error = try #require(
            throws: ConfigurationFileError.self,
            performing: { try ServeSettings.resolve(flags: .init(), configFile: path) })
        #expect(error.problems.map(\.line) == [2, 3, 5], "\(error)")
        #expect(error.problems.allSatisfy { $0.file == path && !$0.fix.isEmpty })
        #expect(error.problems[0].message.contains("databse"))
        #expect(error.problems[0].fix.contains("database"), "the key meant")
        #expect(error.problems[1].message.contains("HOST:PORT"))
        #expect(error.problems[2].message.contains("more than 0 seconds"))
    }

    @Test("communes, CAP and bulletin settings: read, and each mistake reported at its line")
    func communesCAPAndBulletin() throws {
        let good = try Self.write(
            """
            stations: \(Self.catalogue)
            alerts:
              sender: floodwatch@bactramy.gov.vn
              cap:
                web: https://floodwatch.bactramy.gov.vn/
                contact: Ban Chỉ huy PCTT
                expires: {landslide: 18h, cancel: 30m}
                instructions:
                  flood:
                    vi: Sơ tán
                    en: Leave
                    from_risk_level:
                      4: {vi: Sơ tán ngay, en: Leave now}
            bulletin: {every: 2h}
            """)
        let settings = try ServeSettings.resolve(flags: .init(), configFile: good)
        let cap = settings.alerts.settings
        #expect(cap.web == "https://floodwatch.bactramy.gov.vn/")
        #expect(cap.contact == "Ban Chỉ huy PCTT")
        #expect(cap.expiry.seconds(rule: .landslide) == 18 * 3600 && cap.expiry.cancelSeconds == 1800)
        #expect(cap.instructions.text(.flood, riskLevel: 3)?.en == "Leave")
        #expect(cap.instructions.text(.flood, riskLevel: 5)?.en == "Leave now")
        #expect(settings.bulletinSeconds == 7200)
        #expect(throws: Never.self) { try settings.checkSender() }

        let bad = try Self.write(
            """
            stations: \(Self.catalogue)
            alerts:
              cap:
                web: not a url
              webhooks:
                - name: commune
                  url: https://example.vn/hook
                  secret: s
                  areas: [tra-lienn]
            bulletin: {every: 0s}
            """)
        let error = try #require(
            throws: ConfigurationFileError.self,
            performing: { try ServeSettings.resolve(flags: .init(), configFile: bad) })
        #expect(error.problems.map(\.line) == [4, 9, 10], "\(error)")
        #expect(error.problems[1].message.contains("unknown commune 'tra-lienn'"))
        #expect(error.problems[1].fix.contains("tra-lien"), "the commune meant")
        let unsent = try ServeSettings.resolve(
            flags: .init(), configFile: try Self.write("stations: \(Self.catalogue)"))
        #expect(throws: StartupError.self) { try unsent.checkSender() }
    }

    @Test("flags win over the file; the file's paths are relative to the file")
    func flagsOverFile() throws {
        let path = try Self.write(
            """
            broker: 10.0.0.5:1883
            database: data/floodwatch.sqlite
            stations: \(Self.catalogue)
            client_id: from-file
            log_level: debug
            """)
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        let settings = try ServeSettings.resolve(
            flags: .init(broker: "127.0.0.1:2883", clientID: "from-flag"), configFile: path)
        #expect(settings.broker == .init(host: "127.0.0.1", port: 2883))
        #expect(settings.clientID == "from-flag")
        #expect(settings.database == folder + "/data/floodwatch.sqlite")
        #expect(settings.logLevel == .debug)
        #expect(settings.http == .init(host: "127.0.0.1", port: 8080), "the default")
    }

    @Test("--http takes port 0 (the kernel picks one); --broker does not")
    func portZero() throws {
        #expect(try ServeSettings.resolve(flags: .init(http: "127.0.0.1:0"), configFile: nil).http.port == 0)
        let error = try #require(
            throws: StartupError.self,
            performing: { try ServeSettings.resolve(flags: .init(broker: "127.0.0.1:0"), configFile: nil) })
        #expect(error.problem.contains("--broker"))
        #expect(error.fix.contains("127.0.0.1:1883"))
    }

    @Test("the alerts section becomes the alert service's configuration, on a clean session of its own")
    func alertConfiguration() throws {
        let path = try Self.write(
            """
            stations: \(Self.catalogue)
            alerts:
              sender: floodwatch@bactramy.gov.vn
              client_id: alerts-here
              reminders: {every: 30m, min_level: 3}
              storm: {gauges: 5, within: 90s}
              retry: {first: 5s, max: 10m, give_up: 12h}
            """)
        var settings = try ServeSettings.resolve(flags: .init(), configFile: path)
        try settings.checkAlerts(against: CatalogueLoader.load(path: settings.stations))
        settings.alerts.settings.exercise = true
        let configuration = settings.alertConfiguration()
        #expect(configuration.broker.clientID == "alerts-here")
        #expect(configuration.broker.cleanSession)
        #expect(configuration.settings.sender == "floodwatch@bactramy.gov.vn")
        #expect(configuration.settings.exercise)
        #expect(configuration.reminderIntervalMilliseconds == 1_800_000)
        #expect(configuration.reminderMinimumLevel == 3)
        #expect(configuration.storm.threshold == 5 && configuration.storm.windowMilliseconds == 90_000)
        #expect(configuration.retry.firstMilliseconds == 5000 && configuration.retry.maximumMilliseconds == 600_000)
        #expect(configuration.retry.giveUpAfterMilliseconds == 43_200_000)
    }

    @Test("the tools beside serve refuse a database that does not exist instead of creating one")
    func missingDatabase() throws {
        let path = try Self.folder() + "/nothing-here.sqlite"
        let settings = try ServeSettings.resolve(flags: .init(database: path), configFile: nil)
        let error = try #require(throws: StartupError.self, performing: { try settings.openExistingDatabase() })
        #expect(error.problem.contains(path))
        #expect(!FileManager.default.fileExists(atPath: path))
    }
}
