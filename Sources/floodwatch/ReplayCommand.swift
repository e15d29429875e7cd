import ArgumentParser
import Catalogue
import FloodWatchServer
import Foundation
import Gauges
import Warnings

/// `floodwatch replay`: recorded readings through the live warning engine, without a broker, so hydrologists can
/// tune thresholds against past floods before they change the live catalogue.
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Run recorded readings through the warning engine and print the warning timeline.",
        discussion: """
            The input is a CSV file of lines station,sensor,ts,value (header optional, '#' lines are comments, \
            ts RFC 3339 with an offset or Unix seconds). Readings are checked as live ones are (a row the wire \
            would reject is reported and left out), put in time order and evaluated as if each arrived at its own \
            time. The timeline is printed in local time (UTC+7). Use a copy of the live catalogue with changed \
            thresholds to see what they would have done.
            """
    )

    @Option(help: ArgumentHelp("Station catalogue with the rules to try.", valueName: "path"))
    var stations = "sensors/stations.yaml"

    @Option(help: ArgumentHelp("Recorded readings, CSV station,sensor,ts,value.", valueName: "file.csv"))
    var input: String

    @Option(
        help: ArgumentHelp(
            "Also write the readings and the warning timeline to this SQLite file (use a new file: readings already "
                + "in it are not evaluated again).",
            valueName: "path"))
    var database: String?

    @Option(
        help: ArgumentHelp(
            "Fill in water levels between readings with a straight line, one every DURATION (e.g. 15m), as a gauge "
                + "would report between the published hours. Rain is never interpolated.",
            valueName: "duration"))
    var interpolate: String?

    @Option(help: ArgumentHelp("Language of the messages: vi, en or both.", valueName: "language"))
    var language: TimelineTable.Language = .both

    func run() throws {
        let catalogue: StationCatalogue
        let rows: [ReadingsCSV.Row]
        let step: Int?
        do {
            catalogue = try CatalogueLoader.load(path: stations)
            rows = try ReadingsCSV.parse(try Self.read(input), path: input)
            step = try interpolate.map(Self.seconds)
        } catch {
            ServeCommand.fail(error)
        }
        let recorded = RecordedReadings(
            rows: rows, catalogue: catalogue, now: WallClock.system(), interpolateSeconds: step)
        for (line, reason) in recorded.rejected {
            FileHandle.standardError.write(Data("\(input):\(line): left out: \(reason)\n".utf8))
        }

        let events: [WarningEvent]
        if let database {
            events = try Replay.store(recorded.readings, into: database, catalogue: catalogue)
        } else {
            var engine = WarningEngine(catalogue: catalogue)
            events = engine.replay(recorded.readings).events
        }
        print(TimelineTable(catalogue: catalogue, language: language).render(events))
        print(
            "\(recorded.readings.count) readings from \(input)"
                + (step != nil ? " (interpolated)" : "") + ", \(recorded.rejected.count) left out, "
                + "\(events.count) warning events" + (database.map { "; written to \($0)" } ?? ""))
    }

    private static func read(_ path: String) throws -> String {
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw StartupError("cannot read \(path)", fix: "check the path given with --input")
        }
    }

    /// `15m`, `1h`, `30s` or plain seconds.
    static func seconds(_ text: String) throws -> Int {
        if let seconds = DurationText.seconds(text), seconds > 0 { return seconds }
        throw StartupError("--interpolate '\(text)' is not a duration", fix: "write it as 15m, 1h or 900 (seconds)")
    }
}

extension TimelineTable.Language: ExpressibleByArgument {}
