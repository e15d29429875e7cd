/// Recorded readings (a past flood, from `ReadingsCSV`) made ready for the warning engine: checked as the wire
/// checks them, optionally interpolated, in time order.
public struct RecordedReadings: Sendable {
    /// Valid readings, in timestamp order (file order among equal times).
    public private(set) var readings: [Reading] = []
    /// Rows the wire would have rejected, with their line and reason; they are left out.
    public private(set) var rejected: [(line: Int, reason: RejectionReason)] = []

    /// - Parameters:
    ///   - now: FloodWatch's clock (Unix ms): rows after it are rejected, as live readings would be.
    ///   - interpolateSeconds: when set, water levels are filled in between consecutive readings of a sensor with a
    ///     straight line, one reading every this many seconds (bulletins give a few hours; gauges report every few
    ///     minutes). Rain is never interpolated: it is an amount per report, not a state.
    public init(rows: [ReadingsCSV.Row], catalogue: StationCatalogue, now: Int64, interpolateSeconds: Int? = nil) {
        let decoder = PayloadDecoder(catalogue: catalogue)
        var valid: [Reading] = []
        for row in rows {
            switch decoder.validate(
                station: row.station, sensor: row.sensor, timestamp: row.timestamp, value: row.value, now: now)
            {
            case .success(let reading): valid.append(reading)
            case .failure(let reason): rejected.append((row.line, reason))
            }
        }
        if let step = interpolateSeconds, step > 0 {
            valid = Self.interpolate(valid, stepMilliseconds: Int64(step) * 1000)
        }
        // A stable sort: readings of the same time keep the file's order.
        readings = valid.enumerated().sorted { ($0.element.timestamp, $0.offset) < ($1.element.timestamp, $1.offset) }
            .map(\.element)
    }

    /// Adds points on the grid of `stepMilliseconds` strictly between consecutive level readings of each sensor.
    static func interpolate(_ readings: [Reading], stepMilliseconds step: Int64) -> [Reading] {
        var bySensor: [String: [Reading]] = [:]
        var order: [String] = []
        for reading in readings {
            let key = reading.station + "/" + reading.sensor.rawValue
            if bySensor[key] == nil { order.append(key) }
            bySensor[key, default: []].append(reading)
        }
        var result: [Reading] = []
        for key in order {
            let series = bySensor[key]!.sorted { $0.timestamp < $1.timestamp }
            guard series.first?.sensor == .level else {
                result += series
                continue
            }
            for (index, reading) in series.enumerated() {
                result.append(reading)
                guard index + 1 < series.count else { continue }
                let next = series[index + 1]
                var time = (reading.timestamp / step + 1) * step
                while time < next.timestamp {
                    let fraction = Double(time - reading.timestamp) / Double(next.timestamp - reading.timestamp)
                    let value = reading.value + (next.value - reading.value) * fraction
                    // Millimetre resolution, as gauges report.
                    result.append(
                        Reading(
                            station: reading.station, sensor: .level, timestamp: time,
                            value: (value * 1000).rounded() / 1000))
                    time += step
                }
            }
        }
        return result
    }
}
