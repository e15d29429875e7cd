import Foundation

/// What one rain gauge collects during the storm cycle, and what it reports.
///
/// The storm's smooth curve is multiplied by the station's rain factor, shifted by its delay (bands reach
/// the mountains a little after the coast) and by a random multiplier that drifts minute by minute (convective
/// cells: real rain comes in bursts). The series is kept as cumulative millimetres on a one-minute grid.
///
/// A tipping-bucket gauge counts tips of 0.1 mm and reports the tips since its previous report, so the reported
/// amounts are never negative and add up exactly to the total, whatever the reporting interval.
struct RainSeries: Sendable {
    /// Resolution of a report, mm (one tip of the bucket).
    static let tip = 0.1

    /// Millimetres from the start of the cycle to each minute of it; `count` = minutes + 1.
    private let cumulative: [Double]
    /// Rain of one whole storm cycle, mm.
    var cycleTotal: Double { cumulative[cumulative.count - 1] }

    /// - Parameters:
    ///   - factor: the station's share of the basin's rain (1 = the storm's reference amount).
    ///   - delayHours: how much later than the reference the bands arrive.
    ///   - random: drives the bursts; the same generator state gives the same series.
    init(storm: Storm, factor: Double, delayHours: Double, random: inout SeededRandom) {
        let steps = Int(Storm.cycleHours) * Storm.stepsPerHour
        // Log-normal multiplier following an AR(1) process with a ~30-minute memory and mean 1.
        let memory = exp(-1.0 / 30)
        let spread = 0.45
        var drift = random.gaussian() * spread
        var cumulative = [Double](repeating: 0, count: steps + 1)
        for step in 0..<steps {
            drift = drift * memory + random.gaussian() * spread * (1 - memory * memory).squareRoot()
            let hours = Double(step) / Double(Storm.stepsPerHour) - delayHours
            let mmPerHour = storm.intensity(atHours: hours) * factor * exp(drift - spread * spread / 2)
            cumulative[step + 1] = cumulative[step] + mmPerHour / Double(Storm.stepsPerHour)
        }
        self.cumulative = cumulative
    }

    /// Millimetres fallen from storm hour 0 up to `hours` (storms before add their whole totals).
    func cumulative(atHours hours: Double) -> Double {
        let (cycles, within) = Self.split(hours)
        return cycles * cycleTotal + cumulativeWithinCycle(atHours: within)
    }

    /// Cycles before `hours` and the hours into the current one.
    private static func split(_ hours: Double) -> (cycles: Double, within: Double) {
        let cycles = (hours / Storm.cycleHours).rounded(.down)
        return (cycles, hours - cycles * Storm.cycleHours)
    }

    private func cumulativeWithinCycle(atHours hours: Double) -> Double {
        let position = hours * Double(Storm.stepsPerHour)
        let index = min(max(Int(position), 0), cumulative.count - 2)
        let fraction = position - Double(index)
        return cumulative[index] + (cumulative[index + 1] - cumulative[index]) * fraction
    }

    /// Average intensity in mm/h over `from ..< until` storm hours.
    func intensity(fromHours from: Double, untilHours until: Double) -> Double {
        until > from ? (cumulative(atHours: until) - cumulative(atHours: from)) / (until - from) : 0
    }

    /// What the gauge reports at `until` when it last reported at `from`: whole tips in between, in mm.
    ///
    /// `scale` multiplies the rain that falls: live mode plays the storm `speed` times faster than the wall clock
    /// but must report the rain that falls in wall-clock time, so that per hour of timestamps the gauge reports
    /// real intensities (otherwise a 60-fold storm would trip every rain-accumulation threshold). It passes
    /// 1 / speed: the storm's shape, at its real intensity.
    func report(fromHours from: Double, untilHours until: Double, scale: Double = 1) -> Double {
        Double(max(0, tips(atHours: until, scale: scale) - tips(atHours: from, scale: scale))) * Self.tip
    }

    /// The bucket's tip counter at a storm time. Whole cycles count their tips separately from the current
    /// cycle's, so that rounding at a cycle boundary cannot produce a phantom tip in the dry spell between storms.
    private func tips(atHours hours: Double, scale: Double) -> Int64 {
        let (cycles, within) = Self.split(hours)
        return Int64(cycles) * Self.tips(cycleTotal * scale) + Self.tips(cumulativeWithinCycle(atHours: within) * scale)
    }

    private static func tips(_ millimetres: Double) -> Int64 {
        // The small margin keeps 12.3 from counting as 122.99999 tips.
        Int64((millimetres / tip + 1e-9).rounded(.down))
    }
}
