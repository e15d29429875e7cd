/// The wettest stretch of a storm cycle: the window of consecutive steps with the most rain, the cycle read as a
/// loop (storms repeat, so a window may run from the end of one into the start of the next).
enum WettestWindow {
    /// - Parameters:
    ///   - amounts: rain of each step of the cycle.
    ///   - window: steps in the window (24 hours' worth for "the wettest 24 hours").
    /// - Returns: the window's total and the index of the step just after it (its end), within the cycle.
    static func find(_ amounts: [Double], window: Int) -> (total: Double, end: Int) {
        let steps = amounts.count
        guard steps > 0, window > 0 else { return (0, 0) }
        let width = min(window, steps)
        var running = amounts[0..<width].reduce(0, +)
        var best = (total: running, end: width % steps)
        for start in 1..<steps {
            running += amounts[(start + width - 1) % steps] - amounts[start - 1]
            if running > best.total { best = (running, (start + width) % steps) }
        }
        return best
    }
}
