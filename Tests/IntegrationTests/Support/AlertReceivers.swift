import Foundation
import TestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// A real webhook HTTP server and a real SMTP server (`Tests/Fixtures/alert_receivers.py`, Python's standard
/// library), recording what arrives as JSON lines a test can read.
final class AlertReceivers: @unchecked Sendable {
    static let secret = "test-secret-ệ"
    let directory: String
    private(set) var httpPort = 0
    private(set) var smtpPort = 0
    private var process: ChildProcess?

    /// - Parameter failFirst: the webhook answers 500 to this many requests first.
    init(failFirst: Int = 0) throws {
        directory = try TestPaths.temporaryDirectory("receivers")
        try start(failFirst: failFirst)
    }

    deinit {
        process?.killHard()
    }

    /// Starts the receivers, on the ports of the last start when there was one (a receiver coming back).
    func start(failFirst: Int = 0) throws {
        let log = directory + "/receivers-\(UInt32.random(in: 0...UInt32.max)).log"
        let process = try ChildProcess(
            "/usr/bin/python3",
            [
                TestPaths.root + "/Tests/Fixtures/alert_receivers.py", "--out", directory, "--secret", Self.secret,
                "--fail-first", "\(failFirst)", "--http-port", "\(httpPort)", "--smtp-port", "\(smtpPort)",
            ],
            outputPath: log)
        self.process = process
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            let output = process.output
            if let line = output.split(separator: "\n").first(where: { $0.hasPrefix("ready ") }) {
                let fields = Dictionary(
                    uniqueKeysWithValues: line.split(separator: " ").dropFirst().compactMap { field in
                        let parts = field.split(separator: "=")
                        return parts.count == 2 ? (String(parts[0]), Int(parts[1]) ?? 0) : nil
                    })
                httpPort = fields["http"] ?? 0
                smtpPort = fields["smtp"] ?? 0
                return
            }
            usleep(20_000)
        }
        throw TestFailure("the alert receivers did not start: \(process.output)")
    }

    /// Takes the receivers down (a gateway that is unreachable).
    func stop() {
        process?.killHard()
        process = nil
    }

    var webhookURL: String { "http://127.0.0.1:\(httpPort)/floodwatch" }

    /// `msmtp` talking to the test SMTP server: the system sendmail interface, as production uses it.
    var sendmailCommand: [String] {
        ["/usr/bin/msmtp", "--host=127.0.0.1", "--port=\(smtpPort)", "--auth=off", "--tls=off", "-oi"]
    }

    /// Every webhook request received, oldest first.
    func webhooks() throws -> [[String: Any]] {
        try Self.lines(directory + "/webhooks.jsonl")
    }

    /// Every e-mail received, oldest first.
    func mails() throws -> [[String: Any]] {
        try Self.lines(directory + "/mail.jsonl")
    }

    private static func lines(_ path: String) throws -> [[String: Any]] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        return try text.split(separator: "\n").map { line in
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                throw TestFailure("not a JSON object: \(line)")
            }
            return object
        }
    }
}

/// `mosquitto_sub` on a topic filter, recording each message with its arrival time: a real MQTT client.
final class AlertSubscriber: @unchecked Sendable {
    struct Message {
        var time: Double
        var topic: String
        var payload: String

        var json: [String: Any] {
            (try? JSONSerialization.jsonObject(with: Data(payload.utf8)) as? [String: Any]) ?? [:]
        }
    }

    private let process: ChildProcess

    /// - Parameter count: exit after this many messages (`-C`), e.g. 1 to read a retained message.
    init(broker: TestBroker, filter: String, count: Int? = nil) throws {
        let folder = try TestPaths.temporaryDirectory("sub")
        var arguments = ["-h", "127.0.0.1", "-p", "\(broker.port)", "-t", filter, "-q", "1", "-F", "%U %t %p"]
        if let count { arguments += ["-C", "\(count)"] }
        process = try ChildProcess("/usr/bin/mosquitto_sub", arguments, outputPath: folder + "/messages.log")
        usleep(300_000)  // let it subscribe before the test publishes
    }

    deinit {
        process.killHard()
    }

    var messages: [Message] {
        process.output.split(separator: "\n").compactMap { line in
            let parts = line.split(separator: " ", maxSplits: 2)
            guard parts.count == 3, let time = Double(parts[0]) else { return nil }
            return Message(time: time, topic: String(parts[1]), payload: String(parts[2]))
        }
    }
}
