/// One MQTT message the simulator publishes, with what it is for the log and the counts.
struct OutgoingMessage: Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        /// Form a: one reading.
        case reading
        /// Form b: readings kept during a link loss.
        case backlog
        /// Form c: a SenML pack.
        case senML
        /// The same payload again, as a gauge retrying.
        case duplicate
        /// A deliberately broken message; FloodWatch must reject it.
        case bad(BadMessage)
    }

    var topic: String
    var payload: String
    var kind: Kind
    /// Readings in it that FloodWatch should store (a duplicate's and a bad message's count as 0).
    var readings: Int
}
