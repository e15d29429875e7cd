import Foundation
import MQTT
import TestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// A real mosquitto broker on free loopback ports, configured from `deploy/mosquitto.conf`.
///
/// `.open` (most tests): the shipped settings with the accounts, access rules and TLS listener left out, so tests of
/// ingestion publish without logging in. `.shipped`: the file as shipped, with only paths and ports replaced, a
/// password file of test accounts, `deploy/mosquitto.acl`, and certificates from `deploy/issue-certificates`.
final class TestBroker: @unchecked Sendable {
    enum Security {
        case open
        /// Accounts (user name → password) for the password file.
        case shipped(accounts: [String: String])
    }

    private(set) var port = 0
    /// The TLS listener's port (`.shipped` only).
    private(set) var tlsPort = 0
    let directory: String
    let security: Security
    private var process: ChildProcess?

    /// The certificate authority that signed the broker's certificate (`.shipped` only).
    var caFile: String { directory + "/floodwatch-ca.crt" }

    /// Lines added after the shipped ones (a later setting wins in mosquitto's configuration).
    let extraConfiguration: [String]

    init(security: Security = .open, extraConfiguration: [String] = []) throws {
        directory = try TestPaths.temporaryDirectory("broker")
        self.security = security
        self.extraConfiguration = extraConfiguration
        if case .shipped(let accounts) = security {
            try Self.prepareSecurityFiles(in: directory, accounts: accounts)
        }
        // Run as root, mosquitto drops to its own user; the persistence folder and (mosquitto 2.0 reads them after
        // dropping root) the password file, access rules and keys must be that user's, or they are ignored.
        if getuid() == 0, let user = getpwnam("mosquitto") {
            for path in [directory]
                + ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).map({
                    directory + "/" + $0
                })
            {
                chown(path, user.pointee.pw_uid, user.pointee.pw_gid)
            }
        }
        // A port found free can still be taken before mosquitto binds it (many servers start in parallel):
        // then another port is tried.
        var failure: (any Error)?
        for _ in 0..<3 {
            port = try TestPaths.freePort()
            tlsPort = try TestPaths.freePort()
            try configuration().write(toFile: directory + "/mosquitto.conf", atomically: true, encoding: .utf8)
            do {
                try start()
                return
            } catch {
                failure = error
            }
        }
        throw failure ?? TestFailure("mosquitto did not start")
    }

    /// The password file (with `mosquitto_passwd`), the shipped access rules and the certificates.
    private static func prepareSecurityFiles(in directory: String, accounts: [String: String]) throws {
        for (index, (user, password)) in accounts.sorted(by: { $0.key < $1.key }).enumerated() {
            let passwd = try ChildProcess(
                "/usr/bin/mosquitto_passwd",
                (index == 0 ? ["-c"] : []) + ["-b", directory + "/passwd", user, password],
                outputPath: directory + "/../mosquitto_passwd.log")
            guard passwd.waitForExit(timeoutSeconds: 10) == 0 else {
                throw TestFailure("mosquitto_passwd failed: \(passwd.output)")
            }
        }
        try FileManager.default.copyItem(
            atPath: TestPaths.root + "/deploy/mosquitto.acl", toPath: directory + "/acl")
        let issue = try ChildProcess(
            TestPaths.root + "/deploy/issue-certificates", [directory, "localhost"],
            outputPath: directory + "/../issue-certificates.log")
        guard issue.waitForExit(timeoutSeconds: 30) == 0 else {
            throw TestFailure("deploy/issue-certificates failed: \(issue.output)")
        }
    }

    /// `deploy/mosquitto.conf` for this broker: its folder, ports and log; in `.open`, no accounts and no TLS.
    private func configuration() throws -> String {
        let deployed = try String(contentsOfFile: TestPaths.root + "/deploy/mosquitto.conf", encoding: .utf8)
        let security = ["allow_anonymous", "password_file", "acl_file", "cafile", "certfile", "keyfile", "tls_version"]
        var lines: [String] = []
        var listeners = 0
        for line in deployed.split(separator: "\n", omittingEmptySubsequences: false) {
            let words = line.split(separator: " ")
            let key = words.first.map(String.init) ?? ""
            let value = words.dropFirst().first.map(String.init) ?? ""
            let file = directory + "/" + (value.split(separator: "/").last.map(String.init) ?? "")
            switch (key, self.security) {
            case ("user", _), ("log_dest", _):
                continue
            case ("persistence_location", _):
                lines.append("persistence_location \(directory)/")
            case ("listener", _):
                listeners += 1
                if listeners == 1 {
                    lines.append("listener \(port) 127.0.0.1")
                } else if case .shipped = self.security {
                    lines.append("listener \(tlsPort) 127.0.0.1")
                }
            case (_, .open) where security.contains(key):
                continue
            case ("password_file", .shipped):
                lines.append("password_file \(directory)/passwd")
            case ("acl_file", .shipped):
                lines.append("acl_file \(directory)/acl")
            case ("cafile", .shipped), ("certfile", .shipped), ("keyfile", .shipped):
                lines.append("\(key) \(file)")
            default:
                lines.append(String(line))
            }
        }
        if case .open = self.security { lines.append("allow_anonymous true") }
        lines.append("log_dest stderr")
        lines += extraConfiguration
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

    /// A connected publisher, as a gauge would be; over TLS with an account when `user` is given (`.shipped`).
    func publisher(
        _ clientID: String = "test-gauge-\(UInt32.random(in: 0...UInt32.max))", user: String? = nil,
        password: String? = nil, tls: Bool = false
    ) throws -> MQTTPublisher {
        var configuration = configuration(clientID: clientID, cleanSession: true)
        configuration.username = user
        configuration.password = password
        if tls {
            // "localhost": the name in the broker's certificate, as a gauge in the field uses the broker's name.
            configuration.host = "localhost"
            configuration.port = tlsPort
            configuration.tls = MQTTTLS(caFile: caFile)
        }
        let publisher = try MQTTPublisher(configuration: configuration)
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
