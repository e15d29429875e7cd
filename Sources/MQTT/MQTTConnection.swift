/// An MQTT subscriber connection whose network loop is driven by its owner, so the owner decides when
/// acknowledgements leave: after the messages they acknowledge are durable.
///
/// ## Why the owner drives the loop
/// A QoS 1 message is acknowledged (PUBACK) when it is read, but the acknowledgement is only queued: `poll` reads
/// and never writes, `writePending` writes. A caller that commits everything `poll` returned before calling
/// `writePending` therefore acknowledges nothing it has not stored. A crash in between loses only PUBACKs, and the
/// broker redelivers those messages to the persistent session.
///
/// ## Who speaks MQTT
/// On plain TCP, FloodWatch's own `TCPSession`: large reads and one write per batch of acknowledgements, which
/// libmosquitto cannot do (see `TCPSession`). Over TLS, libmosquitto (`MosquittoSession`), in threaded mode so that
/// it too only queues its PUBACKs. `Client.libmosquitto` forces libmosquitto on plain TCP as well, for comparison.
///
/// Not thread-safe: use it from one thread, the one that runs the loop.
public final class MQTTConnection {
    /// What happened on the connection during a `poll`.
    public enum Event: Sendable {
        /// The broker accepted the connection. `sessionPresent` says it kept the previous session.
        case connected(sessionPresent: Bool)
        /// The broker answered CONNECT with a refusal (bad credentials, client id not allowed, ...).
        case refused(MQTTError)
        /// The broker answered the SUBSCRIBE `messageID` with the QoS it granted; nil when it refused it.
        case subscribed(grantedQoS: Int?, messageID: Int32)
        case message(MQTTMessage)
        /// The connection is gone; `connect` starts a new one.
        case disconnected(MQTTError?)
    }

    /// Which MQTT implementation carries the connection.
    public enum Client: Sendable {
        /// FloodWatch's own on plain TCP, libmosquitto over TLS.
        case automatic
        /// libmosquitto in every case.
        case libmosquitto
    }

    public let configuration: MQTTConfiguration
    private let session: any MQTTSession

    public init(configuration: MQTTConfiguration, client: Client = .automatic) throws(MQTTError) {
        self.configuration = configuration
        if configuration.tls == nil, client == .automatic {
            session = TCPSession(configuration: configuration)
        } else {
            session = try MosquittoSession(configuration: configuration)
        }
    }

    /// Whether the last `poll` stopped at its `maxMessages` or `maxBytes`: more may be waiting at the broker.
    public var lastPollReachedLimit: Bool { session.lastPollReachedLimit }

    /// Opens the TCP connection and queues CONNECT; the broker's answer arrives as an event from `poll` after
    /// `writePending` sent it. Blocks for the TCP handshake. Any queued packet of an earlier connection,
    /// unwritten acknowledgements included, is discarded: the broker redelivers those messages.
    public func connect() throws(MQTTError) {
        try session.connect()
    }

    /// Whether a TCP connection is open (it may still await the broker's CONNACK).
    public var isOpen: Bool { session.isOpen }

    /// Queues a subscription; sent by the next `writePending`.
    /// - Returns: its message id, which the `subscribed` event answering it carries.
    @discardableResult
    public func subscribe(_ filter: String, qos: Int) throws(MQTTError) -> Int32 {
        try session.subscribe(filter, qos: qos)
    }

    /// Waits up to `timeoutMilliseconds` for the broker, then reads every complete packet already waiting,
    /// stopping after `maxMessages` messages or once their payloads reach `maxBytes` (then `lastPollReachedLimit`).
    /// Never writes: acknowledgements of the returned messages stay queued until `writePending`.
    /// - Parameter interrupt: ends the wait early when another thread calls its `interrupt()` (a stop).
    public func poll(
        timeoutMilliseconds: Int32, maxMessages: Int, maxBytes: Int = .max, interrupt: PollInterrupt? = nil
    ) -> [Event] {
        session.poll(
            timeoutMilliseconds: timeoutMilliseconds, maxMessages: maxMessages, maxBytes: maxBytes,
            interrupt: interrupt)
    }

    /// Whether packets (acknowledgements, pings, CONNECT, SUBSCRIBE) are queued for the broker.
    public var hasPendingWrites: Bool { session.hasPendingWrites }

    /// Writes queued packets as far as the socket takes them. Call it only once every message `poll` returned
    /// so far is durable: this is what sends their acknowledgements.
    public func writePending() throws(MQTTError) {
        try session.writePending()
    }

    /// Keep-alive housekeeping: queues a PINGREQ when idle and closes a connection whose broker stopped answering.
    public func maintain() {
        session.maintain()
    }

    /// Sends DISCONNECT after whatever is queued, then closes. The persistent session stays on the broker.
    public func disconnect() {
        session.disconnect()
    }
}
