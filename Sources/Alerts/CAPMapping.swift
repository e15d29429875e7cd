import Warnings

/// How a notice is classified in CAP 1.2: `msgType`, `urgency`, `severity`, `certainty` and `category`.
///
/// | Notice                                         | `msgType`             |
/// |------------------------------------------------|-----------------------|
/// | event `raised`                                 | Alert                 |
/// | event `escalated`, `deescalated` or `updated`   | Update                |
/// | event `cleared`                                | Cancel                |
/// | event `acknowledged`                           | none: no CAP document |
/// | reminder (level II or above, not acknowledged) | Update                |
/// | grouped (many gauges silent at once)           | Alert; Cancel when every gauge in it came back |
///
/// `scope` is Restricted (staff only, never on the public feed) for what is not a hazard to the public: silent
/// gauges and lost readings, grouped notices, reminders ("not yet acknowledged") and the `forecast` rule's trend
/// estimates, which are a straight line for staff, not a public flood forecast (the hydro-meteorological
/// service's to issue). Everything else is Public.
///
/// `responseType`: AllClear for a Cancel; otherwise Monitor at Minor, Prepare at Moderate, Avoid at Severe and
/// Extreme (stay away from the water and the slopes). FloodWatch never says Evacuate: that order is the
/// authorities'.
///
/// | Rule        | `category` | `urgency` | `certainty` | `severity` by level                                 |
/// |-------------|------------|-----------|-------------|-----------------------------------------------------|
/// | `level`     | Met        | Immediate | Observed    | 1 Minor, 2 Moderate, 3 Severe, 4 Extreme            |
/// | `rise`      | Met        | Immediate | Observed    | 1 Minor, 2 Moderate, 3 Severe, 4 Extreme            |
/// | `rain`      | Met        | Expected  | Observed    | 1 Minor, 2 Moderate, 3 Severe, 4 Extreme            |
/// | `forecast`  | Met        | Expected  | Likely      | 1 Minor, 2 Moderate, 3 Severe, 4 Extreme            |
/// | `silent`    | Infra      | Immediate | Observed    | 1 Minor, 2 Moderate                                 |
/// | `gap`       | Infra      | Immediate | Observed    | 1 Minor                                             |
/// | any, Cancel | the rule's | Past      | the rule's  | the rule's, at the level the ended warning had      |
///
/// Why:
/// - Levels 1–3 are the official alarm levels BĐ I–III (Decision 05/2020/QĐ-TTg: flood in the channel, flooding
///   begins, danger to life); level 4, above the highest flood on record, is beyond anything planned for: Extreme.
/// - A level, a rise or a silent gauge is measured now: Immediate, Observed. Rain is measured too (Observed), but
///   the flood it brings comes later: Expected. A forecast is a trend projected to a crossing: Expected, Likely.
/// - A silent gauge, like readings lost upstream (`gap`), is a fault of the gauge network, not weather: `Infra` keeps it out of consumers that pass only
///   `Met` alerts to the public, while operators still get it. Silent at level 2 (water at or above an alarm level
///   when the gauge went quiet) is Moderate: the service is blind when it matters; it never claims more than that.
/// - A Cancel keeps the severity of the warning it ends, so a consumer can match it to what it withdraws; its
///   urgency is Past: the event is over.
/// - An Update replaces what it refers to, so its severity is the level after the event: a de-escalation from
///   BĐ III to BĐ II is Moderate, not Severe (unlike `Notice.level`, the highest level the notice speaks of).
public struct CAPMapping: Sendable, Hashable {
    /// CAP `msgType`, the values FloodWatch uses.
    public enum MessageType: String, Sendable, Hashable, CaseIterable {
        case alert = "Alert"
        case update = "Update"
        case cancel = "Cancel"
    }

    /// CAP `urgency`, the values FloodWatch uses.
    public enum Urgency: String, Sendable, Hashable, CaseIterable {
        case immediate = "Immediate"
        case expected = "Expected"
        case past = "Past"
    }

    /// CAP `severity`, the values FloodWatch uses.
    public enum Severity: String, Sendable, Hashable, CaseIterable {
        case extreme = "Extreme"
        case severe = "Severe"
        case moderate = "Moderate"
        case minor = "Minor"
    }

    /// CAP `certainty`, the values FloodWatch uses.
    public enum Certainty: String, Sendable, Hashable, CaseIterable {
        case observed = "Observed"
        case likely = "Likely"
    }

    /// CAP `scope`, the values FloodWatch uses.
    public enum Scope: String, Sendable, Hashable, CaseIterable {
        case `public` = "Public"
        case restricted = "Restricted"
    }

