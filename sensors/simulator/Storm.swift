import Foundation

/// The basin-wide rain of one simulated storm, as a smooth intensity curve over a storm cycle.
///
/// The storm is a sum of rain bands (Gaussian in time) laid out by its kind (`StormKind`: a typhoon, or the
/// district's rain of late 2022), their timing and weight jittered by the seed, scaled so that the wettest 24 hours
/// bring `wettest24Hours` millimetres to a station of rain factor 1. Stations multiply it by their own factor
/// (`RainSeries` makes each gauge's wettest 24 hours exactly that).
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

    /// The grid the storm is integrated on; one storm minute is fine enough for any reporting interval.
    static let stepsPerHour = 60

    let kind: StormKind
    /// Length of one storm, dry tail included.
    let cycleHours: Double
    let bands: [Band]
    /// Rain in the wettest 24 hours at a station of rain factor 1, in mm.
    let wettest24Hours: Double
    /// mm/h per unit of the summed band curve.
    private let scale: Double

    init(kind: StormKind = .typhoon, seed: UInt64) {
        var random = SeededRandom(seed: seed, stream: "storm")
        // No draw for what does not vary, so that a seed still gives the typhoon it gave before storms had kinds.
        func jitter(_ value: Double, by amount: Double) -> Double {
            amount > 0 ? value + (random.unit() * 2 - 1) * amount : value
        }
        self.kind = kind
        cycleHours = kind.cycleHours
        bands = kind.bands.map { band in
            Band(
                centreHours: jitter(band.centre, by: band.centreJitter),
                spreadHours: jitter(band.spread, by: band.spreadJitter),
                weight: jitter(band.weight, by: band.weightJitter))
        }
        wettest24Hours = kind.wettest24Hours(draw: random.unit())
        scale = wettest24Hours / Self.wettest24HourSum(of: bands, cycleHours: cycleHours)
    }

    /// Rain intensity in mm/h at a station of rain factor 1, at a storm time (any real number: the storm repeats).
    func intensity(atHours hours: Double) -> Double {
        Self.curve(bands, cycleHours: cycleHours, atHours: hours) * scale
    }

    /// The unscaled sum of the bands.
    private static func curve(_ bands: [Band], cycleHours: Double, atHours hours: Double) -> Double {
        var sum = 0.0
        for band in bands {
            // Distance on the cycle, so the curve joins smoothly where one storm ends and the next begins.
            var distance = (hours - band.centreHours).truncatingRemainder(dividingBy: cycleHours)
            if distance > cycleHours / 2 { distance -= cycleHours }
            if distance < -cycleHours / 2 { distance += cycleHours }
            let z = distance / band.spreadHours
            sum += band.weight * exp(-z * z / 2)
        }
        return sum
    }

    /// The largest 24-hour rain of the unscaled curve, on the storm grid.
    private static func wettest24HourSum(of bands: [Band], cycleHours: Double) -> Double {
        let steps = Int(cycleHours) * stepsPerHour
        let perStep = (0..<steps).map {
            curve(bands, cycleHours: cycleHours, atHours: Double($0) / Double(stepsPerHour)) / Double(stepsPerHour)
        }
        return WettestWindow.find(perStep, window: 24 * stepsPerHour).total
    }
}
