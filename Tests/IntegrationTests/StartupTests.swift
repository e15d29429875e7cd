import Foundation
import GRDB
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Bad configuration stops start-up with a message that names the file, the line and the fix.
@Suite("Start-up of the floodwatch binary", .timeLimit(.minutes(2)), .blockingAllowed, .takingTurns)
struct StartupTests {
    private func run(_ arguments: [String]) throws -> (status: Int32?, output: String) {
        let folder = try TestPaths.temporaryDirectory("startup")
        let process = try ChildProcess(
            try TestPaths.executable("floodwatch"), arguments, outputPath: folder + "/out.log", workingDirectory: folder
        )
        let status = process.waitForExit(timeoutSeconds: 30)
        if status == nil { process.killHard() }
        return (status, process.output)
    }

    @Test("a catalogue error names the file and line and stops with status 78")
    func badCatalogue() throws {
        let folder = try TestPaths.temporaryDirectory("catalogue")
        let path = folder + "/stations.yaml"
        var text = try String(contentsOfFile: TestPaths.catalogue, encoding: .utf8)
        // Giao Thủy's BĐ III is 8.80: make it lower than BĐ II on a line we can find again.
        text = text.replacingOccurrences(of: "III: 8.80", with: "III: 7.00")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let line =
            try #require(
                text.split(separator: "\n", omittingEmptySubsequences: false)
                    .firstIndex { $0.contains("III: 7.00") }) + 1

