import Warnings

/// The ways a notice leaves FloodWatch; the raw value is stored in `alert_deliveries.channel`.
public enum AlertChannel: String, Sendable, Hashable, CaseIterable, Codable {
    /// `alerts/<station>/<rule>` at QoS 1, and the retained summary `alerts/<station>`.
    case mqtt
    /// An HTTP POST to a configured URL.
    case webhook
    /// A plain-text e-mail through the system's sendmail.
    case email
}

/// One delivery to make: a channel and who on it (a topic, a webhook's name, an e-mail address).
public struct DeliveryTarget: Sendable, Hashable {
    public var channel: AlertChannel
    public var target: String

    public init(_ channel: AlertChannel, _ target: String) {
        self.channel = channel
        self.target = target
    }
}

/// Which notices a receiver wants.
public struct NoticeFilter: Sendable, Hashable {
    /// Station ids; nil for every station (unless `areas` narrows it).
    public var stations: Set<String>?
    /// Commune ids (catalogue `areas:`): the notices that concern them (``Notice/areas(in:)``). A receiver that
    /// names stations and communes gets the notices of either.
    public var areas: Set<String>?
    /// The lowest warning level worth sending. A notice counts with the highest level it speaks of, so the clear
    /// of a level-3 warning reaches a receiver that asked for level 2 and up.
    public var minimumLevel: Int

    public init(stations: Set<String>? = nil, areas: Set<String>? = nil, minimumLevel: Int = 1) {
        self.stations = stations
        self.areas = areas
        self.minimumLevel = minimumLevel
    }

    /// - Parameter areas: the communes the notice concerns.
    public func accepts(_ notice: Notice, areas noticeAreas: [String] = []) -> Bool {
        guard notice.level >= minimumLevel else { return false }
        if stations == nil, areas == nil { return true }
        if let stations, !notice.stations.isDisjoint(with: stations) { return true }
        if let areas, !areas.isDisjoint(with: noticeAreas) { return true }
        return false
    }
}

/// A webhook receiver: an SMS or chat gateway, the province's systems.
public struct WebhookSettings: Sendable, Hashable {
    /// Shown in `floodwatch alerts` and stored as the delivery's target.
    public var name: String
    public var url: String
    /// Key of the HMAC-SHA256 signature the receiver checks.
    public var secret: String
    public var filter: NoticeFilter
    public var timeoutSeconds: Double

    public init(
        name: String, url: String, secret: String, filter: NoticeFilter = NoticeFilter(), timeoutSeconds: Double = 10
    ) {
        self.name = name
        self.url = url
        self.secret = secret
        self.filter = filter
        self.timeoutSeconds = timeoutSeconds
    }
}

/// E-mail through the system's sendmail interface (msmtp, postfix, exim all provide one).
public struct EmailSettings: Sendable, Hashable {
    /// The command and its first arguments; the recipient is appended. `sendmail -oi` reads the message from
    /// standard input and, with `-oi`, does not end it at a line holding a single dot.
    public var command: [String]
    public var from: String
    /// Addresses per station id; the key `*` receives every station.
    public var recipients: [String: [String]]
    /// Addresses per commune id (catalogue `areas:`): a commune's officers get the notices that concern it.
    public var areaRecipients: [String: [String]]
    public var minimumLevel: Int

    public init(
        command: [String] = ["/usr/sbin/sendmail", "-oi"], from: String, recipients: [String: [String]],
        areaRecipients: [String: [String]] = [:], minimumLevel: Int = 1
    ) {
        self.command = command
        self.from = from
        self.recipients = recipients
        self.areaRecipients = areaRecipients
        self.minimumLevel = minimumLevel
    }

    /// The addresses for notices about these stations and communes, each once, in a stable order: everyone's
    /// (`*`), the stations', then the communes' in the order given.
    public func addresses(for stations: Set<String>, areas: [String] = []) -> [String] {
        var result: [String] = []
        let lists = (["*"] + stations.sorted()).map { recipients[$0] ?? [] } + areas.map { areaRecipients[$0] ?? [] }
        for list in lists {
            for address in list where !result.contains(address) {
                result.append(address)
            }
        }
        return result
    }
}

