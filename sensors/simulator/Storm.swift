import Foundation

/// The basin-wide rain of one simulated typhoon, as a smooth intensity curve over a storm cycle.
///
/// A typhoon crossing central Vietnam typically brings an outer rain band before landfall, the heaviest rain
/// with the core, and trailing rain where the remnant meets the north-east monsoon. The storm is the sum of
/// three such bands (Gaussian in time), their timing and weight jittered by the seed, scaled so that the
/// wettest 24 hours bring `wettest24Hours` millimetres to a station of rain factor 1. Stations multiply it by
/// their own factor (Trà My, in the mountains, gets the most: over 300 mm in 24 h, as real storms bring there).
///
/// The curve repeats every `cycleHours`: the simulator plays storm after storm, with the rivers receding between
/// them. Pure value type, no I/O.
struct Storm: Sendable {
    /// One rain band: its peak time and spread in storm hours, and its relative strength.
    struct Band: Sendable, Hashable {
        var centreHours: Double
        var spreadHours: Double
        var weight: Double
    }

    /// Length of one storm, dry tail included: long enough for the lowest station to recede before the next.
    static let cycleHours = 48.0
    /// The grid the storm is integrated on; one storm minute is fine enough for any reporting interval.
    static let stepsPerHour = 60

    let bands: [Band]
    /// Rain in the wettest 24 hours at a station of rain factor 1, in mm.
    let wettest24Hours: Double
    /// mm/h per unit of the summed band curve.
    private let scale: Double

    init(seed: UInt64) {
        var random = SeededRandom(seed: seed, stream: "storm")
        func jitter(_ value: Double, by amount: Double) -> Double {
            value + (random.unit() * 2 - 1) * amount
        }
        bands = [
            Band(centreHours: jitter(9, by: 1.5), spreadHours: jitter(2.5, by: 0.5), weight: jitter(0.4, by: 0.1)),
            Band(centreHours: jitter(16, by: 1.5), spreadHours: jitter(3.5, by: 0.5), weight: 1),
            Band(centreHours: jitter(25, by: 2), spreadHours: jitter(4, by: 1), weight: jitter(0.45, by: 0.15)),
        ]
        wettest24Hours = 230 + random.unit() * 70
        scale = wettest24Hours / Self.wettest24HourSum(of: bands)
    }

    /// Rain intensity in mm/h at a station of rain factor 1, at a storm time (any real number: the storm repeats).
    func intensity(atHours hours: Double) -> Double {
        Self.curve(bands, atHours: hours) * scale
    }

    /// The unscaled sum of the bands.
    private static func curve(_ bands: [Band], atHours hours: Double) -> Double {
        var sum = 0.0
        for band in bands {
            // Distance on the cycle, so the curve joins smoothly where one storm ends and the next begins.
            var distance = (hours - band.centreHours).truncatingRemainder(dividingBy: Self.cycleHours)
            if distance > Self.cycleHours / 2 { distance -= Self.cycleHours }
            if distance < -Self.cycleHours / 2 { distance += Self.cycleHours }
            let z = distance / band.spreadHours
            sum += band.weight * exp(-z * z / 2)
        }
        return sum
    }

    /// The largest 24-hour rain of the unscaled curve, on the storm grid.
    private static func wettest24HourSum(of bands: [Band]) -> Double {
        let steps = Int(cycleHours) * stepsPerHour
        let window = 24 * stepsPerHour
        let perStep = (0..<steps).map {
            curve(bands, atHours: Double($0) / Double(stepsPerHour)) / Double(stepsPerHour)
        }
        var running = perStep[0..<window].reduce(0, +)
        var best = running
        for start in 1..<steps {
            running += perStep[(start + window - 1) % steps] - perStep[start - 1]
            best = max(best, running)
        }
        return best
    }
}
