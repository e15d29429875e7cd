import Foundation

/// The water level of one river station over a storm cycle: the basin's rain routed through a gamma-shaped
/// unit hydrograph, scaled between the station's base level and its flood peak for this storm.
///
/// The model, kept deliberately simple:
/// 1. The driving input is the basin's rain intensity (mm/h), averaged over the catalogue's rain gauges.
/// 2. The rain is routed through a unit hydrograph (`UnitHydrograph`) whose mode is the station's lag: an
///    upstream gauge rises a few hours after the rain, a station near the sea half a day later, and both recede
///    more slowly than they rose. That gives a dimensionless response.
/// 3. The response is mapped linearly onto `base ... peak`, so the lowest point of the cycle sits at the base
///    level and the highest at the peak chosen for this storm. A linear map is not hydraulics (the real
///    stage–discharge relation is a curve), but it keeps every station's peak exactly where the simulation
///    wants it relative to the official alarm levels.
/// 4. Near the sea the tide adds a semi-diurnal swing.
///
/// Pure value type, no I/O.
struct Hydrograph: Sendable {
    /// Resolution of the response, in storm minutes.
    static let stepMinutes = 5
    static var stepHours: Double { Double(stepMinutes) / 60 }
    /// The M2 lunar tide, hours.
    static let tidePeriodHours = 12.42

    let base: Double
    let peak: Double
    let tideAmplitude: Double
    /// The response on the cycle grid, normalised to 0 (lowest) ... 1 (highest).
    private let response: CycleGrid

    /// Steps of `stepMinutes` in a storm cycle of that length.
    static func steps(cycleHours: Double) -> Int {
        Int((cycleHours * 60 / Double(stepMinutes)).rounded())
    }

    /// - Parameters:
    ///   - basinRain: rain intensity in mm/h over one storm cycle, one value per `stepMinutes`.
    ///   - lagHours: hours from a burst of rain to the river's greatest response to it (the mode of the gamma).
    init(basinRain: [Double], lagHours: Double, base: Double, peak: Double, tideAmplitude: Double) {
        precondition(!basinRain.isEmpty, "basin rain must cover one cycle")
        self.base = base
        self.peak = peak
        self.tideAmplitude = tideAmplitude
        let routed = UnitHydrograph.route(basinRain, lagHours: lagHours, stepHours: Self.stepHours)
        let low = routed.min() ?? 0
        let high = routed.max() ?? 0
        response = CycleGrid(
            high - low > 1e-9 ? routed.map { ($0 - low) / (high - low) } : routed.map { _ in 0 },
            stepHours: Self.stepHours)
    }

    /// The level in metres at a storm time (any real number: the storm repeats), before sensor noise.
    func level(atHours hours: Double) -> Double {
        let tide = tideAmplitude * sin(2 * Double.pi * hours / Self.tidePeriodHours)
        return base + (peak - base) * response.value(atHours: hours) + tide
    }

    /// The storm hour of the highest response within the cycle (for logs and tests).
    var peakHours: Double { response.peakHours }
}
