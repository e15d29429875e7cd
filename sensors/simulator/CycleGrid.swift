/// Values over one storm cycle on a regular grid, read at any storm time: storms repeat, so a time past the cycle
/// (or before it) reads the same point of the cycle, and values between two grid points are interpolated, the
/// last point leading back to the first.
struct CycleGrid: Sendable {
    let values: [Double]
    let stepHours: Double

    var cycleHours: Double { Double(values.count) * stepHours }

    init(_ values: [Double], stepHours: Double) {
        precondition(!values.isEmpty && stepHours > 0, "a cycle grid needs values and a step")
        self.values = values
        self.stepHours = stepHours
    }

    /// The value at a storm time, interpolated linearly.
    func value(atHours hours: Double) -> Double {
        let (index, fraction) = position(hours)
        let next = (index + 1) % values.count
        return values[index] + (values[next] - values[index]) * fraction
    }

    /// The value of the grid step that contains the storm time, without interpolation: for what is set once a step
    /// and held, like a gate setting.
    func held(atHours hours: Double) -> Double {
        values[position(hours).index]
    }

    /// The storm hour (within the cycle) of the highest value.
    var peakHours: Double {
        let highest = values.max() ?? 0
        return Double(values.firstIndex(of: highest) ?? 0) * stepHours
    }

    private func position(_ hours: Double) -> (index: Int, fraction: Double) {
        let cycles = (hours / cycleHours).rounded(.down)
        let steps = (hours - cycles * cycleHours) / stepHours
        // The margin keeps a whole hour from reading as the step before it (1 / (5 / 60) is not exactly 12).
        let index = min(max(Int(steps + 1e-9), 0), values.count - 1)
        return (index, min(max(steps - Double(index), 0), 1))
    }
}