/// Where notices go. Decided when a notice is routed; each resulting delivery is then tracked on its own.
public struct AlertRouting: Sendable, Hashable {
    /// Publish alerts over MQTT.
    public var mqtt: Bool
    /// First topic level of alert topics.
    public var topicPrefix: String
    public var webhooks: [WebhookSettings]
    public var email: EmailSettings?

    public init(
        mqtt: Bool = true, topicPrefix: String = "alerts", webhooks: [WebhookSettings] = [],
        email: EmailSettings? = nil
    ) {
        self.mqtt = mqtt
        self.topicPrefix = topicPrefix
        self.webhooks = webhooks
        self.email = email
    }

    /// Every delivery a notice needs. Acknowledgements go to machines (MQTT, webhooks), not to inboxes: the
    /// officers who were mailed the warning learn of the acknowledgement from the next reminder not arriving.
    ///
    /// - Parameter areas: the communes the notice concerns (``Notice/areas(in:)``): each gets the notice on its
    ///   MQTT topic `alerts/area/<area>/<rule>` and at its receivers.
    public func targets(for notice: Notice, areas: [String]) -> [DeliveryTarget] {
        if notice.kind == .bulletin { return bulletinTargets() }
        var targets: [DeliveryTarget] = []
        if mqtt {
            targets.append(DeliveryTarget(.mqtt, topic(for: notice)))
            if let rule = notice.event?.event.rule {
                for area in areas {
                    targets.append(DeliveryTarget(.mqtt, areaTopic(area: area) + "/" + rule.rawValue))
                }
            }
        }
        for webhook in webhooks where webhook.filter.accepts(notice, areas: areas) {
            targets.append(DeliveryTarget(.webhook, webhook.name))
        }
        if let email, notice.event?.event.kind != .acknowledged,
            NoticeFilter(minimumLevel: email.minimumLevel).accepts(notice)
        {
            for address in email.addresses(for: notice.stations, areas: areas) {
                targets.append(DeliveryTarget(.email, address))
            }
        }
        return targets
    }

    /// A bulletin covers the whole district: `alerts/bulletin`, every webhook and every e-mail address.
    private func bulletinTargets() -> [DeliveryTarget] {
        var targets: [DeliveryTarget] = []
        if mqtt { targets.append(DeliveryTarget(.mqtt, bulletinTopic)) }
        targets += webhooks.map { DeliveryTarget(.webhook, $0.name) }
        if let email {
            let everyone = email.addresses(for: Set(email.recipients.keys), areas: email.areaRecipients.keys.sorted())
            targets += everyone.map { DeliveryTarget(.email, $0) }
        }
        return targets
    }

    /// `alerts/bulletin`: the periodic situation report.
    public var bulletinTopic: String { topicPrefix + "/bulletin" }

    /// `alerts/<station>/<rule>`; a grouped notice goes to `alerts/grouped/<rule>`.
    public func topic(for notice: Notice) -> String {
        if notice.kind == .grouped {
            return topicPrefix + "/grouped/" + (notice.members.first?.event.rule ?? .silent).rawValue
        }
        guard let event = notice.event?.event else { return topicPrefix + "/unknown" }
        return topicPrefix + "/" + event.station + "/" + event.rule.rawValue
    }

    /// `alerts/<station>`: the retained summary of a station's active warnings.
    public func summaryTopic(station: String) -> String {
        topicPrefix + "/" + station
    }

    /// `alerts/area/<area>`: the retained summary of the active warnings that concern a commune; its notices go
    /// to `alerts/area/<area>/<rule>`, so `alerts/area/<area>/#` is everything about the commune.
    public func areaTopic(area: String) -> String {
        topicPrefix + "/area/" + area
    }

    public func webhook(named name: String) -> WebhookSettings? {
        webhooks.first { $0.name == name }
    }
}

extension Notice {
    /// The stations a notice is about.
    public var stations: Set<String> {
        if kind == .grouped { return Set(members.map(\.event.station)) }
        return event.map { [$0.event.station] } ?? []
    }
}
