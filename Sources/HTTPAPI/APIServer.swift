import Alerts
import Gauges
import Hummingbird
import Logging
import Storage

/// FloodWatch's HTTP server, in the same process as ingestion and alerting: the CAP documents and feed now, the
/// history API and the dashboard page later. A swift-service-lifecycle Service like the others.
public enum APIServer {
    /// What the routes read.
    public struct Context: Sendable {
        public var database: FloodDatabase
        public var catalogue: StationCatalogue
        public var alertSettings: AlertSettings

        public init(database: FloodDatabase, catalogue: StationCatalogue, alertSettings: AlertSettings) {
            self.database = database
            self.catalogue = catalogue
            self.alertSettings = alertSettings
        }
    }

    public static func router(_ context: Context) -> Router<BasicRequestContext> {
        let router = Router()
        CAPRoutes(context: context).add(to: router.group("cap"))
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
