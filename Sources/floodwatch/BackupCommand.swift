import ArgumentParser
import Foundation
import PostgresStore
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
            how to put one back. On PostgreSQL (--database postgres://…) it prints the pg_dump command to use \
            instead and exits with status 2.
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
        if let location = try? PostgresLocation(url: source) {
            // A PostgreSQL database is backed up with PostgreSQL's own tools, which copy it consistently while
            // FloodWatch writes and restore it in place: what this command would only imitate.
            FileHandle.standardError.write(
                Data(
                    """
                    floodwatch backup: the database is PostgreSQL (\(location.description)); back it up with \
                    PostgreSQL's tools (docs/operations.md, "PostgreSQL: backups and restore"):
                      a copy now:            pg_dump --format=custom --host=\(location.host) --port=\(location.port) \
                    --username=\(location.user) --file=\(destination) \(location.database)
                      point-in-time restore: pg_basebackup with WAL archiving (archive_command) on the server

                    """.utf8))
            throw ExitCode(2)
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
