/// Who FloodWatch says it is in alerts, and whether they are real.
public struct AlertSettings: Sendable, Hashable {
    /// CAP `sender`: identifies the originator, e.g. `floodwatch@bactramy.gov.vn`.
    public var sender: String
    /// CAP `senderName`: the name people read.
    public var senderName: String
    /// True when the simulator drives the service: CAP status `Exercise`, e-mail subjects and JSON bodies say so.
    public var exercise: Bool
    /// Radius of the CAP `circle` drawn around a station.
    public var areaRadiusKilometres: Double

    public init(
        sender: String = "floodwatch@localhost", senderName: String = "FloodWatch", exercise: Bool = false,
        areaRadiusKilometres: Double = 10
    ) {
        self.sender = sender
        self.senderName = senderName
        self.exercise = exercise
        self.areaRadiusKilometres = areaRadiusKilometres
    }

    /// The stable CAP identifier of a notice: the same notice always gets the same one.
    public func identifier(notice id: Int64) -> String {
        "floodwatch-notice-\(id)"
    }
}
