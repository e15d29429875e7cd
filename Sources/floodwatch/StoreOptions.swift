import ArgumentParser
import FloodWatchServer
import Storage

/// `--config` / `--database` / `--stations` for the commands that work on the service's database beside it
/// (`ack`, `alerts`, `bulletin`, `cap`, `backup`): the same file and catalogue `serve` uses, found the same way.
struct StoreOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The configuration file `serve` uses.", valueName: "path"))
    var config: String?

    @Option(help: ArgumentHelp("SQLite database file. (default: floodwatch.sqlite)", valueName: "path"))
    var database: String?

    @Option(help: ArgumentHelp("Station catalogue. (default: sensors/stations.yaml)", valueName: "path"))
    var stations: String?

    func settings() throws -> ServeSettings {
        try ServeSettings.resolve(
            flags: ServeSettings.Overrides(database: database, stations: stations), configFile: config)
    }

    /// Opens the database (migrating it, as `serve` would); a missing file is an error, not a new database.
    func open() throws -> (settings: ServeSettings, database: FloodDatabase) {
        let settings = try settings()
        return (settings, try settings.openExistingDatabase())
    }
}
