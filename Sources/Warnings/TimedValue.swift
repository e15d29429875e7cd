/// A value at a time (Unix ms): a reading as the rules keep it.
public struct TimedValue: Sendable, Hashable, Codable {
    public var time: Int64
    public var value: Double

    public init(time: Int64, value: Double) {
        self.time = time
        self.value = value
    }
}
