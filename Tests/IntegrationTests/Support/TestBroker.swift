import Foundation
import MQTT

#if canImport(Glibc)
    import Glibc
#endif

/// A real mosquitto broker on a free loopback port, configured from `deploy/mosquitto.conf` with only the
/// listener, persistence folder and log destination replaced, so tests exercise the production settings.
final class TestBroker: @unchecked Sendable {
    private(set) var port = 0
    let directory: String
    private var process: ChildProcess?

    init() throws {
        directory = try TestPaths.temporaryDirectory("broker")
        // Run as root, mosquitto drops to its own user; the persistence folder must be that user's, or
        // persistence is silently off.
        if getuid() == 0, let user = getpwnam("mosquitto") {
            chown(directory, user.pointee.pw_uid, user.pointee.pw_gid)
        }
        // A port found free can still be taken before mosquitto binds it (many servers start in parallel):
        // then another port is tried.
        var failure: (any Error)?
        for _ in 0..<3 {
            port = try TestPaths.freePort()
            try Self.configuration(port: port, directory: directory).write(
                toFile: directory + "/mosquitto.conf", atomically: true, encoding: .utf8)
            do {
                try start()
                return
            } catch {
                failure = error
            }
        }
        throw failure ?? TestFailure("mosquitto did not start")
    }

    /// `deploy/mosquitto.conf` with the listener, persistence folder and log destination replaced.
    private static func configuration(port: Int, directory: String) throws -> String {
        let deployed = try String(contentsOfFile: TestPaths.root + "/deploy/mosquitto.conf", encoding: .utf8)
        let replaced = ["listener", "persistence_location", "log_dest", "user"]
        var lines = deployed.split(separator: "\n", omittingEmptySubsequences: false).filter { line in
            let key = line.split(separator: " ").first.map(String.init) ?? ""
            return !replaced.contains(key)
        }
        lines += [
            "listener \(port) 127.0.0.1",
            "persistence_location \(directory)/",
            "log_dest stderr",
        ]
        return lines.joined(separator: "\n")
    }

    deinit {
        process?.killHard()
        try? FileManager.default.removeItem(atPath: directory)
    }

    func start() throws {
        let process = try ChildProcess(
            "/usr/sbin/mosquitto", ["-c", directory + "/mosquitto.conf"],
            outputPath: directory + "/../broker-\(port).log")
        self.process = process
        guard TestPaths.waitForPort(port, timeoutSeconds: 10) else {
            throw TestFailure("mosquitto did not start on port \(port):\n\(process.output)")
        }
    }

    /// Stops the broker the way `systemctl stop` does (SIGTERM: it saves its persistence file first).
    func stop() {
        guard let process else { return }
        process.signal(SIGTERM)
        if process.waitForExit(timeoutSeconds: 10) == nil { process.killHard() }
        self.process = nil
    }

    func restart() throws {
        stop()
        try start()
    }

    var log: String { process?.output ?? "" }

    func configuration(clientID: String, cleanSession: Bool = false) -> MQTTConfiguration {
        MQTTConfiguration(host: "127.0.0.1", port: port, clientID: clientID, cleanSession: cleanSession)
    }

    /// A connected publisher, as a gauge would be.
    func publisher(_ clientID: String = "test-gauge-\(UInt32.random(in: 0...UInt32.max))") throws -> MQTTPublisher {
        let publisher = try MQTTPublisher(configuration: configuration(clientID: clientID, cleanSession: true))
        try publisher.connect()
        return publisher
    }

    /// Publishes with the `mosquitto_pub` command-line client at QoS 1, as an operator would by hand.
    func mosquittoPub(topic: String, payload: String) throws {
        try runMosquittoPub(["-t", topic, "-m", payload])
    }

    /// Publishes raw bytes (e.g. invalid UTF-8) through `mosquitto_pub -f`.
    func mosquittoPub(topic: String, bytes: [UInt8]) throws {
        let file = directory + "/../payload-\(UInt32.random(in: 0...UInt32.max)).bin"
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        try runMosquittoPub(["-t", topic, "-f", file])
    }

    private func runMosquittoPub(_ arguments: [String]) throws {
        let output = directory + "/../mosquitto_pub-\(port).log"
        let client = try ChildProcess(
            "/usr/bin/mosquitto_pub", ["-h", "127.0.0.1", "-p", "\(port)", "-q", "1"] + arguments, outputPath: output)
        guard let status = client.waitForExit(timeoutSeconds: 10) else {
            client.killHard()
            throw TestFailure("mosquitto_pub timed out")
        }
        guard status == 0 else { throw TestFailure("mosquitto_pub failed (\(status)): \(client.output)") }
    }
}
