import ArgumentParser
import FloodWatchServer
import Foundation
import Logging
import Metrics
import Prometheus

/// `floodwatch serve`: ingest readings until SIGTERM or Ctrl-C.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Take gauge readings from the MQTT broker and store them in SQLite until stopped.",
        discussion: """
            Subscribes to gauges/# at QoS 1 with a persistent session, so readings published while FloodWatch \
            is down arrive when it is back. A reading is acknowledged to the broker only after it is committed \
            to the database. SIGTERM or Ctrl-C stops intake, commits the last batch and exits with status 0.

            Every option can also come from a YAML file given with --config (keys: broker, broker_username, \
            broker_password_file, broker_ca_file, broker_cert_file, broker_key_file, http, database, stations, \
            client_id, log_level, alerts, access; relative paths are relative to that file). Options on the command line win. \
            The configuration file is described in docs/operations.md, its alerts section in docs/alerts.md.
            """
    )

    @Option(help: ArgumentHelp("YAML configuration file with any of the options below.", valueName: "path"))
    var config: String?

    @Option(help: ArgumentHelp("MQTT broker to subscribe to. (default: 127.0.0.1:1883)", valueName: "host:port"))
    var broker: String?

    @Option(
        name: .customLong("broker-username"),
        help: ArgumentHelp("Broker account FloodWatch logs in with. (default: none)", valueName: "name"))
    var brokerUsername: String?

    @Option(
        name: .customLong("broker-password-file"),
        help: ArgumentHelp("File holding that account's password on one line.", valueName: "path"))
    var brokerPasswordFile: String?

    @Option(
        name: .customLong("broker-ca-file"),
        help: ArgumentHelp(
            "Connect to the broker over TLS, trusting this certificate authority (PEM). The broker's certificate "
                + "must name the host given with --broker.",
            valueName: "path"))
    var brokerCAFile: String?

    @Option(
        help: ArgumentHelp(
            "Address of the HTTP server (CAP documents and feed under /cap). (default: 127.0.0.1:8080)",
            valueName: "host:port"))
    var http: String?

    @Option(
        help: ArgumentHelp(
            """
            SQLite database file, created and migrated when needed, or a PostgreSQL database as \
            postgres://user@host:port/db (password in PGPASSWORD), migrated when needed. (default: floodwatch.sqlite)
            """, valueName: "path|url"))
    var database: String?

    @Option(help: ArgumentHelp("Station catalogue. (default: sensors/stations.yaml)", valueName: "path"))
    var stations: String?

    @Option(
        name: .customLong("client-id"),
        help: ArgumentHelp(
            "MQTT client id of FloodWatch's persistent session. Keep it fixed: the broker queues readings under "
                + "this id while FloodWatch is down. (default: floodwatch)",
            valueName: "id"))
    var clientID: String?

    @Option(
        name: .customLong("log-level"),
        help: ArgumentHelp(
            "trace, debug, info, notice, warning, error or critical. (default: info)", valueName: "level"))
    var logLevel: String?

    @Flag(
        help: ArgumentHelp(
            "Mark every alert as an exercise (CAP status Exercise, subjects say so): for simulated gauges."))
    var exercise = false

    @Option(
        help: ArgumentHelp(
            "CAP sender of the alerts, e.g. floodwatch@bactramy.gov.vn (over the file's alerts.sender); needed "
                + "unless --exercise.", valueName: "address"))
    var sender: String?

    @Option(
        help: ArgumentHelp(
            "On PostgreSQL: how many slots the stations are divided into, each held by one instance at a time; "
                + "the same on every instance. (default: 1, one active instance and the others standing by)",
            valueName: "count"))
    var slots: String?

    @Option(
        name: .customLong("lease-seconds"),
        help: ArgumentHelp(
            "On PostgreSQL: how long an instance's leases last unrenewed: a dead instance's slots move after about "
                + "this long. (default: 10)", valueName: "seconds"))
    var leaseSeconds: String?

    func run() async throws {
        // A file-size limit (`ulimit -f`, systemd's LimitFSIZE=) would otherwise kill the process with SIGXFSZ in
        // the middle of a commit; ignored, the write fails with EFBIG and is handled like a full disk: nothing is
        // acknowledged, the batch is retried until the write succeeds.
        signal(SIGXFSZ, SIG_IGN)
        let settings: ServeSettings
        do {
            settings = try ServeSettings.resolve(
                flags: ServeSettings.Overrides(
                    broker: broker, http: http, database: database, stations: stations, clientID: clientID,
                    logLevel: logLevel, brokerUsername: brokerUsername, brokerPasswordFile: brokerPasswordFile,
                    brokerCAFile: brokerCAFile, exercise: exercise, sender: sender, slots: slots,
                    leaseSeconds: leaseSeconds),
                configFile: config)
        } catch {
            Self.fail(error)
        }
        let logLevel = settings.logLevel
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = logLevel
            return handler
        }
        // Prometheus: every swift-metrics counter of the process, served at GET /metrics.
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let logger = Logger(label: "floodwatch")
        let application: ServerApplication
        do {
            application = try await ServerApplication.build(settings, logger: logger) {
                var bytes: [UInt8] = []
                registry.emit(into: &bytes)
                return String(decoding: bytes, as: UTF8.self)
            }
        } catch {
            Self.fail(error)
        }
        do {
            try await application.run()
        } catch {
            // The one start-up problem found only once running: the HTTP address is taken or not ours to use.
            let text = "\(error)"
            if text.contains("bind") || text.contains("Address already in use") {
                Self.fail(
                    StartupError(
                        "cannot listen for HTTP on \(settings.http.host):\(settings.http.port): \(text)",
                        fix: "stop what uses that port, or choose another address with --http HOST:PORT"))
            }
            throw error
        }
    }

    /// Configuration and start-up problems end the process with a message that says what to fix and
    /// exit status 78 (EX_CONFIG), which systemd shows as a configuration error instead of restarting in a loop.
    static func fail(_ error: any Error) -> Never {
        FileHandle.standardError.write(Data("floodwatch: cannot start\n\(error)\n".utf8))
        Foundation.exit(78)
    }
}
