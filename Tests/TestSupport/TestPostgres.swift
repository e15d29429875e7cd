import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A real PostgreSQL 15 server (Debian's `postgresql`) on a free loopback port, with a cluster of its own in a
/// temporary folder and a `floodwatch` database, for the tests of the PostgreSQL store.
///
/// `initdb` and the server refuse to run as root: when the tests run as root the folder is given to the `postgres`
/// user and every server program runs as that user (`setpriv`, which replaces itself with the program, so the
/// server's process id is the child's and signals reach it). Clients (`psql`, FloodWatch) connect over TCP as the
/// cluster's superuser `postgres`, trusted on loopback only.
public final class TestPostgres: @unchecked Sendable {
    public static let binaries = "/usr/lib/postgresql/15/bin"
    public static let database = "floodwatch"

    public private(set) var port = 0
    public let directory: String
    private var process: ChildProcess?

    public var dataDirectory: String { directory + "/data" }

    /// `--database` of `floodwatch serve` for this server.
    public var url: String { "postgres://postgres@127.0.0.1:\(port)/\(Self.database)" }

    /// How the server is stopped. PostgreSQL's own signals: `fast` (SIGINT) rolls back open transactions and
    /// checkpoints; `immediate` (SIGQUIT) exits at once, as a crash would, and the next start recovers from the log.
    public enum StopMode {
        case fast
        case immediate
    }

    public init() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.binaries + "/postgres") else {
            throw TestFailure("PostgreSQL 15 is not installed (\(Self.binaries)/postgres): run scripts/setup")
        }
        directory = try TestPaths.temporaryDirectory("postgres")
        // Whose server this is: `scripts/test` stops, and reports, a server still running after its owner exited.
        try "\(getpid())\n".write(toFile: directory + "/owner.pid", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: false)
        chmod(dataDirectory, 0o700)
        if getuid() == 0 {
            guard let user = getpwnam("postgres") else {
                throw TestFailure("running as root and there is no postgres user: run scripts/setup")
            }
            for path in [directory, dataDirectory] { chown(path, user.pointee.pw_uid, user.pointee.pw_gid) }
        }
        let (program, arguments) = Self.asServerUser(
            Self.binaries + "/initdb",
            [
                "--pgdata=\(dataDirectory)", "--username=postgres", "--auth=trust", "--encoding=UTF8",
                "--locale=C.UTF-8",
            ])
        let initdb = try ChildProcess(program, arguments, outputPath: directory + "/initdb.log")
        guard initdb.waitForExit(timeoutSeconds: 120) == 0 else {
            throw TestFailure("initdb failed:\n\(initdb.output)")
        }
        // A port found free can still be taken before the server binds it: then another one is tried.
        var failure: (any Error)?
        for _ in 0..<3 {
            port = try TestPaths.freePort()
            do {
                try start()
                try psql("CREATE DATABASE \(Self.database)", database: "postgres")
                return
            } catch {
                failure = error
                stop(.immediate)
            }
        }
        throw failure ?? TestFailure("PostgreSQL did not start")
    }

    deinit {
        stop(.immediate)
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Starts the server on `port` (again, after `stop`), and returns once it accepts connections.
    public func start() throws {
        guard process == nil else { return }
        let (program, arguments) = Self.asServerUser(
            Self.binaries + "/postgres",
            [
                "-D", dataDirectory, "-p", "\(port)", "-c", "listen_addresses=127.0.0.1",
                "-c", "unix_socket_directories=\(directory)", "-c", "fsync=on",
            ])
        let server = try ChildProcess(program, arguments, outputPath: directory + "/server.log")
        process = server
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            guard server.isRunning else { break }
            if ready() { return }
            usleep(50_000)
        }
        throw TestFailure("PostgreSQL did not start on port \(port):\n\(log)")
    }

    /// Stops the server and waits for it to exit (SIGKILL after 30 s).
    public func stop(_ mode: StopMode = .fast) {
        guard let process else { return }
        process.signal(mode == .fast ? SIGINT : SIGQUIT)
        if process.waitForExit(timeoutSeconds: 30) == nil { process.killHard() }
        self.process = nil
    }

    public var isRunning: Bool { process?.isRunning ?? false }

    /// Whether the server accepts connections (`pg_isready`).
    public func ready() -> Bool {
        guard
            let check = try? ChildProcess(
                Self.binaries + "/pg_isready", ["-h", "127.0.0.1", "-p", "\(port)", "-U", "postgres", "-q"],
                outputPath: directory + "/pg_isready.log")
        else { return false }
        return check.waitForExit(timeoutSeconds: 10) == 0
    }

    /// Runs SQL with `psql` (stopping at the first error) and returns what it printed: unaligned, tuples only, `|`
    /// between columns.
    @discardableResult
    public func psql(_ sql: String, database: String = TestPostgres.database) throws -> String {
        let output = directory + "/psql-\(UUID().uuidString.prefix(8)).out"
        defer { try? FileManager.default.removeItem(atPath: output) }
        let client = try ChildProcess(
            "/usr/bin/psql",
            [
                "-h", "127.0.0.1", "-p", "\(port)", "-U", "postgres", "-d", database, "-v", "ON_ERROR_STOP=1",
                "-X", "-q", "-A", "-t", "-c", sql,
            ],
            outputPath: output)
        let status = client.waitForExit(timeoutSeconds: 60)
        guard status == 0 else {
            throw TestFailure("psql exited with \(status.map(String.init) ?? "no status in 60 s"): \(client.output)")
        }
        return client.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The server's log (startup, recovery, errors).
    public var log: String { (try? String(contentsOfFile: directory + "/server.log", encoding: .utf8)) ?? "" }

    /// As root, `setpriv` runs the program as the `postgres` user (and becomes it); otherwise the program itself.
    private static func asServerUser(_ program: String, _ arguments: [String]) -> (String, [String]) {
        guard getuid() == 0 else { return (program, arguments) }
        return (
            "/usr/bin/setpriv",
            ["--reuid=postgres", "--regid=postgres", "--init-groups", "--reset-env", "--", program] + arguments
        )
    }
}
