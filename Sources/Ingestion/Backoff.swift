/// Exponential backoff with a cap and ±20 % jitter.
struct Backoff {
    let range: ClosedRange<Double>
    private var current: Double

    init(_ range: ClosedRange<Double>) {
        self.range = range
        self.current = range.lowerBound
    }

    /// The next delay in seconds; each call doubles the one after, up to the cap.
    mutating func next() -> Double {
        let delay = current * Double.random(in: 0.8...1.2)
        current = min(current * 2, range.upperBound)
        return min(delay, range.upperBound)
    }

    mutating func reset() {
        current = range.lowerBound
    }
}