    /// CAP `responseType`, the values FloodWatch uses.
    public enum ResponseType: String, Sendable, Hashable, CaseIterable {
        case avoid = "Avoid"
        case prepare = "Prepare"
        case monitor = "Monitor"
        case allClear = "AllClear"
    }

    /// CAP `category`, the values FloodWatch uses.
    public enum Category: String, Sendable, Hashable, CaseIterable {
        case met = "Met"
        case geo = "Geo"
        case infra = "Infra"
    }

    public var messageType: MessageType
    public var urgency: Urgency
    public var severity: Severity
    public var certainty: Certainty
    public var category: Category
    public var scope: Scope
    public var responseType: ResponseType

    /// The classification of a notice, nil when the notice gets no CAP document (an acknowledgement, or an event
    /// notice without its event).
    public init?(_ notice: Notice) {
        guard let messageType = Self.messageType(notice) else { return nil }
        let rule = Self.rule(notice)
        self.messageType = messageType
        urgency = Self.urgency(rule: rule, messageType: messageType)
        severity = Self.severity(rule: rule, level: Self.severityLevel(notice))
        certainty = Self.certainty(rule: rule)
        category = Self.category(rule: rule)
        scope = Self.scope(notice)
        responseType = Self.responseType(messageType: messageType, severity: severity)
    }

    /// `scope`: Restricted for what only staff should see (see the table above).
    public static func scope(_ notice: Notice) -> Scope {
        if notice.kind != .event || notice.isAboutGauges { return .restricted }
        return rule(notice) == .forecast ? .restricted : .public
    }

    /// `responseType`: what people should do, never more than the warning supports.
    public static func responseType(messageType: MessageType, severity: Severity) -> ResponseType {
        if messageType == .cancel { return .allClear }
        switch severity {
        case .minor: return .monitor
        case .moderate: return .prepare
        case .severe, .extreme: return .avoid
        }
    }

    /// `msgType` of a notice; nil when it gets no CAP document. An acknowledgement changes nothing for the
    /// public, so it is told to officers only, never as CAP.
    public static func messageType(_ notice: Notice) -> MessageType? {
        switch notice.kind {
        case .bulletin:
            // A situation report for the officers and their systems, not an alert: no CAP document.
            return nil
        case .grouped:
            // Every gauge in it came back: the group withdraws what earlier notices said.
            let allBack = !notice.members.isEmpty && notice.members.allSatisfy { $0.event.kind == .cleared }
            return allBack ? .cancel : .alert
        case .reminder:
            guard let event = notice.event, event.event.kind != .acknowledged else { return nil }
            return .update
        case .event:
            guard let event = notice.event else { return nil }
            switch event.event.kind {
            case .raised: return .alert
            case .escalated, .deescalated, .updated: return .update
            case .cleared: return .cancel
            case .acknowledged: return nil
            }
        }
    }

    /// `urgency`: when the harm comes. Past once the warning is cancelled.
    public static func urgency(rule: WarningRule, messageType: MessageType) -> Urgency {
        if messageType == .cancel { return .past }
        switch rule {
        case .level, .rise, .silent, .gap, .landslide, .release: return .immediate
        case .rain, .forecast, .pool: return .expected
        }
    }

    /// `severity` of a warning of `rule` at `level` (0 counts as 1: a notice is never below Minor).
    public static func severity(rule: WarningRule, level: Int) -> Severity {
        if rule == .silent { return level >= 2 ? .moderate : .minor }
        if rule == .gap { return .minor }
        switch level {
        case ...1: return .minor
        case 2: return .moderate
        case 3: return .severe
        default: return .extreme
        }
    }

    /// `certainty`: measured, or projected from a trend; a flash flood or landslide is a risk the rain makes
    /// likely, not an event observed.
    public static func certainty(rule: WarningRule) -> Certainty {
        rule == .forecast || rule == .landslide ? .likely : .observed
    }

    /// `category`: the weather, the ground (landslides), or the gauge network.
    public static func category(rule: WarningRule) -> Category {
        switch rule {
        case .silent, .gap: .infra
        case .landslide: .geo
        default: .met
        }
    }

    /// The rule a notice speaks of; a grouped notice stands for silent gauges.
    public static func rule(_ notice: Notice) -> WarningRule {
        if notice.kind == .grouped { return notice.members.first?.event.rule ?? .silent }
        return notice.event?.event.rule ?? .silent
    }

    /// The level `severity` is judged at: the level after the event, except a clear (the level it ends) and a
    /// grouped notice (its highest member).
    public static func severityLevel(_ notice: Notice) -> Int {
        guard notice.kind != .grouped, let event = notice.event?.event else { return notice.level }
        return event.kind == .cleared ? notice.level : event.level
    }
}
