import ArgumentParser

/// The `floodwatch` command: the one place with `@main`. Each subcommand reads its flags and hands them to the
/// library that does the work (`FloodWatchServer` for `serve`); benchmarks are `floodwatch-bench`, never shipped.
@main
struct FloodWatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "floodwatch",
        abstract: "Flood warnings for the Vu Gia – Thu Bồn basin: river gauge readings over MQTT, stored in SQLite.",
        subcommands: [
            ServeCommand.self, AckCommand.self, AlertsCommand.self, CAPCommand.self, BulletinCommand.self,
            ReplayCommand.self, BackupCommand.self,
        ]
    )
}
