import Catalogue
import FloodWatchServer
import Foundation
import GRDB
import Logging
import Testing

/// The service assembled in-process, as `floodwatch serve` assembles it: start-up problems found before anything
/// runs, and the parts wired on the database it opens. (Running it against a broker: IntegrationTests.)
@Suite("Building the application")
struct ApplicationBuildTests {
    static var quiet: Logger {
        var logger = Logger(label: "floodwatch-test")
        logger.logLevel = .critical
        return logger
    }

    @Test("a catalogue mistake stops the build with the file and line; no database is created")
    func badCatalogue() async throws {
        let folder = try ServeSettingsTests.folder()
        var text = try String(contentsOfFile: ServeSettingsTests.catalogue, encoding: .utf8)
        text = text.replacingOccurrences(of: "III: 8.80", with: "III: 7.00")
        try text.write(toFile: folder + "/stations.yaml", atomically: true, encoding: .utf8)
        let settings = try ServeSettings.resolve(
            flags: .init(database: folder + "/db.sqlite", stations: folder + "/stations.yaml"), configFile: nil)
        let error = try await #require(
            throws: CatalogueError.self,
            performing: { try await ServerApplication.build(settings, logger: Self.quiet) })
        #expect(error.problems.first?.file == folder + "/stations.yaml")
        #expect(error.problems.first?.line != nil)
        #expect(!FileManager.default.fileExists(atPath: folder + "/db.sqlite"))
    }

    @Test("a good configuration builds without a broker: database created and migrated, stations in it")
    func builds() async throws {
        let folder = try ServeSettingsTests.folder()
        let settings = try ServeSettings.resolve(
            flags: .init(
                http: "127.0.0.1:0", database: folder + "/db.sqlite", stations: ServeSettingsTests.catalogue,
                sender: "floodwatch@tests.example"),
            configFile: nil)
        let application = try await ServerApplication.build(settings, logger: Self.quiet)
        guard case .sqlite(let database) = application.store else {
            Issue.record("a path opens the SQLite store")
            return
        }
        defer { database.shutDown() }
        #expect(application.httpPort == nil, "not listening before it runs")
        let catalogue = try CatalogueLoader.load(path: ServeSettingsTests.catalogue)
        let stations = try await database.reader.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM stations") ?? 0
        }
        #expect(stations == catalogue.stations.count)
        #expect(application.ingest?.status.brokerConnected == false)
    }
}
