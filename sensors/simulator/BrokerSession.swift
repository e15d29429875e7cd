import Foundation
import MQTT

/// The simulator's one connection to the broker: publishes, counts, and waits for acknowledgements.
final class BrokerSession {
    /// Why the simulator could not start talking to the broker.
    struct Unreachable: Error, CustomStringConvertible {
        let address: BrokerAddress
        let reason: MQTTError
        var description: String { "cannot reach the MQTT broker at \(address): \(reason)" }
    }

    let address: BrokerAddress
    let qos: Int
    private let publisher: MQTTPublisher
    /// Messages handed to libmosquitto, including those it queued while disconnected from the broker.
    private(set) var messages = 0
    private(set) var readings = 0
    private(set) var duplicates = 0
    private(set) var badMessages = 0
    private(set) var failures = 0

    /// Connects with a clean session: a simulator has nothing for the broker to keep between runs.
    init(address: BrokerAddress, clientID: String, qos: Int) throws(Unreachable) {
        self.address = address
        self.qos = qos
        let configuration = MQTTConfiguration(
            host: address.host, port: address.port, clientID: clientID, cleanSession: true)
        do throws(MQTTError) {
            publisher = try MQTTPublisher(configuration: configuration, maxInflight: 1000)
            try publisher.connect(timeoutSeconds: 5)
        } catch {
            throw Unreachable(address: address, reason: error)
        }
    }

    /// Messages the broker has acknowledged (for QoS 0: handed to the socket).
    var acknowledged: Int { messages - unacknowledged }
    var unacknowledged: Int { publisher.unacknowledged }

    /// Publishes one message. Nothing here is fatal: libmosquitto reconnects by itself and queues QoS 1 messages
    /// meanwhile, and a gauge keeps measuring while its broker is away.
    func publish(_ message: OutgoingMessage) {
        do {
            try publisher.publish(topic: message.topic, text: message.payload, qos: qos)
        } catch {
            failures += 1
            if failures <= 10 || failures % 1000 == 0 {
                Log.error("publish to \(message.topic) failed, message lost (\(failures) so far): \(error)")
            }
            return
        }
        messages += 1
        readings += message.readings
        switch message.kind {
        case .duplicate: duplicates += 1
        case .bad: badMessages += 1
        default: break
        }
    }

    /// Holds back while more than `window` messages wait for the broker, so a fast run cannot pile up an
    /// unbounded queue inside libmosquitto. - Returns: false when a stop was requested while waiting.
    func throttle(window: Int) -> Bool {
        while unacknowledged > window {
            if StopSignal.requested { return false }
            usleep(1000)
        }
        return true
    }

    /// Waits for the broker to acknowledge everything, then disconnects.
    /// - Returns: true when nothing was left unacknowledged.
    func finish(timeoutSeconds: Double) -> Bool {
        let deadline = Stopwatch.seconds() + timeoutSeconds
        while unacknowledged > 0 && Stopwatch.seconds() < deadline {
            usleep(2000)
        }
        publisher.disconnect()
        return unacknowledged <= 0
    }

    /// One line of counts.
    var counts: String {
        "published \(messages) messages (\(readings) readings, \(duplicates) duplicates, \(badMessages) bad), "
            + "acknowledged \(acknowledged)" + (failures > 0 ? ", \(failures) failed to publish" : "")
    }
}
