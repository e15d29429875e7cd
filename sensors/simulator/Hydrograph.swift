import Foundation

/// The water level of one river station over a storm cycle: the basin's rain routed through a gamma-shaped
/// unit hydrograph, scaled between the station's base level and its flood peak for this storm.
///
/// The model, kept deliberately simple:
/// 1. The driving input is the basin's rain intensity (mm/h), averaged over the catalogue's rain gauges.
/// 2. The river's response to a pulse of rain is a gamma density with shape 4 whose mode is the station's lag:
///    an upstream gauge rises a few hours after the rain, a station near the sea half a day later, and both
///    recede more slowly than they rose. Convolving the rain with it (circularly, since storms repeat) gives a
///    dimensionless response.
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
    static var stepsPerCycle: Int { Int(Storm.cycleHours) * 60 / stepMinutes }
    /// Shape of the gamma unit hydrograph: 4 rises smoothly and recedes within a day or two.
    static let gammaShape = 4.0
    /// The M2 lunar tide, hours.
    static let tidePeriodHours = 12.42

    let base: Double
    let peak: Double
    let tideAmplitude: Double
    /// The response on the cycle grid, normalised to 0 (lowest) ... 1 (highest).
    private let response: [Double]

    /// - Parameters:
    ///   - basinRain: rain intensity in mm/h on the cycle grid (`stepsPerCycle` values, one per `stepMinutes`).
    ///   - lagHours: hours from a burst of rain to the river's greatest response to it (the mode of the gamma).
    init(basinRain: [Double], lagHours: Double, base: Double, peak: Double, tideAmplitude: Double) {
        precondition(basinRain.count == Self.stepsPerCycle, "basin rain must cover one cycle")
        self.base = base
        self.peak = peak
        self.tideAmplitude = tideAmplitude
        let steps = Self.stepsPerCycle
        let stepHours = Double(Self.stepMinutes) / 60
        // Gamma density with mode `lagHours`: mode = (shape - 1) * theta.
        let theta = max(lagHours, stepHours) / (Self.gammaShape - 1)
        var kernel = (0..<steps).map { index -> Double in
            let t = (Double(index) + 0.5) * stepHours / theta
            return pow(t, Self.gammaShape - 1) * exp(-t)
        }
        let kernelSum = kernel.reduce(0, +)
        kernel = kernel.map { $0 / kernelSum }
        // Circular convolution: the tail of one storm carries into the start of the next.
        var routed = [Double](repeating: 0, count: steps)
        for (lag, weight) in kernel.enumerated() where weight > 1e-9 {
            for index in 0..<steps {
                routed[(index + lag) % steps] += basinRain[index] * weight
            }
        }
        let low = routed.min() ?? 0
        let high = routed.max() ?? 0
        response = high - low > 1e-9 ? routed.map { ($0 - low) / (high - low) } : routed.map { _ in 0 }
    }

    /// The level in metres at a storm time (any real number: the storm repeats), before sensor noise.
    func level(atHours hours: Double) -> Double {
        let cycles = (hours / Storm.cycleHours).rounded(.down)
        let position = (hours - cycles * Storm.cycleHours) * 60 / Double(Self.stepMinutes)
        let index = min(Int(position), response.count - 1)
        let next = (index + 1) % response.count
        let fraction = position - Double(index)
        let shape = response[index] + (response[next] - response[index]) * fraction
        let tide = tideAmplitude * sin(2 * Double.pi * hours / Self.tidePeriodHours)
        return base + (peak - base) * shape + tide
    }

    /// The storm hour of the highest response within the cycle (for logs and tests).
    var peakHours: Double {
        let index = response.firstIndex(of: response.max() ?? 0) ?? 0
        return Double(index * Self.stepMinutes) / 60
    }
}
