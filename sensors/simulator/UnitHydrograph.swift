import Foundation

/// How a catchment turns rain into river response: a gamma-shaped unit hydrograph, applied by circular
/// convolution because the simulated storms repeat.
///
/// The response to a pulse of rain is a gamma density with shape 4 whose mode is the lag: the water rises a few
/// hours after the rain and recedes more slowly than it rose. The kernel sums to 1, so routing keeps the volume:
/// what falls on the grid flows out of it, only later (the reservoir's inflow depends on that).
enum UnitHydrograph {
    /// Shape of the gamma: 4 rises smoothly and recedes within a day or two.
    static let gammaShape = 4.0

    /// `input` (one value per step of `stepHours`, covering one storm cycle) routed with the response whose mode is
    /// `lagHours`. Output on the same grid, same total.
    static func route(_ input: [Double], lagHours: Double, stepHours: Double) -> [Double] {
        let steps = input.count
        guard steps > 0 else { return [] }
        // Gamma density with mode `lagHours`: mode = (shape - 1) * theta.
        let theta = max(lagHours, stepHours) / (gammaShape - 1)
        var kernel = (0..<steps).map { index -> Double in
            let t = (Double(index) + 0.5) * stepHours / theta
            return pow(t, gammaShape - 1) * exp(-t)
        }
        let kernelSum = kernel.reduce(0, +)
        kernel = kernel.map { $0 / kernelSum }
        // Circular convolution: the tail of one storm carries into the start of the next.
        var routed = [Double](repeating: 0, count: steps)
        for (lag, weight) in kernel.enumerated() where weight > 1e-9 {
            for index in 0..<steps {
                routed[(index + lag) % steps] += input[index] * weight
            }
        }
        return routed
    }
}
