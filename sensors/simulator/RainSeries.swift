import Foundation

/// What one rain gauge collects during the storm cycle, and what it reports.
///
/// The storm's smooth curve is shifted by the station's delay (bands reach the mountains a little after the coast)
/// and multiplied by a random multiplier that drifts minute by minute (convective cells: real rain comes in
/// bursts). The whole series is then scaled so that its wettest 24 hours bring exactly the station's rain factor
/// times the storm's reference: the bursts move the rain around within the storm, not the figure the storm is
/// chosen for (a storm that replays recorded 24-hour totals must reach them at every seed). The series is kept as
/// cumulative millimetres on a one-minute grid.
///
/// A tipping-bucket gauge counts tips of 0.1 mm and reports the tips since its previous report, so the reported
/// amounts are never negative and add up exactly to the total, whatever the reporting interval.
struct RainSeries: Sendable {
    /// Resolution of a report, mm (one tip of the bucket).
    static let tip = 0.1

    /// Millimetres from the start of the cycle to each minute of it; `count` = minutes + 1.
    private let cumulative: [Double]
    /// Length of the storm cycle, hours.
    let cycleHours: Double
    /// Rain of the wettest 24 hours of the cycle, mm: the station's factor times the storm's reference.
    let wettest24Hours: Double
    /// Storm hour (within the cycle) at which the wettest 24 hours end.
    let wettestEndHours: Double
    /// Rain of one whole storm cycle, mm.
    var cycleTotal: Double { cumulative[cumulative.count - 1] }

    /// - Parameters:
    ///   - factor: the station's share of the basin's rain (1 = the storm's reference amount).
    ///   - delayHours: how much later than the reference the bands arrive.
    ///   - random: drives the bursts; the same generator state gives the same series.
    init(storm: Storm, factor: Double, delayHours: Double, random: inout SeededRandom) {
        let steps = Int(storm.cycleHours) * Storm.stepsPerHour
        // Log-normal multiplier following an AR(1) process with a ~30-minute memory and mean 1.
        let memory = exp(-1.0 / 30)
        let spread = 0.45
        var drift = random.gaussian() * spread
        var perMinute = [Double](repeating: 0, count: steps)
        for step in 0..<steps {
            drift = drift * memory + random.gaussian() * spread * (1 - memory * memory).squareRoot()
            let hours = Double(step) / Double(Storm.stepsPerHour) - delayHours
            perMinute[step] =
                storm.intensity(atHours: hours) * exp(drift - spread * spread / 2) / Double(Storm.stepsPerHour)
        }
        let wettest = WettestWindow.find(perMinute, window: 24 * Storm.stepsPerHour)
        let target = storm.wettest24Hours * max(factor, 0)
        let scale = wettest.total > 0 ? target / wettest.total : 0
        var cumulative = [Double](repeating: 0, count: steps + 1)
        for step in 0..<steps { cumulative[step + 1] = cumulative[step] + perMinute[step] * scale }
        self.cumulative = cumulative
        cycleHours = storm.cycleHours
        wettest24Hours = wettest.total * scale
        wettestEndHours = Double(wettest.end) / Double(Storm.stepsPerHour)
    }

    /// Days of rain before the wettest 24 hours, as the landslide rule counts them: consecutive 24-hour windows
    /// right before those hours with at least `dayMillimetres` each, up to 3 ("more than 2 days"). Only this storm's
    /// rain counts, as in a run's first storm: what fell before hour 0 is taken as dry.
    func priorRainDays(dayMillimetres: Double = 1) -> Int {
        var days = 0
        var end = wettestEndHours - 24
        while days < 3, end > 0, cumulative(atHours: end) - cumulative(atHours: max(end - 24, 0)) >= dayMillimetres {
            days += 1
            end -= 24
        }
        return days
    }

    /// Millimetres fallen from storm hour 0 up to `hours` (storms before add their whole totals).
    func cumulative(atHours hours: Double) -> Double {
        let (cycles, within) = split(hours)
        return cycles * cycleTotal + cumulativeWithinCycle(atHours: within)
    }

    /// Cycles before `hours` and the hours into the current one.
    private func split(_ hours: Double) -> (cycles: Double, within: Double) {
        let cycles = (hours / cycleHours).rounded(.down)
        return (cycles, hours - cycles * cycleHours)
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
        let (cycles, within) = split(hours)
        return Int64(cycles) * Self.tips(cycleTotal * scale) + Self.tips(cumulativeWithinCycle(atHours: within) * scale)
    }

    private static func tips(_ millimetres: Double) -> Int64 {
        // The small margin keeps 12.3 from counting as 122.99999 tips.
        Int64((millimetres / tip + 1e-9).rounded(.down))
    }
}
