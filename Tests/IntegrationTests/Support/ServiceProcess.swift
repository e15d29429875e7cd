import Foundation
import GRDB
import TestSupport

/// The real `floodwatch serve` binary, for tests that stop, kill and restart it.
struct ServiceProcess {
    let broker: TestBroker
    let databasePath: String
    /// The PostgreSQL server `serve` stores on (`--database` its URL), when not the SQLite file `databasePath`.
    let postgres: TestPostgres?
    let clientID: String
    let logPath: String
    /// More `serve` arguments, e.g. `--config FILE`.
    let extraArguments: [String]
    /// The HTTP server's port, free when the service was made.
    let httpPort: Int
    /// `--broker`: the broker's plain listener unless given (e.g. its TLS listener).
    let brokerAddress: String
    /// `--stations`: the bundled catalogue unless given.
    let stations: String

    init(
        broker: TestBroker, clientID: String = "floodwatch", extraArguments: [String] = [],
        brokerAddress: String? = nil, databaseFolder: String? = nil, stations: String = TestPaths.catalogue,
        postgres: TestPostgres? = nil
    ) throws {
        self.postgres = postgres
        let folder = try TestPaths.temporaryDirectory("service")
        self.broker = broker
        self.databasePath = (databaseFolder ?? folder) + "/floodwatch.sqlite"
        self.clientID = clientID
        self.logPath = folder + "/floodwatch.log"
        self.extraArguments = extraArguments
        self.httpPort = try TestPaths.freePort()
        self.brokerAddress = brokerAddress ?? "127.0.0.1:\(broker.port)"
        self.stations = stations
    }

    /// `serve` needs a CAP sender outside exercises: the tests' own, unless the test gives one (a flag, or a
    /// configuration file that names one) or runs an exercise.
    private var senderArguments: [String] {
        if extraArguments.contains("--sender") || extraArguments.contains("--exercise") { return [] }
        if let index = extraArguments.firstIndex(of: "--config"), index + 1 < extraArguments.count,
            let text = try? String(contentsOfFile: extraArguments[index + 1], encoding: .utf8),
            text.contains("sender:")
        {
            return []
        }
        return ["--sender", Self.testSender]
    }

    /// The CAP sender of services under test that configure none.
    static let testSender = "floodwatch@tests.example"

    /// Starts `serve` and waits for the log line `waitingFor`: by default, until it subscribed to the gauges. On
    /// PostgreSQL that is a slot's session (its line says `slot=`): the session of the readings of unknown stations
    /// subscribes too, and a reading published before the slot's subscription would reach nobody.
    ///
    /// Waits 30 s by default, 60 s on PostgreSQL: an instance started after one was killed takes the slot once the
    /// dead one's lease expired (10 s), and on a loaded machine a start took longer than 30 s in all (CI,
    /// DurabilityTests).
    func start(timeoutSeconds: Double? = nil, waitingFor: String? = nil) async throws -> ChildProcess {
        let timeoutSeconds = timeoutSeconds ?? (postgres == nil ? 30 : 60)
        let seen: (String) -> Bool =
            switch (waitingFor, postgres) {
            case (let text?, _): { $0.contains(text) }
            case (nil, nil): { $0.contains("Subscribed") }
            case (nil, _?):
                { $0.split(separator: "\n").contains { $0.contains("slot=") && $0.contains("Subscribed") } }
            }
        let before = (try? String(contentsOfFile: logPath, encoding: .utf8))?.count ?? 0
        let process = try ChildProcess(
            try TestPaths.executable("floodwatch"),
            [
                "serve", "--broker", brokerAddress, "--database", postgres?.url ?? databasePath,
                "--stations", stations, "--client-id", clientID, "--http", "127.0.0.1:\(httpPort)",
            ] + senderArguments + extraArguments,
            outputPath: logPath)
        let connected = try await eventually(timeoutSeconds: timeoutSeconds) {
            let log = process.output
            let recent = log.count > before ? String(log.suffix(log.count - before)) : ""
            return seen(recent) || !process.isRunning
        }
        guard connected, process.isRunning else {
            throw TestFailure("floodwatch did not log '\(waitingFor ?? "Subscribed")':\n\(process.output.suffix(3000))")
        }
        return process
    }

    /// Opens the database as a dashboard would, in WAL mode next to the running service.
    func query<T>(_ body: (Database) throws -> T) throws -> T {
        var configuration = Configuration()
        configuration.readonly = true
        // The service may hold a lock for a moment, e.g. while it checkpoints the WAL on exit.
        configuration.busyMode = .timeout(10)
        let queue = try DatabaseQueue(path: databasePath, configuration: configuration)
        return try queue.read(body)
    }

    /// The rows of a query on whichever store the service writes: SQL both stores share (docs/storage.md).
    func rows(_ sql: String) throws -> [Row] {
        if let postgres { return try postgres.rows(sql) }
        return try query { try Row.fetchAll($0, sql: sql) }
    }

    func readingCount() throws -> Int {
        try count("SELECT COUNT(*) FROM readings")
    }

    /// The number a query of one number gives, on whichever store the service writes: SQL both stores share (the
    /// schema contract of docs/storage.md).
    func count(_ sql: String) throws -> Int {
        if let postgres {
            let text = try postgres.psql(sql)
            guard let number = Int(text) else { throw TestFailure("\(sql) gave '\(text)'") }
            return number
        }
        return try query { try Int.fetchOne($0, sql: sql) ?? 0 }
    }
}