        let (status, output) = try run(["serve", "--stations", path, "--database", folder + "/db.sqlite"])
        #expect(status == 78)
        #expect(output.contains("\(path):\(line)"), "names file and line: \(output)")
        #expect(output.contains("fix"), "says how to fix it: \(output)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/db.sqlite"), "nothing started")
    }

    @Test("a malformed --broker is refused with the expected form")
    func badBroker() throws {
        let (status, output) = try run(["serve", "--broker", "localhost", "--stations", TestPaths.catalogue])
        #expect(status == 78)
        #expect(output.contains("--broker"))
        #expect(output.contains("127.0.0.1:1883"))
    }

    @Test("a configuration file error names the file and line")
    func badConfigFile() throws {
        let folder = try TestPaths.temporaryDirectory("config")
        let path = folder + "/floodwatch.yaml"
        try "broker: 127.0.0.1:1883\ndatabse: floodwatch.sqlite\n".write(
            toFile: path, atomically: true, encoding: .utf8)
        let (status, output) = try run(["serve", "--config", path])
        #expect(status == 78)
        #expect(output.contains("\(path):2"), "names file and line: \(output)")
        #expect(output.contains("databse"))
        #expect(output.contains("database"), "lists the known keys")
    }

    @Test("real alerts without a sender of their own are refused, naming the file and the fix; an exercise runs")
    func senderRequired() async throws {
        let broker = try TestBroker()
        let folder = try TestPaths.temporaryDirectory("no-sender")
        let path = folder + "/floodwatch.yaml"
        try """
        broker: 127.0.0.1:\(broker.port)
        http: 127.0.0.1:\(try TestPaths.freePort())
        database: floodwatch.sqlite
        stations: \(TestPaths.catalogue)
        """.write(toFile: path, atomically: true, encoding: .utf8)
        let (status, output) = try run(["serve", "--config", path])
        #expect(status == 78)
        #expect(output.contains("alerts have no sender"), "\(output)")
        #expect(output.contains("under 'alerts:' in \(path)"), "\(output)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/floodwatch.sqlite"), "nothing started")

        let exercise = try ChildProcess(
            try TestPaths.executable("floodwatch"), ["serve", "--config", path, "--exercise"],
            outputPath: folder + "/exercise.log")
        #expect(try await eventually { exercise.output.contains("Subscribed") || !exercise.isRunning })
        #expect(exercise.isRunning, "\(exercise.output)")
        exercise.signal(SIGTERM)
        #expect(exercise.waitForExit(timeoutSeconds: 20) == 0)
    }

    @Test("a configuration file sets broker, database and catalogue; its paths are relative to the file")
    func configFile() async throws {
        let broker = try TestBroker()
        let folder = try TestPaths.temporaryDirectory("configured")
        try FileManager.default.copyItem(atPath: TestPaths.catalogue, toPath: folder + "/stations.yaml")
        let config = folder + "/floodwatch.yaml"
        try """
        # FloodWatch test configuration
        broker: 127.0.0.1:\(broker.port)
        http: 127.0.0.1:\(try TestPaths.freePort())
        database: floodwatch.sqlite
        stations: stations.yaml
        client_id: configured
        log_level: info
        alerts:
          sender: floodwatch@tests.example
        """.write(toFile: config, atomically: true, encoding: .utf8)
        let elsewhere = try TestPaths.temporaryDirectory("elsewhere")
        let process = try ChildProcess(
            try TestPaths.executable("floodwatch"), ["serve", "--config", config], outputPath: elsewhere + "/out.log",
            workingDirectory: elsewhere)
        #expect(try await eventually { process.output.contains("Subscribed") || !process.isRunning })
        try broker.mosquittoPub(
            topic: "gauges/tam-ky/level", payload: #"{"ts":"2020-10-28T21:00:00+07:00","value":1.05}"#)
        let database = folder + "/floodwatch.sqlite"
        let stored = try await eventually {
            let queue = try DatabaseQueue(path: database)
            return try queue.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM readings") } == 1
        }
        process.signal(SIGTERM)
        #expect(process.waitForExit(timeoutSeconds: 20) == 0)
        #expect(stored, "the reading is in the database named by the file: \(process.output)")
        #expect(process.output.contains("client_id=configured"))
    }

    @Test("--help explains every option")
    func help() throws {
        let (status, output) = try run(["serve", "--help"])
        #expect(status == 0)
        for option in ["--broker", "--database", "--stations", "--config", "--client-id", "--log-level"] {
            #expect(output.contains(option), "\(option) is explained")
        }
    }

    @Test("mistakes in the alerts section are all reported with their lines before anything starts")
    func badAlertsSection() throws {
        let folder = try TestPaths.temporaryDirectory("alerts-config")
        let path = folder + "/floodwatch.yaml"
        try """
        stations: \(TestPaths.catalogue)
        database: db.sqlite
        alerts:
          sender: Ban chỉ huy, Bắc Trà My
          reminders: {every: 0m}
          webhooks:
            - name: sms
              url: ftp://sms.example.vn/hook
              stations: [cau-lau, cau-lua]
          email:
            sendmail: /nonexistent/sendmail -oi
            from: floodwatch@bactramy.example
            recipients:
              "*": [duty-officer]
        """.write(toFile: path, atomically: true, encoding: .utf8)
        let (status, output) = try run(["serve", "--config", path])
        #expect(status == 78)
        for (line, words) in [
            (4, "CAP does not allow"), (5, "more than 0 seconds"), (7, "has no secret"),
            (8, "not an http or https URL"),
            (9, "unknown station 'cau-lua'"), (11, "/nonexistent/sendmail"), (14, "'duty-officer' is not an e-mail"),
        ] {
            #expect(output.contains("\(path):\(line)"), "line \(line): \(output)")
            #expect(output.contains(words), "\(words): \(output)")
        }
        #expect(output.contains("did you mean 'cau-lau'?"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/db.sqlite"), "nothing started")
    }

    @Test("an HTTP address in use stops start-up with status 78 and says so")
    func httpPortTaken() async throws {
        let broker = try TestBroker()
        let first = try ServiceProcess(broker: broker, clientID: "first")
        let running = try await first.start()
        let folder = try TestPaths.temporaryDirectory("http-taken")
        let (status, output) = try run([
            "serve", "--broker", "127.0.0.1:\(broker.port)", "--http", "127.0.0.1:\(first.httpPort)",
            "--stations", TestPaths.catalogue, "--database", folder + "/db.sqlite", "--client-id", "second",
            "--sender", ServiceProcess.testSender,
        ])
        #expect(status == 78)
        #expect(output.contains("cannot listen for HTTP on 127.0.0.1:\(first.httpPort)"), "\(output)")
        #expect(output.contains("--http HOST:PORT"))
        running.signal(SIGTERM)
        #expect(running.waitForExit(timeoutSeconds: 20) == 0)
    }
}
