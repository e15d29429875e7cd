import Alerts
import MQTT

/// How the alert service sends notices.
public struct AlertConfiguration: Sendable {
    /// Who alerts say they come from, and whether they are an exercise.
    public var settings: AlertSettings
    /// Which channels and receivers get which notices.
    public var routing: AlertRouting
    /// The alert connection to the broker: its own client id, so alert publishing never waits behind the
    /// ingest connection's batches and acknowledgements.
    public var broker: MQTTConfiguration
    /// An unacknowledged warning of `reminderMinimumLevel` or above is sent again after this long without news.
    public var reminderIntervalMilliseconds: Int64 = 15 * 60_000
    public var reminderMinimumLevel = 2
    /// How often the router looks for due reminders.
    public var reminderCheckMilliseconds: Int64 = 5000
    public var storm = StormControl()
    public var retry = RetryPolicy()
    /// MQTT deliveries wait at most this long between attempts: the broker is local and back in seconds.
    public var mqttRetryMaximumMilliseconds: Int64 = 5000
    /// How often the router looks at the outbox for notices it was not told about: those written by another process
    /// (`floodwatch ack`). Commits of this process (ingestion, acknowledgements over HTTP) wake it at once.
    public var pollSeconds = 1.0
    /// On a store several instances share, deliveries a lane takes are claimed for this long (`claimDueDeliveries`):
    /// longer than a receiver's timeout, and as short as that allows, since deliveries in the hands of a dispatcher
    /// that died wait for it to pass.
    public var deliveryClaimMilliseconds: Int64 = 30_000

    public static let defaultClientID = "floodwatch-alerts"

    public init(
        settings: AlertSettings = AlertSettings(), routing: AlertRouting = AlertRouting(), broker: MQTTConfiguration
    ) {
        self.settings = settings
        self.routing = routing
        self.broker = broker
    }
}
