import Alerts
import ArgumentParser
import Catalogue
import FloodWatchServer
import Foundation
import Gauges
import Storage

/// `floodwatch cap`: the CAP 1.2 document of a notice, or the Atom feed of the active alerts, from the database.
struct CAPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cap",
        abstract: "Print the CAP 1.2 document of an alert notice, or the Atom feed of the active alerts.",
        discussion: """
            Notice ids are in `floodwatch alerts`, in the X-FloodWatch-Notice header of webhooks and in CAP \
            identifiers (floodwatch-<installation>-notice-<id>). The documents are rebuilt from the database and are the same \
            every time; they validate against the OASIS CAP 1.2 schema.
            """
    )

    @Argument(help: ArgumentHelp("The notice's id.", valueName: "notice-id"))
    var noticeID: Int64?

    @Flag(help: "Print the Atom feed of the active alerts instead.")
    var feed = false

    @Option(help: ArgumentHelp("Address the feed's links start with.", valueName: "url"))
    var baseURL = "http://127.0.0.1:8080"

    @OptionGroup var store: StoreOptions

    func validate() throws {
        if feed == (noticeID != nil) {
            throw ValidationError("give a notice id, or --feed")
        }
    }

    func run() throws {
        let catalogue: StationCatalogue
        let database: FloodDatabase
        let settings: ServeSettings
        do {
            (settings, database) = try store.open()
            catalogue = try CatalogueLoader.load(path: settings.stations)
        } catch {
            ServeCommand.fail(error)
        }
        var alertSettings = settings.alerts.settings
        alertSettings.installation = try database.installationID()
        if feed {
            let notices = try database.activeNotices()
            print(
                AtomFeed.render(
                    notices, catalogue: catalogue, settings: alertSettings, baseURL: baseURL,
                    updated: WallClock.system()))
            return
        }
        guard let noticeID, let notice = try database.notice(noticeID) else {
            FileHandle.standardError.write(Data("floodwatch cap: there is no notice \(noticeID ?? 0)\n".utf8))
            throw ExitCode(1)
        }
        guard let document = CAPDocument.render(notice, catalogue: catalogue, settings: alertSettings) else {
            FileHandle.standardError.write(
                Data(
                    "floodwatch cap: notice \(noticeID) is an acknowledgement or a bulletin, which have no CAP document\n"
                        .utf8))
            throw ExitCode(1)
        }
        print(document, terminator: "")
    }
}
