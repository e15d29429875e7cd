import ArgumentParser
import Foundation
import Gauges
import Storage

/// `floodwatch ack`: an officer says "I have it".
struct AckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ack",
        abstract: "Acknowledge a warning: record who has it in hand, and stop its reminders.",
        discussion: """
            Writes an 'acknowledged' event (who, when, the note) to the warnings table; the running service sends \
            it to the MQTT alert topic and the webhooks. Reminders of the warning stop until it escalates again. \
            Warning ids are in alerts (warning_id), e-mails and `floodwatch alerts`.
            """
    )

    @Argument(help: ArgumentHelp("The warning's id (warning_id).", valueName: "warning-id"))
    var warningID: Int64

    @Option(help: ArgumentHelp("Who acknowledges: name and role.", valueName: "name"))
    var by: String

    @Option(help: ArgumentHelp("What you are doing about it.", valueName: "text"))
    var note: String?

    @OptionGroup var store: StoreOptions

    func run() throws {
        let officer = by.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !officer.isEmpty else {
            throw ValidationError("--by must name who acknowledges")
        }
        let database: FloodDatabase
        do {
            database = try store.open().database
        } catch {
            ServeCommand.fail(error)
        }
        do {
            let note = note.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 }
            let event = try database.acknowledge(
                warning: warningID, by: officer, note: note, from: Self.origin(),
                at: WallClock.system())
            print("Warning \(warningID) acknowledged by \(officer) at \(UnixTime.vietnam(event.createdAt)).")
            print(event.event.messageEN)
        } catch let error as AcknowledgeError {
            FileHandle.standardError.write(Data("floodwatch ack: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }

    /// "command line, root@ops-1": the account and machine the acknowledgement was typed on, for the audit.
    static func origin() -> String {
        let user =
            ProcessInfo.processInfo.environment["SUDO_USER"] ?? ProcessInfo.processInfo.environment["USER"]
            ?? String(cString: getpwuid(getuid()).pointee.pw_name)
        return "command line, \(user)@\(ProcessInfo.processInfo.hostName)"
    }
}
