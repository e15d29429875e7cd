import Alerts
import Foundation
import Gauges
import Hummingbird
import Logging
import Storage

/// FloodWatch's HTTP server, in the same process as ingestion and alerting: the CAP documents and feed now, the
/// history API and the dashboard page later. A swift-service-lifecycle Service like the others.
public enum APIServer {
    /// What is wrong, if anything, for `/readyz`.
    public struct Readiness: Sendable {
        public var databaseProblem: String?
        public var brokerProblem: String?

        public init(databaseProblem: String? = nil, brokerProblem: String? = nil) {
            self.databaseProblem = databaseProblem
            self.brokerProblem = brokerProblem
        }
    }

    /// What the routes read.
    public struct Context: Sendable {
        public var database: FloodDatabase
        public var catalogue: StationCatalogue
        public var alertSettings: AlertSettings
        public var access: AccessPolicy
        public var live: LiveEvents
        public var readiness: @Sendable () async -> Readiness
        /// The Prometheus text of every metric.
        public var metricsText: @Sendable () -> String
        public var clock: @Sendable () -> Int64
        public var logger: Logger

        public init(
            database: FloodDatabase, catalogue: StationCatalogue, alertSettings: AlertSettings,
            access: AccessPolicy = AccessPolicy(), live: LiveEvents = LiveEvents(),
            readiness: @escaping @Sendable () async -> Readiness = { Readiness() },
            metricsText: @escaping @Sendable () -> String = { "" },
            clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) },
            logger: Logger = Logger(label: "floodwatch-http")
        ) {
            self.database = database
            self.catalogue = catalogue
            self.alertSettings = alertSettings
            self.access = access
            self.live = live
            self.readiness = readiness
            self.metricsText = metricsText
            self.clock = clock
            self.logger = logger
        }
    }

    public static func router(_ context: Context) -> Router<BasicRequestContext> {
        let router = Router()
        CAPRoutes(context: context).add(to: router.group("cap"))
        let api = router.group("api")
        StationRoutes(context: context).add(to: api)
        WarningRoutes(context: context).add(to: api)
        SystemRoutes(context: context).add(to: router)
        return router
    }

    public static func application(
        _ context: Context, host: String, port: Int, logger: Logger
    ) -> some ApplicationProtocol {
        Application(
            router: router(context),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "FloodWatch"),
            logger: logger)
    }
}
