import Alerting
import Alerts
import Catalogue
import Foundation
import Gauges
import Ingestion
import Logging
import MQTT
import PostgresStore
import Storage

/// The settings of `floodwatch serve`, from command-line flags, else the configuration file, else defaults.
///
/// `resolve` reads and checks all of them; every problem names its flag, or its file and line, and the fix.
public struct ServeSettings {
    public struct Endpoint: Equatable, Sendable {
        public var host: String
        public var port: Int

        public init(host: String, port: Int) {
            self.host = host
            self.port = port
        }
    }

    public var broker = Endpoint(host: "127.0.0.1", port: 1883)
    /// Where the HTTP server listens (CAP documents and feed; the API and dashboard).
    public var http = Endpoint(host: "127.0.0.1", port: 8080)
    public var database = "floodwatch.sqlite"
    public var stations = "sensors/stations.yaml"
    public var clientID = IngestConfiguration.defaultClientID
    /// The broker account FloodWatch logs in with (`deploy/mosquitto.conf` allows no anonymous client).
    public var brokerUsername: String?
    /// Read from `broker_password_file` at start: a password never sits on a command line, where `ps` shows it.
    public var brokerPassword: String?
    /// TLS to the broker when a CA file is given.
    public var brokerCAFile: String?
    public var brokerCertificateFile: String?
    public var brokerKeyFile: String?
    public var logLevel = Logger.Level.info
    /// The `alerts:` section; defaults when the file has none.
    public var alerts = AlertsFileSection()
    /// The `access:` section: open reading and no tokens when the file has none.
    public var access = AccessFileSection()
    /// `bulletin.every`: how often the situation report is made and sent while a warning is active; nil: never.
    public var bulletinSeconds: Int? = 3 * 3600
    /// On PostgreSQL: how many slots the stations are divided into (`SlotMap`), each one persistent MQTT session
    /// held by one instance at a time. Every instance on one database must say the same.
    public var slots = 1
    /// On PostgreSQL: how long an instance's leases last unrenewed (`LeaseTerms`): a dead instance's work moves
    /// after about this long; a stall of the machine this long loses the leases.
    public var leaseSeconds = 10
    public var leaseDuration: Duration { .seconds(leaseSeconds) }
    /// Where the configuration file's problems are collected; kept for the checks that need the catalogue.
    var fileDiagnostics: YAMLDiagnostics?
    /// The configuration file read, if any: named in messages about what it lacks.
    var configFile: String?

    /// Values given on the command line; nil where a flag was not given.
    public struct Overrides: Sendable {
        public var broker: String?
        public var http: String?
        public var database: String?
        public var stations: String?
        public var clientID: String?
        public var logLevel: String?
        public var brokerUsername: String?
        public var brokerPasswordFile: String?
        public var brokerCAFile: String?
        /// `--exercise`: the simulator drives the service; alerts say so.
        public var exercise = false
        /// `--sender`: the CAP sender, over the file's `alerts.sender`.
        public var sender: String?
        public var slots: String?
        public var leaseSeconds: String?

        public init(
            broker: String? = nil, http: String? = nil, database: String? = nil, stations: String? = nil,
            clientID: String? = nil, logLevel: String? = nil, brokerUsername: String? = nil,
            brokerPasswordFile: String? = nil, brokerCAFile: String? = nil, exercise: Bool = false,
            sender: String? = nil, slots: String? = nil, leaseSeconds: String? = nil
        ) {
            self.sender = sender
            self.slots = slots
            self.leaseSeconds = leaseSeconds
            self.broker = broker
            self.http = http
            self.database = database
            self.stations = stations
            self.clientID = clientID
            self.logLevel = logLevel
            self.brokerUsername = brokerUsername
            self.brokerPasswordFile = brokerPasswordFile
            self.brokerCAFile = brokerCAFile
            self.exercise = exercise
        }
    }

    /// The defaults: a local broker, `floodwatch.sqlite`, the bundled catalogue.
    public init() {}

    /// The keys a configuration file may set, each mirroring a flag.
    static let fileKeys = [
        "broker", "broker_username", "broker_password_file", "broker_ca_file", "broker_cert_file", "broker_key_file",
        "http", "database", "stations", "client_id", "log_level", "alerts", "access", "bulletin", "slots",
        "lease_seconds",
    ]
    /// Keys whose relative paths are relative to the configuration file.
    static let pathKeys = [
        "database", "stations", "broker_password_file", "broker_ca_file", "broker_cert_file", "broker_key_file",
    ]

