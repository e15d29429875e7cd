import ArgumentParser

/// `floodwatch-bench`: the measurements docs/benchmarks.md and the closing notes quote, reproducible on any machine.
/// A developer tool of its own, never installed with the service; build it with `-c release`.
@main
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "floodwatch-bench",
        abstract: "Measure FloodWatch's speed (build with -c release for meaningful figures).",
        discussion: """
            Run from the repository's folder after `swift build -c release`: `ingest` and `shutdown` start \
            their own mosquitto from deploy/mosquitto.conf and spawn the `floodwatch` built next to this binary.
            """,
        subcommands: [
            IngestBench.self, InstancesBench.self, ShutdownBench.self, EngineBench.self, HistoryBench.self,
            FsyncBench.self,
        ]
    )
}
