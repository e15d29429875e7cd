import Warnings

/// Who FloodWatch says it is in alerts, whether they are real, and what its CAP documents tell the public.
public struct AlertSettings: Sendable, Hashable {
    /// The sender every installation has until one is configured; `serve` refuses it outside exercises, since
    /// aggregators tell alerts apart by sender and identifier.
    public static let defaultSender = "floodwatch@localhost"

    /// CAP `sender`: identifies the originator, e.g. `floodwatch@bactramy.gov.vn`.
    public var sender: String
    /// CAP `senderName`: the name people read.
    public var senderName: String
    /// True when the simulator drives the service: CAP status `Exercise`, e-mail subjects and JSON bodies say so.
    public var exercise: Bool
    /// Radius of the CAP `circle` drawn around a station, or around a commune's centre when it has no boundary.
    public var areaRadiusKilometres: Double
    /// This database's installation id (``identifier(notice:)``), read from the database at start; empty only in
    /// tests and tools that write no identifiers.
    public var installation: String
    /// CAP `web`: where people read more (the public page), an absolute URL; nil leaves it out.
    public var web: String?
    /// CAP `contact`: whom to call, e.g. the operations centre's duty phone.
    public var contact: String?
    /// How long each alert stays in effect for consumers (CAP `expires`).
    public var expiry: CAPExpiry
    /// CAP `instruction` per hazard and risk level.
    public var instructions: CAPInstructions

    public init(
        sender: String = AlertSettings.defaultSender, senderName: String = "FloodWatch", exercise: Bool = false,
        areaRadiusKilometres: Double = 10, installation: String = "", web: String? = nil, contact: String? = nil,
        expiry: CAPExpiry = CAPExpiry(), instructions: CAPInstructions = CAPInstructions()
    ) {
        self.sender = sender
        self.senderName = senderName
        self.exercise = exercise
        self.areaRadiusKilometres = areaRadiusKilometres
        self.installation = installation
        self.web = web
        self.contact = contact
        self.expiry = expiry
        self.instructions = instructions
    }

    /// The stable CAP identifier of a notice: the same notice always gets the same one, and two databases (a
    /// reinstall, a second centre) never give the same one, since the installation id is drawn when a database is
    /// created: `floodwatch-3f9a1c07d2e4-notice-12`.
    public func identifier(notice id: Int64) -> String {
        identifierPrefix + String(id)
    }

    /// What every identifier of this installation starts with; the notice's number follows.
    public var identifierPrefix: String {
        installation.isEmpty ? "floodwatch-notice-" : "floodwatch-" + installation + "-notice-"
    }
}

/// How long an alert stays in effect (CAP `expires` = `sent` + this): per rule, since a reservoir's pool changes in
/// hours and a river warning without news for half a day should be looked at again. An Update moves it (it is
/// sent later); a Cancel ends the warning and is itself shown for ``cancelSeconds``.
public struct CAPExpiry: Sendable, Hashable {
    public var seconds: [WarningRule: Int]
    public var cancelSeconds: Int

    public static let shipped: [WarningRule: Int] = [
        .level: 6 * 3600, .rise: 3 * 3600, .forecast: 3 * 3600, .rain: 6 * 3600, .landslide: 12 * 3600,
        .release: 6 * 3600, .pool: 12 * 3600, .silent: 6 * 3600, .gap: 24 * 3600,
    ]

    public init(seconds: [WarningRule: Int] = CAPExpiry.shipped, cancelSeconds: Int = 3600) {
        self.seconds = seconds
        self.cancelSeconds = cancelSeconds
    }

    /// Seconds from `sent` to `expires` for a rule; 6 h for a rule not listed.
    public func seconds(rule: WarningRule) -> Int {
        seconds[rule] ?? 6 * 3600
    }
}
