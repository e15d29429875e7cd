import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
#if canImport(Glibc)
    import Glibc
#endif

/// Start-up on a big database: `floodwatch serve` run as operators run it, on the benchmarks' history database
/// (`BenchHistory`, 21 million readings), timed from the spawn of the process to the first 200 from `/readyz`
/// (database open and writable, broker connected and subscribed).
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
        let port = try BenchBroker.freePort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.ownExecutable())
        process.arguments = [
            "serve", "--stations", catalogue, "--database", databasePath, "--broker", broker.endpoint, "--http",
            "127.0.0.1:\(port)", "--client-id", "floodwatch-startup", "--log-level", "warning",
        ]
        let log = folder + "/serve-startup.log"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardOutput = output
        process.standardError = output
        let session = URLSession(configuration: .ephemeral)
        let readyz = URL(string: "http://127.0.0.1:\(port)/readyz")!
        let began = ContinuousClock.now
        try process.run()
        defer {
            if process.isRunning {
                process.terminate()
                process.waitUntilExit()
            }
        }
        while ContinuousClock.now - began < .seconds(120) {
            if let (_, response) = try? await session.data(from: readyz),
                (response as? HTTPURLResponse)?.statusCode == 200
            {
                return IngestBench.seconds(ContinuousClock.now - began)
            }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(5))
        }
        let said = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        throw StartupError("serve did not become ready on \(databasePath)", fix: "see its log:\n\(said.suffix(2000))")
    }

    private static func ownExecutable() -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        return length > 0
            ? String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            : CommandLine.arguments[0]
    }

    /// Empties the kernel's page cache (root only), so the next start reads the database from disk.
    private static func dropCaches() -> Bool {
        sync()
        guard let handle = FileHandle(forWritingAtPath: "/proc/sys/vm/drop_caches") else { return false }
        defer { try? handle.close() }
        return (try? handle.write(contentsOf: Data("3\n".utf8))) != nil
    }
}
