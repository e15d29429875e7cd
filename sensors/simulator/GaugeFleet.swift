import Gauges

/// The gauges of the network as message senders: they number their readings, choose their payload form, and,
/// unless the behaviour is clean, lose their link and upload a backlog later, repeat messages and now and then
/// send a broken one.
///
/// Feed it every station's readings once per reporting interval with `tick`; it returns the messages to
/// publish, in order, and the notable events to print. No I/O: all decisions come from a seeded generator, so a
/// seed and a sequence of ticks always give the same messages.
struct GaugeFleet: Sendable {
    /// A notable event, printed as one line.
    enum Event: Sendable, Hashable, CustomStringConvertible {
        case linkLost(station: String, intervals: Int)
        case linkRestored(station: String, readings: Int, messages: Int)
        case badMessage(BadMessage, topic: String, payload: String)

        var description: String {
            switch self {
            case .linkLost(let station, let intervals):
                return "link lost: \(station) goes silent for \(intervals) intervals, keeping its readings"
            case .linkRestored(let station, let readings, let messages):
                return "link restored: \(station) uploads a backlog of \(readings) readings in \(messages) message(s)"
            case .badMessage(let kind, let topic, let payload):
                let shown = payload.count > 160 ? String(payload.prefix(160)) + "…" : payload
                return "bad message (\(kind.summary)): \(topic) \(shown)"
            }
        }
    }

    /// What one tick produced.
    struct Output: Sendable {
        var messages: [OutgoingMessage] = []
        var events: [Event] = []
    }

    /// A station whose link is down: the intervals still to wait and the readings kept meanwhile.
    private struct Outage: Sendable {
        var remaining: Int
        var kept: [Measurement]
    }

    let behaviour: GaugeBehaviour
    /// Stations that send all their readings together as SenML (any station with more than one sensor may).
    let senMLStations: Set<String>
    private var random: SeededRandom
    private var counters: [String: Int64] = [:]
    private var outages: [String: Outage] = [:]
    private var ranges: [String: [String: ClosedRange<Double>]] = [:]

    init(stations: [Station], behaviour: GaugeBehaviour, seed: UInt64) {
        self.behaviour = behaviour
        random = SeededRandom(seed: seed, stream: "behaviour")
        var senML: Set<String> = []
        if behaviour.senMLShare > 0 {
            let eligible = stations.filter { $0.sensors.count > 1 }
            for station in eligible {
                var draw = SeededRandom(seed: seed, stream: "senml/" + station.id)
                if draw.chance(behaviour.senMLShare) { senML.insert(station.id) }
            }
            // "Some stations": with a small catalogue the draw may pick none; then take one.
            if senML.isEmpty, !eligible.isEmpty {
                senML.insert(eligible[Int(random.next() % UInt64(eligible.count))].id)
            }
        }
        senMLStations = senML
        for station in stations {
            ranges[station.id] = Dictionary(station.sensors.map { ($0.kind.rawValue, $0.range) }) { first, _ in first }
        }
    }

    /// Stations whose link is down right now.
    var silentStations: [String] { outages.keys.sorted() }

    /// One reporting interval: every station's readings taken at `timestamp` (Unix ms).
    mutating func tick(_ samples: [StationSample], timestamp: Int64) -> Output {
        var output = Output()
        for sample in samples where !sample.values.isEmpty {
            let station = sample.station.id
            let measurements = sample.values.map { value in
                Measurement(
                    station: station, sensor: value.sensor, timestamp: timestamp, value: value.value,
                    seq: nextSeq(station: station, sensor: value.sensor.rawValue))
            }
            if var outage = outages[station] {
                // Link down: the gauge keeps measuring. When the wait is over, this reading goes up with the rest.
                outage.kept += measurements
                outage.remaining -= 1
                if outage.remaining > 0 {
                    outages[station] = outage
                } else {
                    outages[station] = nil
                    let uploads = backlogMessages(station: station, outage.kept)
                    output.events.append(
                        .linkRestored(station: station, readings: outage.kept.count, messages: uploads.count))
                    for message in uploads { send(message, genuine: nil, station: station, into: &output) }
                }
                continue
            }
            if random.chance(behaviour.linkLossRate) {
                let intervals =
                    behaviour.outageIntervals.lowerBound
                    + Int(random.next() % UInt64(behaviour.outageIntervals.count))
                outages[station] = Outage(remaining: intervals, kept: measurements)
                output.events.append(.linkLost(station: station, intervals: intervals))
                continue
            }
            if senMLStations.contains(station) {
                let message = OutgoingMessage(
                    topic: "gauges/\(station)", payload: PayloadWriter.senML(station: station, measurements),
                    kind: .senML, readings: measurements.count)
                send(message, genuine: measurements, station: station, into: &output)
            } else {
                for measurement in measurements {
                    let message = OutgoingMessage(
                        topic: measurement.topic, payload: PayloadWriter.reading(measurement), kind: .reading,
                        readings: 1)
                    send(message, genuine: [measurement], station: station, into: &output)
                }
            }
        }
        return output
    }

    /// A backlog: one SenML pack for a SenML station, else one form-b array per sensor.
    private func backlogMessages(station: String, _ kept: [Measurement]) -> [OutgoingMessage] {
        if senMLStations.contains(station) {
            return [
                OutgoingMessage(
                    topic: "gauges/\(station)", payload: PayloadWriter.senML(station: station, kept), kind: .senML,
                    readings: kept.count)
            ]
        }
        var sensors: [String] = []
        for measurement in kept where !sensors.contains(measurement.sensor) { sensors.append(measurement.sensor) }
        return sensors.map { sensor in
            let readings = kept.filter { $0.sensor == sensor }
            return OutgoingMessage(
                topic: "gauges/\(station)/\(sensor)", payload: PayloadWriter.backlog(readings), kind: .backlog,
                readings: readings.count)
        }
    }

    /// Adds a message, maybe preceded by a broken copy and maybe followed by a duplicate.
    /// - Parameter genuine: the readings of a live message; nil for a backlog (those are never broken here).
    private mutating func send(
        _ message: OutgoingMessage, genuine: [Measurement]?, station: String, into output: inout Output
    ) {
        if let genuine, random.chance(behaviour.badRate) {
            let kinds = BadMessage.applicable(to: genuine.map(\.sensor))
            let kind = kinds[Int(random.next() % UInt64(kinds.count))]
            let temperatureSeq =
                kind == .unknownSensor ? nextSeq(station: station, sensor: BadMessage.unknownSensorName) : 0
            let bad = kind.message(
                station: station, genuine: genuine, senML: message.kind == .senML, ranges: ranges[station] ?? [:],
                temperatureSeq: temperatureSeq, random: &random)
            output.messages.append(bad)
            output.events.append(.badMessage(kind, topic: bad.topic, payload: bad.payload))
        }
        output.messages.append(message)
        if random.chance(behaviour.duplicateRate) {
            output.messages.append(
                OutgoingMessage(topic: message.topic, payload: message.payload, kind: .duplicate, readings: 0))
        }
    }

    /// The gauge's counter for a station and sensor: 1 for the first message, then one more each time.
    private mutating func nextSeq(station: String, sensor: String) -> Int64 {
        let key = station + "/" + sensor
        let next = (counters[key] ?? 0) + 1
        counters[key] = next
        return next
    }
}
