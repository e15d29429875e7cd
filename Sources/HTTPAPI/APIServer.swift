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
        /// Readings, warnings, gaps and notices: the SQLite file (`FloodDatabase`) or another `HistoryStore`.
        public var database: any HistoryStore
        public var catalogue: StationCatalogue
        public var alertSettings: AlertSettings
        public var access: AccessPolicy
        public var live: LiveEvents
        public var readiness: @Sendable () async -> Readiness
        /// The Prometheus text of every metric.
        public var metricsText: @Sendable () -> String
        /// Now, for the page's "updated" times, token lockouts and the feed.
        public var clock: WallClock
        public var logger: Logger
        /// Failed authentications per client address, for the 429 that stops token guessing.
        public var failedLogins: FailedLogins
        /// The broker's count of messages it dropped, as last heard (`/api/gaps`).
        public var brokerDropped: @Sendable () -> Int64?
        /// Told after an acknowledgement was stored: its notice is in the outbox, to be sent now.
        public var acknowledged: @Sendable () -> Void

        public init(
            database: any HistoryStore, catalogue: StationCatalogue, alertSettings: AlertSettings,
            access: AccessPolicy = AccessPolicy(), live: LiveEvents = LiveEvents(),
            readiness: @escaping @Sendable () async -> Readiness = { Readiness() },
            metricsText: @escaping @Sendable () -> String = { "" },
            clock: WallClock = .system,
            logger: Logger = Logger(label: "floodwatch-http"), failedLogins: FailedLogins = FailedLogins(),
            brokerDropped: @escaping @Sendable () -> Int64? = { nil },
            acknowledged: @escaping @Sendable () -> Void = {}
        ) {
            self.brokerDropped = brokerDropped
            self.acknowledged = acknowledged
            self.database = database
            self.catalogue = catalogue
            self.alertSettings = alertSettings
            self.access = access
            self.live = live
            self.readiness = readiness
            self.metricsText = metricsText
            self.clock = clock
            self.logger = logger
            self.failedLogins = failedLogins
        }

        /// `AccessPolicy.authorize`, refusing an address with too many recent failures (429) and counting and
        /// logging each failure with where it came from (never the token sent).
        /// - Parameter tokenRequired: a known token is needed even where reading is open (what is for staff only).
        @discardableResult
        func authorize(
            _ request: Request, _ requestContext: APIRequestContext, as role: AccessPolicy.Role = .reader,
            tokenRequired: Bool = false
        ) async throws -> AccessPolicy.Token? {
            let address = requestContext.clientAddress
            if let wait = await failedLogins.blockedFor(address, now: clock()) {
                throw APIError(
                    status: .tooManyRequests,
                    message: "too many failed authentications from \(address); try again in \(wait) s",
                    retryAfter: wait)
            }
            do {
                return try access.authorize(request, as: role, tokenRequired: tokenRequired)
            } catch let error as APIError where error.status == .unauthorized {
                let failures = await failedLogins.recordFailure(address, now: clock())
                logger.warning(
                    "Failed HTTP authentication",
                    metadata: ["from": "\(address)", "path": "\(request.uri.path)", "failures": "\(failures)"])
                throw error
            }
        }
    }

    public static func router(_ context: Context) -> Router<APIRequestContext> {
        let router = Router(context: APIRequestContext.self)
        router.add(middleware: StoreUnavailableMiddleware())
        CAPRoutes(context: context).add(to: router.group("cap"))
        BulletinRoutes(context: context).add(to: router)
        let api = router.group("api")
        StationRoutes(context: context).add(to: api)
        AreaRoutes(context: context).add(to: api)
        WarningRoutes(context: context).add(to: api)
        GapRoutes(context: context).add(to: api)
        SystemRoutes(context: context).add(to: router)
        return router
    }

    /// The HTTP server as a Service.
    /// - Parameters:
    ///   - port: 0 lets the kernel choose a free port.
    ///   - onListening: told the port once the server listens (the one chosen, for port 0).
    public static func application(
        _ context: Context, host: String, port: Int, logger: Logger,
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        Application(
            router: router(context),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "FloodWatch"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? port) },
            logger: logger)
    }
}
