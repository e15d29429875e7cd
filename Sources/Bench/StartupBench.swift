import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Start-up on a big database: `floodwatch serve` run as operators run it (`ServeProcess`), on the benchmarks'
/// history database (`BenchHistory`, 21 million readings), timed from the spawn of the process to the first 200
/// from `/readyz` (database open and writable, broker connected and subscribed).
struct StartupRun {
    let history: BenchHistory
    let databasePath: String

    struct Figures {
        var readings: Int
        /// Start-ups with the database in the page cache (an ordinary restart), seconds.
        var warm: [Double]
        /// One start-up after the kernel's caches were dropped (after a power cut), when this process may drop them.
        var cold: Double?
    }

    func measure(broker: BenchBroker, folder: String, runs: Int = 3) async throws -> Figures {
        let readings = try history.open(databasePath).readingCountAndSize().readings
        let catalogue = folder + "/bench-stations.yaml"
        try history.catalogueYAML.write(toFile: catalogue, atomically: true, encoding: .utf8)
        var figures = Figures(readings: readings, warm: [])
        for _ in 0..<runs {
            figures.warm.append(try await startOnce(broker: broker, catalogue: catalogue, folder: folder))
        }
        if Self.dropCaches() {
            figures.cold = try await startOnce(broker: broker, catalogue: catalogue, folder: folder)
        }
        return figures
    }

    /// Seconds from spawning `serve` to its first ready answer; then stops it.
    private func startOnce(broker: BenchBroker, catalogue: String, folder: String) async throws -> Double {
        let serve = try ServeProcess(
            database: databasePath, catalogue: catalogue, broker: broker, folder: folder, clientID: "floodwatch-startup"
        )
        let seconds = try await serve.waitUntilReady()
        _ = serve.terminate()
        return seconds
    }

    /// Empties the kernel's page cache (root only), so the next start reads the database from disk.
    private static func dropCaches() -> Bool {
        sync()
        guard let handle = FileHandle(forWritingAtPath: "/proc/sys/vm/drop_caches") else { return false }
        defer { try? handle.close() }
        return (try? handle.write(contentsOf: Data("3\n".utf8))) != nil
    }
}