    /// Flags over the configuration file over the defaults.
    /// - Throws: `StartupError` for a bad flag, `ConfigurationFileError` with every problem of the file.
    public static func resolve(flags: Overrides, configFile: String?) throws -> ServeSettings {
        var settings = ServeSettings()
        if let configFile {
            try settings.read(configFile: configFile)
        }
        let given: [(String, String?)] = [
            ("broker", flags.broker), ("http", flags.http), ("database", flags.database), ("stations", flags.stations),
            ("client_id", flags.clientID), ("log_level", flags.logLevel), ("broker_username", flags.brokerUsername),
            ("broker_password_file", flags.brokerPasswordFile), ("broker_ca_file", flags.brokerCAFile),
            ("slots", flags.slots), ("lease_seconds", flags.leaseSeconds),
        ]
        for case (let key, let value?) in given {
            if let problem = settings.apply(key: key, value: value) {
                let flag = "--" + key.replacingOccurrences(of: "_", with: "-")
                throw StartupError("\(flag): \(problem.message)", fix: problem.fix)
            }
        }
        if flags.exercise { settings.alerts.settings.exercise = true }
        if let sender = flags.sender {
            guard !sender.isEmpty, !sender.contains(where: { $0 == " " || $0 == "," || $0 == "<" || $0 == "&" })
            else {
                throw StartupError(
                    "--sender '\(sender)' is empty or contains a space, comma, < or &, which CAP does not allow",
                    fix: "use an address or domain name, e.g. --sender floodwatch@bactramy.gov.vn")
            }
            settings.alerts.settings.sender = sender
            settings.alerts.senderConfigured = true
        }
        settings.configFile = configFile
        if (settings.brokerCertificateFile == nil) != (settings.brokerKeyFile == nil) {
            throw StartupError(
                "broker_cert_file and broker_key_file go together",
                fix: "give both (a client certificate and its key) or neither")
        }
        return settings
    }

    /// How a connection of FloodWatch reaches the broker: address, account and TLS, under its own client id.
    public func brokerConfiguration(clientID: String) -> MQTTConfiguration {
        MQTTConfiguration(
            host: broker.host, port: broker.port, clientID: clientID, username: brokerUsername,
            password: brokerPassword,
            tls: brokerCAFile.map {
                MQTTTLS(caFile: $0, certificateFile: brokerCertificateFile, keyFile: brokerKeyFile)
            })
    }

    /// How the alert service sends: the `alerts:` section, over a broker connection of its own (clean session: alerts
    /// are in the outbox, not in a broker session).
    public func alertConfiguration() -> AlertConfiguration {
        var broker = brokerConfiguration(clientID: alerts.clientID)
        broker.cleanSession = true
        var configuration = AlertConfiguration(settings: alerts.settings, routing: alerts.routing, broker: broker)
        configuration.reminderIntervalMilliseconds = Int64(alerts.reminderSeconds) * 1000
        configuration.reminderMinimumLevel = alerts.reminderMinimumLevel
        configuration.storm = alerts.storm
        configuration.retry = alerts.retry
        return configuration
    }

    /// `bulletin: {every: 3h}`, or `{enabled: false}`.
    private mutating func readBulletin(_ mapping: YAMLMapping) {
        mapping.checkKeys(["every", "enabled"])
        if let every = mapping.optional("every")?.positiveDuration(
            fix: "how often the bulletin is sent while a warning is active, e.g. 3h")
        {
            bulletinSeconds = every
        }
        if let value = mapping.optional("enabled") {
            switch value.text(example: "false")?.lowercased() {
            case "false", "no", "off": bulletinSeconds = nil
            case "true", "yes", "on", nil: break
            case let other?: value.report("enabled must be true or false, found '\(other)'", fix: "write true or false")
            }
        }
    }

    /// Outside exercises, alerts need a sender of their own: aggregators tell alerts apart by sender and
    /// identifier, and `floodwatch@localhost` is every unconfigured installation's.
    public func checkSender() throws {
        guard !alerts.settings.exercise, !alerts.senderConfigured else { return }
        let file = configFile.map { "under 'alerts:' in \($0)" } ?? "under 'alerts:' in the file given with --config"
        throw StartupError(
            "alerts have no sender: CAP documents would go out as \(AlertSettings.defaultSender), which any "
                + "installation may use",
            fix: "add 'sender: floodwatch@your-domain' \(file), or give --sender; simulated gauges: --exercise")
    }

    /// Checks what needs the catalogue: the station ids the alert receivers name.
    public func checkAlerts(against catalogue: StationCatalogue) throws {
        guard let diagnostics = fileDiagnostics else { return }
        alerts.checkReferences(StationCatalogueIDs(catalogue))
        if !diagnostics.isEmpty {
            throw ConfigurationFileError(problems: diagnostics.problemsInFileOrder)
        }
    }

    /// Applies a configuration file; every problem in it is reported at once, with its line.
    private mutating func read(configFile path: String) throws {
        let diagnostics = YAMLDiagnostics(file: path)
        if let text = YAMLDocument.readText(
            atPath: path, diagnostics: diagnostics, what: "the configuration file",
            fix: "check the path given with --config"),
            let mapping = YAMLDocument.parse(text, diagnostics: diagnostics)?.mapping()
        {
            mapping.checkKeys(Self.fileKeys)
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
            fileDiagnostics = diagnostics
            if let section = mapping.optional("alerts")?.mapping() {
                alerts.read(section, folder: folder)
            }
            if let section = mapping.optional("access")?.mapping() {
                access.read(section, folder: folder)
            }
            if let section = mapping.optional("bulletin")?.mapping() {
                readBulletin(section)
            }
            for entry in mapping.entries
            where Self.fileKeys.contains(entry.key) && !["alerts", "access", "bulletin"].contains(entry.key) {
                guard var value = entry.value.text() else { continue }
                // Paths in the file are relative to the file, so it can move with its catalogue.
                if Self.pathKeys.contains(entry.key), !value.hasPrefix("/"), !PostgresLocation.isURL(value) {
                    value = folder.appendingPathComponent(value).standardizedFileURL.path
                }
                if let problem = apply(key: entry.key, value: value) {
                    entry.value.report(problem.message, fix: problem.fix)
                }
            }
        }
        if !diagnostics.isEmpty {
            // Report unknown station ids now too, so one start shows every problem of the file.
            if let catalogue = try? CatalogueLoader.load(path: stations) {
                alerts.checkReferences(StationCatalogueIDs(catalogue))
            }
            throw ConfigurationFileError(problems: diagnostics.problemsInFileOrder)
        }
    }

