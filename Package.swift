// swift-tools-version:6.2
import PackageDescription

// Data flow, one module per step:
//   gauge → CMosquitto/MQTT (broker connection) → Gauges (decode, validate) → Warnings (evaluate)
//   → Storage (SQLite, with the alert outbox) → Alerting (MQTT alert topics, webhooks, e-mail) → HTTPAPI
//   Alerts is what officers receive (notices, CAP documents, bodies), shared by Storage and Alerting.
//   Bulletin compiles the district's situation report at a time T from Storage, for the command and HTTPAPI.
//   Ingestion ties the intake together. FloodWatchServer reads the configuration and assembles the services;
//   `floodwatch` holds only the commands. `floodwatch-bench` measures, and is never shipped.
// Every target declares each module it imports.
let package = Package(
    name: "FloodWatch",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "floodwatch", targets: ["floodwatch"]),
        .executable(name: "gauge-simulator", targets: ["GaugeSimulator"]),
        .executable(name: "floodwatch-bench", targets: ["Bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        // C bridge to the system's libmosquitto (Debian: libmosquitto-dev).
        .systemLibrary(
            name: "CMosquitto",
            pkgConfig: "libmosquitto",
            providers: [.apt(["libmosquitto-dev"])]
        ),
        // SQLite's process-wide settings, set once before the first connection: sqlite3_config is variadic, which
        // Swift cannot call.
        .target(
            name: "CSQLiteSetup",
            linkerSettings: [.linkedLibrary("sqlite3")]
        ),
        // A small MQTT client over libmosquitto. Knows MQTT, nothing about gauges.
        .target(
            name: "MQTT",
            dependencies: ["CMosquitto"]
        ),
        // Blocking work on threads of its own, off Swift's cooperative pool.
        .target(
            name: "BlockingWork"
        ),
        // The domain: stations, sensors, readings, payload decoding and validation. No I/O.
        .target(
            name: "Gauges"
        ),
        // The warning engine: official alarm levels, rate of rise, projected crossings, rain, silent gauges. No I/O.
        .target(
            name: "Warnings",
            dependencies: ["Gauges"]
        ),
        // What officers receive: notices, CAP 1.2 documents, webhook and e-mail bodies, routing. No I/O.
        .target(
            name: "Alerts",
            dependencies: [
                "Gauges",
                "Warnings",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The YAML station catalogue (sensors/stations.yaml) with errors that name file and line, and the tables of
        // Decision 18/2021/QĐ-TTg it carries (Resources/decision-18-2021: data, each row citing the Decision).
        .target(
            name: "Catalogue",
            dependencies: [
                "Gauges",
                .product(name: "Yams", package: "Yams"),
            ],
            resources: [.copy("Resources")]
        ),
        // SQLite through GRDB: schema, migrations, the ingest transaction.
        .target(
            name: "Storage",
            dependencies: [
                "Alerts",
                "BlockingWork",
                "CSQLiteSetup",
                "Gauges",
                "Warnings",
                .product(name: "GRDB", package: "GRDB.swift"),
                // SQLite's C API for the one statement of the hot path (ReadingInsert).
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]
        ),
        // The store on a PostgreSQL server, for a FloodWatch past one machine (issue 16): the SQLite file's schema
        // contract in PostgreSQL, migrated by versions; readings partitioned by month.
        .target(
            name: "PostgresStore",
            dependencies: [
                "Alerts",
                "Gauges",
                "Storage",
                "Warnings",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),
        // The situation report (bản tin) at a time T, compiled from the stored readings and warnings, and its text,
        // JSON and printable HTML.
        .target(
            name: "Bulletin",
            dependencies: ["Alerts", "Gauges", "Storage", "Warnings"]
        ),
        // Broker → decode → store → acknowledge, as a swift-service-lifecycle Service.
        .target(
            name: "Ingestion",
            dependencies: [
                "BlockingWork",
                "MQTT",
                "Gauges",
                "Storage",
                "Warnings",
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Several instances on one PostgreSQL store (issue 17): stations divided into slots, instances named.
        .target(
            name: "Coordination",
            dependencies: [
                "Storage",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Sends notices from the outbox: MQTT alert topics, webhooks, e-mail; reminders and storm control.
        .target(
            name: "Alerting",
            dependencies: [
                "Alerts",
                "BlockingWork",
                "Gauges",
                "MQTT",
                "Storage",
                // Webhooks: the Swift server ecosystem's HTTP client, already built for HummingbirdTesting.
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // HTTP in the same process (Hummingbird 2): the API, CAP documents and feed, live events, the page.
        .target(
            name: "HTTPAPI",
            dependencies: [
                "Alerts",
                "Bulletin",
                "Gauges",
                "Storage",
                "Warnings",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            // The OpenAPI description and the dashboard page, served as they are.
            resources: [.copy("Resources")]
        ),
        // The server as a library: configuration file and flags, their checks (file:line and a fix), and the
        // assembly of the ServiceGroup. The executable and the tests build the application the same way.
        .target(
            name: "FloodWatchServer",
            dependencies: [
                "Alerting",
                "Alerts",
                "Bulletin",
                "Catalogue",
                "Coordination",
                "Gauges",
                "HTTPAPI",
                "Ingestion",
                "MQTT",
                "PostgresStore",
                "Storage",
                "Warnings",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        // The commands operators type; the work is in the libraries above.
        .executableTarget(
            name: "floodwatch",
            dependencies: [
                "Alerts",
                "Bulletin",
                "Catalogue",
                "FloodWatchServer",
                "Gauges",
                "PostgresStore",
                "Storage",
                "Warnings",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        // The benchmarks (`floodwatch-bench`): speed, latency, memory, start-up and stopping, against a broker and
        // databases of their own. A developer tool, not installed with the service.
        .executableTarget(
            name: "Bench",
            dependencies: [
                "Alerting",
                "Alerts",
                "BlockingWork",
                "Catalogue",
                "FloodWatchServer",
                "Gauges",
                "HTTPAPI",
                "Ingestion",
                "MQTT",
                "PostgresStore",
                "Storage",
                "TestSupport",
                "Warnings",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The gauge side: publishes like real river gauges, or replays a recorded flood.
        .executableTarget(
            name: "GaugeSimulator",
            dependencies: [
                "Catalogue",
                "Gauges",
                "MQTT",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "sensors/simulator"
        ),
        .testTarget(
            name: "GaugesTests",
            dependencies: ["Gauges"]
        ),
        .testTarget(
            name: "WarningsTests",
            // Catalogue: the bundled tables of Decision 18/2021/QĐ-TTg, run through the engine row by row.
            dependencies: ["Catalogue", "Gauges", "Warnings"]
        ),
        .testTarget(name: "CoordinationTests", dependencies: ["Coordination"]),
        .testTarget(
            name: "AlertsTests",
            dependencies: ["Alerts", "Gauges", "Warnings"]
        ),
        .testTarget(
            name: "HTTPAPITests",
            dependencies: [
                "Alerts",
                "Gauges",
                "HTTPAPI",
                "Storage",
                "Warnings",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .testTarget(
            name: "BulletinTests",
            dependencies: ["Alerts", "Bulletin", "Gauges", "Storage", "Warnings"]
        ),
        .testTarget(
            name: "CatalogueTests",
            dependencies: ["Catalogue", "Gauges"]
        ),
        .testTarget(
            name: "StorageTests",
            dependencies: [
                "Alerts", "BlockingWork", "Gauges", "PostgresStore", "Storage", "TestSupport", "Warnings",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "FloodWatchServerTests",
            dependencies: [
                "Alerting",
                "Catalogue",
                "FloodWatchServer",
                "Gauges",
                "HTTPAPI",
                "PostgresStore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: [
                // The binaries these tests run: listed so that `swift test` compiles what they are linked from
                // (it does not link them; TestPaths.executable refuses a binary older than its objects).
                "floodwatch",
                "GaugeSimulator",
                "Alerting",
                "FloodWatchServer",
                "Alerts",
                "Catalogue",
                "Gauges",
                "Ingestion",
                "MQTT",
                "PostgresStore",
                "Storage",
                "TestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "PostgresStoreTests",
            dependencies: [
                "Alerts", "BlockingWork", "Gauges", "HTTPAPI", "PostgresStore", "Storage", "TestSupport", "Warnings",
            ]
        ),
        // What several test targets share: child processes, free ports, temporary folders, the package's paths,
        // and a PostgreSQL server of their own (`TestPostgres`, which the benchmarks use too). A plain target:
        // nothing ships it.
        .target(
            name: "TestSupport",
            dependencies: ["Gauges", "Storage", .product(name: "GRDB", package: "GRDB.swift")],
            path: "Tests/TestSupport"
        ),
    ]
)
