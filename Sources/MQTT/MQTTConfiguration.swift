/// How to reach the broker. Shared by the ingest connection and the publisher.
public struct MQTTConfiguration: Sendable, Hashable {
    public var host: String
    public var port: Int
    /// A fixed client id: with `cleanSession` off the broker keeps the subscription and queues QoS 1 messages
    /// under this id while the client is away.
    public var clientID: String
    /// MQTT 3.1.1 clean session flag. Off keeps the session across disconnects. (FloodWatch speaks 3.1.1: in
    /// MQTT 5 a session without a session-expiry property ends at disconnect, the opposite of what a gauge
    /// network needs.)
    public var cleanSession: Bool
    /// Seconds between pings when idle; the broker drops the client after 1.5 times this without traffic.
    public var keepAlive: Int
    public var username: String?
    /// Never logged; `description` of this type leaves it out.
    public var password: String?
    /// TLS to the broker when set; plain TCP otherwise.
    public var tls: MQTTTLS?

    public init(
        host: String = "127.0.0.1",
        port: Int = 1883,
        clientID: String,
        cleanSession: Bool = false,
        keepAlive: Int = 30,
        username: String? = nil,
        password: String? = nil,
        tls: MQTTTLS? = nil
    ) {
        self.host = host
        self.port = port
        self.clientID = clientID
        self.cleanSession = cleanSession
        self.keepAlive = keepAlive
        self.username = username
        self.password = password
        self.tls = tls
    }

    /// `host:port`, for logs and errors.
    public var endpoint: String { "\(host):\(port)" }
}

extension MQTTConfiguration: CustomStringConvertible {
    public var description: String {
        "\(tls == nil ? "" : "mqtts://")\(endpoint) as \(clientID)\(username.map { " (user \($0))" } ?? "")"
    }
}