    /// Sets one value, or says what is wrong with it and how to fix it.
    private mutating func apply(key: String, value: String) -> (message: String, fix: String)? {
        switch key {
        case "broker":
            guard let endpoint = Self.endpoint(value) else {
                return ("broker '\(value)' is not HOST:PORT", "write it as host and port, e.g. 127.0.0.1:1883")
            }
            broker = endpoint
        case "http":
            // Port 0: the kernel picks a free one (side-by-side instances, tests); the log names it once bound.
            guard let endpoint = Self.endpoint(value, allowingAnyPort: true) else {
                return (
                    "http '\(value)' is not HOST:PORT",
                    "write it as host and port, e.g. 127.0.0.1:8080 (port 0 picks a free one)"
                )
            }
            http = endpoint
        case "database":
            guard !value.isEmpty else {
                return ("database path is empty", "give a file path, or a postgres://user@host:port/db URL")
            }
            if PostgresLocation.isURL(value) {
                do {
                    _ = try PostgresLocation(url: value)
                } catch {
                    return (error.text + " " + error.problem, "write postgres://user[:password]@host[:port]/database")
                }
            }
            database = value
        case "stations":
            guard !value.isEmpty else { return ("stations path is empty", "give a file path") }
            stations = value
        case "client_id":
            guard !value.isEmpty, value.utf8.count <= 65535, !value.contains(where: { $0 == "#" || $0 == "+" })
            else {
                return ("client id '\(value)' is not usable", "use letters, digits and dashes")
            }
            clientID = value
        case "broker_username":
            guard !value.isEmpty, value.utf8.count <= 65535 else {
                return ("broker username is empty", "give the broker account FloodWatch logs in with, e.g. floodwatch")
            }
            brokerUsername = value
        case "broker_password_file":
            guard let text = try? String(contentsOfFile: value, encoding: .utf8) else {
                return (
                    "cannot read the broker password file \(value)",
                    "create it with the password of FloodWatch's broker account on one line, readable by the service only"
                )
            }
            let password = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !password.isEmpty else {
                return ("the broker password file \(value) is empty", "write the password on its first line")
            }
            brokerPassword = password
        case "broker_ca_file", "broker_cert_file", "broker_key_file":
            guard FileManager.default.isReadableFile(atPath: value) else {
                return (
                    "cannot read \(value)",
                    "give a readable PEM file (docs/operations.md, \"Broker security\", shows how to issue them)"
                )
            }
            switch key {
            case "broker_ca_file": brokerCAFile = value
            case "broker_cert_file": brokerCertificateFile = value
            default: brokerKeyFile = value
            }
        case "log_level":
            guard let level = Logger.Level(rawValue: value.lowercased()) else {
                let known = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
                return ("unknown log level '\(value)'", "use one of \(known)")
            }
            logLevel = level
        case "slots":
            guard let count = Int(value), (1...1024).contains(count) else {
                return (
                    "slots '\(value)' is not a whole number from 1 to 1024",
                    "give how many slots the stations are divided into, the same on every instance, e.g. 4"
                )
            }
            slots = count
        case "lease_seconds":
            guard let seconds = Int(value), (3...600).contains(seconds) else {
                return (
                    "lease_seconds '\(value)' is not a whole number of seconds from 3 to 600",
                    "give how long an instance's leases last unrenewed, e.g. 10"
                )
            }
            leaseSeconds = seconds
        default:
            preconditionFailure("unchecked key \(key)")
        }
        return nil
    }

    /// `host:port`, `[v6-address]:port`; the port in 1…65535, or 0 too when `allowingAnyPort` (a server's
    /// address: the kernel picks the port).
    static func endpoint(_ text: String, allowingAnyPort: Bool = false) -> Endpoint? {
        guard let colon = text.lastIndex(of: ":") else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty, let port = Int(text[text.index(after: colon)...]),
            ((allowingAnyPort ? 0 : 1)...65535).contains(port)
        else {
            return nil
        }
        return Endpoint(host: host, port: port)
    }
}

/// Every problem of a configuration file, each with its line and fix.
public struct ConfigurationFileError: Error, CustomStringConvertible {
    public let problems: [YAMLProblem]

    public var description: String { YAMLProblem.report(problems) }
}
