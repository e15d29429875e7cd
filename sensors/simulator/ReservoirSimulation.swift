import Foundation

/// A reservoir (`kind: reservoir`) over one storm cycle, run as Sông Tranh 2's operator runs it in a flood: the
/// inflow its catchment's rain brings, what the turbines and the spillway release, and the level that results.
///
/// The model, on the 5-minute grid of the hydrographs:
/// 1. Inflow: a base flow, plus the rain over the catchment that runs off, routed through a unit hydrograph
///    (`UnitHydrograph`). The catchment's rain is the mean of the catalogue's rain gauges on the reservoir's river
///    (most of Sông Tranh 2's catchment, upstream in Nam Trà My, has no gauge in the catalogue). Routing keeps the
///    volume: what runs off is catchment area × runoff coefficient × rain.
/// 2. Outflow: the turbines always run; the spillway is set once an hour, from the inflow and the level at that
///    hour, to what brings the level back to the hold level within the hour (never below zero, and never above
///    the flood's greatest inflow so far). This is the
///    operator's practice on 21 Nov 2022: at 172.3 m with 562 m³/s coming in and 106 m³/s through the turbines,
///    the reservoir was let rise, then from 17:00 spilled 200–1,500 m³/s to hold +173 m. Until the level reaches
///    the hold level, nothing is spilled and the reservoir fills.
/// 3. In the last `drawdownHours` of the cycle the target falls back to the starting level, as the operator
///    draws the reservoir down after a flood to make room for the next; the next storm then starts where this one
///    did, without a jump.
/// 4. Level: the stored volume changes by inflow − outflow, over a surface taken as constant near these levels.
///
/// The figures below are estimates for a reservoir of Sông Tranh 2's size (about 730 million m³ behind a dam about
/// 96 m high), plausible, not calibrated: no public source gave its catchment's response or its level–area curve.
/// Values stay inside the catalogue's sensor ranges. Pure value type, no I/O; the same rain gives the same
/// reservoir.
struct ReservoirSimulation: Sendable {
    /// Inflow between storms, m³/s (estimate).
    static let baseInflow = 100.0
    /// Catchment area above the dam, km² (estimate: about 1,100 km² for Sông Tranh 2).
    static let catchmentSquareKilometres = 1_100.0
    /// Share of the rain that reaches the reservoir (estimate, for steep slopes soaked by a typhoon's rain).
    static let runoffCoefficient = 0.7
    /// Hours from a burst of rain to the greatest inflow it brings (estimate for a mountain catchment this size).
    static let lagHours = 6.0
    /// The reservoir's surface near its operating levels, km² (estimate: of order 20 km² for 730 million m³).
    static let surfaceSquareKilometres = 20.0
    /// What the turbines pass, m³/s (the operator's figure of 21 Nov 2022).
    static let turbines = 106.0
    /// Metres below the normal water level that the operator holds in a flood: +173 m at Sông Tranh 2.
    static let holdBelowNormal = 2.0
    /// Metres below the normal water level at the start of a storm: 172.3 m at Sông Tranh 2, 21 Nov 2022.
    static let startBelowNormal = 2.7
    /// Hours at the end of a cycle in which the reservoir is drawn back down to its starting level.
    static let drawdownHours = 12.0
    /// Where the operating levels sit in a level range when the catalogue gives no normal water level.
    static let normalLevelShareOfRange = 0.9

    /// Inflow, outflow (m³/s) and level (m) over the cycle.
    let inflows: CycleGrid
    let outflows: CycleGrid
    let levels: CycleGrid
    let startLevel: Double
    let holdLevel: Double

