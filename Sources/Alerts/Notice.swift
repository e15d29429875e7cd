import Gauges
import Warnings

/// Why a notice goes out.
public enum NoticeKind: String, Sendable, Hashable, CaseIterable {
    /// A warning event (raised, escalated, deescalated, cleared, acknowledged), sent once.
    case event
    /// A warning of level 2 or above that nobody has acknowledged, sent again.
    case reminder
    /// Storm control: many gauges silent at once, one notice naming them all instead of one each.
    case grouped
    /// The periodic situation report (bản tin) while warnings are active: its text and JSON, written when made.
    case bulletin
}

/// A bulletin as the outbox keeps it: made once at its time, sent the same everywhere and after any restart.
public struct BulletinPayload: Sendable, Hashable {
    /// The time the figures are of (Unix ms UTC).
    public var at: Int64
    /// Plain text, Vietnamese then English (the e-mail's body).
    public var text: String
    /// The JSON of the bulletin (MQTT `alerts/bulletin`, webhooks).
    public var json: String

    public init(at: Int64, text: String, json: String) {
        self.at = at
        self.text = text
        self.json = json
    }
}

/// A row of the `warnings` table with its identity.
public struct StoredWarningEvent: Sendable, Hashable {
    /// `warnings.id`: this event.
    public var id: Int64
    /// `warnings.warning_id`: the `raised` row that opened the warning.
    public var warningID: Int64
    public var event: WarningEvent
    /// When FloodWatch wrote the row (Unix ms UTC).
    public var createdAt: Int64
    /// Acknowledged events: who, and what they added.
    public var acknowledgedBy: String?
    public var note: String?
    /// Where the acknowledgement came from (HTTP address and token, or the command line's user and host).
    public var acknowledgedFrom: String?

    public init(
        id: Int64, warningID: Int64, event: WarningEvent, createdAt: Int64, acknowledgedBy: String? = nil,
        note: String? = nil, acknowledgedFrom: String? = nil
    ) {
        self.acknowledgedFrom = acknowledgedFrom
        self.id = id
        self.warningID = warningID
        self.event = event
        self.createdAt = createdAt
        self.acknowledgedBy = acknowledgedBy
        self.note = note
    }
}

/// One message to officers and their systems, the unit every channel delivers (a row of `alert_notices`).
///
/// A notice is written in the same transaction as the warning event it tells of, so a committed event always
/// reaches the channels, whatever happens to the process afterwards.
public struct Notice: Sendable, Hashable {
    /// `alert_notices.id`; also the CAP identifier's number and the webhook idempotency key's.
    public var id: Int64
    public var kind: NoticeKind
    /// When the notice was made (Unix ms UTC): CAP `sent`.
    public var createdAt: Int64
    /// `event`: the event; `reminder`: the warning's latest event when the reminder was made; nil for `grouped`.
    public var event: StoredWarningEvent?
    /// The warning's level before this event (0 for a raised warning); equals the event's level for a reminder.
    public var previousLevel: Int
    /// `grouped`: the silent-gauge events it stands for, in time order.
    public var members: [StoredWarningEvent]
    /// Earlier notices about the same warning, oldest first: what a CAP Update or Cancel refers to.
    public var earlier: [EarlierNotice]
    /// `bulletin`: what it says.
    public var bulletin: BulletinPayload?

    public init(
        id: Int64, kind: NoticeKind, createdAt: Int64, event: StoredWarningEvent?, previousLevel: Int = 0,
        members: [StoredWarningEvent] = [], earlier: [EarlierNotice] = [], bulletin: BulletinPayload? = nil
    ) {
        self.bulletin = bulletin
        self.id = id
        self.kind = kind
        self.createdAt = createdAt
        self.event = event
        self.previousLevel = previousLevel
        self.members = members
        self.earlier = earlier
    }

    /// The highest level the notice speaks of: the level before a clear, the group's highest member.
    public var level: Int {
        if kind == .grouped { return members.map(\.event.level).max() ?? 0 }
        return max(event?.event.level ?? 0, previousLevel)
    }
}

/// A notice sent earlier about the same warning.
public struct EarlierNotice: Sendable, Hashable {
    public var id: Int64
    public var createdAt: Int64

    public init(id: Int64, createdAt: Int64) {
        self.id = id
        self.createdAt = createdAt
    }
}
