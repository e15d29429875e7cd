import ArgumentParser
import Foundation
import Storage

/// `floodwatch backup`: a consistent copy of the database while the service runs.
struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the database while the service runs: a consistent, checked, self-contained file.",
        discussion: """
            Uses SQLite's online backup API: the copy shows the database at one moment, the service goes on \
            storing readings meanwhile. The copy is checked with PRAGMA integrity_check and only then given its \
            name, so DESTINATION is a sound backup or does not exist. It never overwrites a file. \
            deploy/floodwatch-backup.timer runs it every 6 hours; docs/operations.md, "Restoring a backup", says \
            how to put one back.
            """
    )

    @Argument(help: ArgumentHelp("The backup file to write.", valueName: "destination"))
    var destination: String

    @OptionGroup var store: StoreOptions

    func run() throws {
        let source: String
        do {
            source = try store.settings().database
        } catch {
            ServeCommand.fail(error)
        }
        do {
            let report = try FloodDatabase.backup(from: source, to: destination)
            print(
                "backup: \(report.destination): \(report.readings) readings, "
                    + String(format: "%.1f MB, integrity ok, %.1f s", Double(report.bytes) / 1e6, report.seconds))
        } catch {
            FileHandle.standardError.write(Data("floodwatch backup: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
