/// One way of speaking MQTT to the broker behind `MQTTConnection`, which documents each operation: FloodWatch's own
/// `TCPSession` on plain TCP, libmosquitto's (`MosquittoSession`) where TLS is configured.
protocol MQTTSession: AnyObject {
    var isOpen: Bool { get }
    var hasPendingWrites: Bool { get }
    var lastPollReachedLimit: Bool { get }
    func connect() throws(MQTTError)
    func subscribe(_ filter: String, qos: Int) throws(MQTTError) -> Int32
    func poll(
        timeoutMilliseconds: Int32, maxMessages: Int, maxBytes: Int, interrupt: PollInterrupt?
    ) -> [MQTTConnection.Event]
    func writePending() throws(MQTTError)
    func maintain()
    func disconnect()
}