    /// - Parameters:
    ///   - catchmentRain: rain intensity over the catchment in mm/h over one storm cycle, one value per
    ///     `Hydrograph.stepMinutes`.
    ///   - normalLevel: the normal water level (m above sea level), if the catalogue gives one.
    ///   - levelRange, flowRange: the catalogue's ranges of the level and of the flows.
    init(
        catchmentRain: [Double], normalLevel: Double?, levelRange: ClosedRange<Double>,
        flowRange: ClosedRange<Double>
    ) {
        let stepHours = Hydrograph.stepHours
        let stepSeconds = stepHours * 3600
        let stepsPerHour = max(1, Int((1 / stepHours).rounded()))
        let steps = catchmentRain.count
        let cycleHours = Double(steps) * stepHours

        let normal =
            normalLevel
            ?? levelRange.lowerBound + (levelRange.upperBound - levelRange.lowerBound) * Self.normalLevelShareOfRange
        holdLevel = min(max(normal - Self.holdBelowNormal, levelRange.lowerBound), levelRange.upperBound)
        startLevel = min(max(normal - Self.startBelowNormal, levelRange.lowerBound), levelRange.upperBound)

        // mm/h over km² to m³/s: 1 mm/h on 1 km² is 1,000 m³ an hour.
        let runoff = catchmentRain.map {
            $0 * Self.runoffCoefficient * Self.catchmentSquareKilometres * 1000 / 3600
        }
        let inflows = UnitHydrograph.route(runoff, lagHours: Self.lagHours, stepHours: stepHours).map {
            Self.clamp(($0 + Self.baseInflow).rounded(), flowRange)
        }

        let surface = Self.surfaceSquareKilometres * 1_000_000
        let drawdownStart = cycleHours - min(Self.drawdownHours, cycleHours / 2)
        var levelSteps = [Double](repeating: startLevel, count: steps)
        var releaseSteps = [Double](repeating: 0, count: steps)
        var current = startLevel
        var release = Self.turbines
        var highestInflow = 0.0
        for step in 0..<steps {
            if step % stepsPerHour == 0 {
                let hours = Double(step) * stepHours
                // The target one hour on: the hold level, or on the way down to the start level at the end.
                let next = hours + 1
                let target =
                    next <= drawdownStart
                    ? holdLevel
                    : holdLevel + (startLevel - holdLevel)
                        * min(1, (next - drawdownStart) / (cycleHours - drawdownStart))
                let excess = (current - target) * surface / 3600
                let spill = max(0, inflows[step] - Self.turbines + excess)
                highestInflow = max(highestInflow, inflows[step])
                // Never more than the flood's greatest inflow so far: that would add to the flood downstream. While
                // the inflow rises, the level therefore climbs a little above the hold level, and comes back after
                // the peak. The operator sets gates, and reports, in whole m³/s.
                let ceiling = max(highestInflow, Self.turbines)
                release = Self.clamp(min(Self.turbines + spill, ceiling).rounded(), flowRange)
            }
            levelSteps[step] = current
            releaseSteps[step] = release
            current += (inflows[step] - release) * stepSeconds / surface
            current = min(max(current, levelRange.lowerBound), levelRange.upperBound)
        }
        self.inflows = CycleGrid(inflows, stepHours: stepHours)
        outflows = CycleGrid(releaseSteps, stepHours: stepHours)
        levels = CycleGrid(levelSteps, stepHours: stepHours)
    }

    /// Inflow at a storm time, m³/s (whole).
    func inflow(atHours hours: Double) -> Double {
        inflows.value(atHours: hours).rounded()
    }

    /// Outflow at a storm time: the release set at the start of that hour, m³/s.
    func outflow(atHours hours: Double) -> Double {
        outflows.held(atHours: hours)
    }

    /// Level at a storm time, to the centimetre, as the operator reports it.
    func level(atHours hours: Double) -> Double {
        (levels.value(atHours: hours) * 100).rounded() / 100
    }

    var peakInflow: Double { inflows.values.max() ?? 0 }
    var peakOutflow: Double { outflows.values.max() ?? 0 }
    var highestLevel: Double { levels.values.max() ?? startLevel }

    private static func clamp(_ value: Double, _ range: ClosedRange<Double>) -> Double {
        min(max(value, range.lowerBound), range.upperBound)
    }
}
