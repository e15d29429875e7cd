import FloodWatchServer
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
#if canImport(Glibc)
    import Glibc
#endif

/// `floodwatch serve` as operators run it: the binary built beside this one, in a process of its own, with a
/// broker, database and catalogue of the benchmark's.
final class ServeProcess {
    let process = Process()
    let httpPort: Int
    let logPath: String
    private let began = ContinuousClock.now

    /// - Parameter extraArguments: more flags of `serve` (`--slots 4`); `logName` tells apart the logs of
    ///   instances that share a client id.
    init(
        database: String, catalogue: String, broker: BenchBroker, folder: String, clientID: String,
        extraArguments: [String] = [], logName: String? = nil
    ) throws {
        httpPort = try BenchBroker.freePort()
        logPath = folder + "/serve-\(logName ?? clientID).log"
        process.executableURL = URL(fileURLWithPath: try Self.binary())
        process.arguments =
            [
                "serve", "--stations", catalogue, "--database", database, "--broker", broker.endpoint, "--http",
                "127.0.0.1:\(httpPort)", "--client-id", clientID, "--log-level", "warning", "--sender",
                "floodwatch-bench@localhost.example",
            ] + extraArguments
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.standardOutput = output
        process.standardError = output
        try process.run()
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    /// Seconds from the spawn to the first 200 from `/readyz` (database writable, broker connected and subscribed).
    func waitUntilReady(timeoutSeconds: Int = 120) async throws -> Double {
        let session = URLSession(configuration: .ephemeral)
        let readyz = URL(string: "http://127.0.0.1:\(httpPort)/readyz")!
        while ContinuousClock.now - began < .seconds(timeoutSeconds) {
            if let (_, response) = try? await session.data(from: readyz),
                (response as? HTTPURLResponse)?.statusCode == 200
            {
                return IngestBench.seconds(ContinuousClock.now - began)
            }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(5))
        }
        let said = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        throw StartupError("serve did not become ready", fix: "see its log:\n\(said.suffix(2000))")
    }

    /// Sends SIGTERM; returns the seconds until the process exited and its status.
    func terminate() -> (seconds: Double, status: Int32) {
        let sent = ContinuousClock.now
        process.terminate()
        process.waitUntilExit()
        return (IngestBench.seconds(ContinuousClock.now - sent), process.terminationStatus)
    }

    /// The process's peak resident memory so far (VmHWM of `/proc/<pid>/status`), in MiB.
    func peakMiB() -> Double {
        (ProcField.value("VmHWM", in: "/proc/\(process.processIdentifier)/status") ?? .nan) / 1024
    }

    /// CPU time the process has used so far, user and system, from `/proc/<pid>/stat` (seconds).
    func cpuSeconds() -> Double {
        guard let text = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/stat", encoding: .utf8),
            let end = text.lastIndex(of: ")")
        else { return .nan }
        // After "pid (name)": state is field 3, utime and stime are fields 14 and 15, in clock ticks.
        let fields = text[text.index(after: end)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return .nan }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// The `floodwatch` executable next to this one (`swift build` puts every product in one folder).
    static func binary() throws -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        let own =
            length > 0
            ? String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            : CommandLine.arguments[0]
        let path = URL(fileURLWithPath: own).deletingLastPathComponent().appendingPathComponent("floodwatch").path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw StartupError(
                "there is no floodwatch beside floodwatch-bench (\(path))", fix: "build both: swift build -c release")
        }
        return path
    }
}
