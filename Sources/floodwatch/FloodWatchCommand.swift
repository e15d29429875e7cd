import ArgumentParser

/// The `floodwatch` command: the one place with `@main`, logging bootstrap and configuration.
@main
struct FloodWatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "floodwatch",
        abstract: "Flood warnings for the Vu Gia – Thu Bồn basin: river gauge readings over MQTT, stored in SQLite.",
        subcommands: [
            ServeCommand.self, AckCommand.self, AlertsCommand.self, CAPCommand.self, ReplayCommand.self,
            BenchCommand.self, BackupCommand.self,
        ]
    )
}
