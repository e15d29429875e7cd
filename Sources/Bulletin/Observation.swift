/// A stored reading as the bulletin states it: its value and its time (Unix ms UTC).
public struct Observation: Sendable, Hashable {
    public var time: Int64
    public var value: Double

    public init(time: Int64, value: Double) {
        self.time = time
        self.value = value
    }
}
