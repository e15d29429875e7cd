import ArgumentParser
import Bulletin
import Catalogue
import FloodWatchServer
import Foundation
import Gauges
import Storage

/// `floodwatch bulletin`: the district's situation report at a time, from the database, on demand.
struct BulletinCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bulletin",
        abstract: "Print the situation report (bản tin) at a time: levels, crests, rain, reservoirs, warnings.",
        discussion: """
            Compiled from the readings and warnings stored at or before --at (default: now): every station of the \
            catalogue against its alarm levels, the crests told in the day before, rain over the last 24, 6 and 3 \
            hours, the reservoirs, the warnings active then, the official risk levels they state and the trend \
            estimates. Times are Vietnam time (UTC+7). Text is Vietnamese then English; HTML is one language, \
            printable on A4; JSON is described in docs/http-api.md. The same report is served at GET /bulletin.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text
        case json
        case html
    }

    enum Language: String, ExpressibleByArgument, CaseIterable {
        case vi
        case en
        case both
    }

    @Option(
        help: ArgumentHelp(
            "The time the report states, RFC 3339 with an offset, e.g. 2022-10-11T08:00:00+07:00. (default: now)",
            valueName: "time"))
    var at: String?

    @Option(help: ArgumentHelp("text, json or html.", valueName: "format"))
    var format: Format = .text

    @Option(
        help: ArgumentHelp(
            "Text: vi, en or both (default both). HTML: vi or en (default vi). JSON always has both.",
            valueName: "lang"))
    var language: Language?

    @Option(help: ArgumentHelp("Write the report to this file instead of printing it.", valueName: "path"))
    var output: String?

    @OptionGroup var store: StoreOptions

    func validate() throws {
        if let at, case .failure(let error) = RFC3339.milliseconds(at) {
            throw ValidationError("--at '\(at)' is not an RFC 3339 time with an offset (\(error))")
        }
        if format == .html, language == .both {
            throw ValidationError("--format html is one language: --language vi or en")
        }
    }

    func run() async throws {
        let catalogue: StationCatalogue
        let database: FloodDatabase
        do {
            let settings: ServeSettings
            (settings, database) = try store.open()
            catalogue = try CatalogueLoader.load(path: settings.stations)
        } catch {
            ServeCommand.fail(error)
        }
        let time = try at.map { try RFC3339.milliseconds($0).get() } ?? WallClock.system()
        let bulletin = try await BulletinBuilder.build(database: database, catalogue: catalogue, at: time)
        let data: Data
        switch format {
        case .text:
            switch language ?? .both {
            case .vi: data = Data(bulletin.text(.vietnamese).utf8)
            case .en: data = Data(bulletin.text(.english).utf8)
            case .both: data = Data(bulletin.text().utf8)
            }
        case .json: data = bulletin.json() + Data("\n".utf8)
        case .html: data = Data(bulletin.html(language == .en ? .english : .vietnamese).utf8)
        }
        guard let output else {
            FileHandle.standardOutput.write(data)
            return
        }
        do {
            try data.write(to: URL(fileURLWithPath: output), options: .atomic)
        } catch {
            FileHandle.standardError.write(Data("floodwatch bulletin: cannot write \(output): \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
