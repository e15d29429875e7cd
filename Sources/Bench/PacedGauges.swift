import Foundation
import MQTT

#if canImport(Glibc)
    import Glibc
#endif

/// Simulated gauges publishing at a fixed offered load: readings at `rate` per second, gauges in turn.
///
/// Each gauge's level ramps up through BĐ I to BĐ II, holds, ramps down and rests: 0.2 m per 5 minutes (below
/// the spike filter's limit), a flood of 30 readings in every 200 (about 17 hours of reading time), each gauge
/// at its own phase. Warnings are raised, escalated and cleared all through a run, as when a typhoon crosses
/// a basin: about one reading in 25 causes an alert.
struct PacedGauges {
    let port: Int
    let rate: Int
    let gauges: Int
    let clientID: String

    /// Publishes readings `first..<first + count` (reading `i` is gauge `i % gauges`, step `i / gauges`, 5 minutes
    /// after `firstTime`, Unix seconds), paced, until done or `stop` says so; blocks, so call it from a thread of
    /// its own. Waits for the broker's acknowledgements. - Returns: how many were published.
    func publish(
        _ count: Int, from first: Int = 0, firstTime: Int64, stop: () -> Bool = { false },
        published: (Int) -> Void = { _ in }
    ) throws -> Int {
        let publisher = try MQTTPublisher(
            configuration: MQTTConfiguration(host: "127.0.0.1", port: port, clientID: clientID, cleanSession: true),
            maxInflight: 20_000)
        try publisher.connect()
        defer { publisher.disconnect() }
        let start = BenchSubscriber.now()
        let nanosecondsPerReading = 1_000_000_000 / Double(rate)
        var sent = 0
        for index in first..<(first + count) {
            if stop() { break }
            let due = start + UInt64(Double(index - first) * nanosecondsPerReading)
            let now = BenchSubscriber.now()
            if due > now + 200_000 { usleep(UInt32((due - now) / 1000)) }
            let gauge = index % gauges
            let step = index / gauges
            let phase = (step + gauge * 37) % 200
            let metres = 1.0 + 0.2 * Double(min(phase, 10) - max(0, min(phase, 30) - 20))
            published(index)
            try publisher.publish(
                topic: "gauges/\(BenchStations.id(gauge))/level",
                text: #"{"ts":\#(firstTime + Int64(step) * 300),"value":\#(metres),"seq":\#(step)}"#)
            sent += 1
        }
        guard publisher.waitForAcknowledgements(timeoutSeconds: 120) else {
            throw BenchFailure("the broker did not acknowledge the readings at \(rate)/s")
        }
        return sent
    }
}
