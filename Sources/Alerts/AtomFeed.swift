import Gauges

/// The Atom 1.0 feed (RFC 4287) of the active alerts: what a feed reader or an aggregator polls, each entry
/// linking to its CAP document.
public enum AtomFeed {
    /// The Atom XML namespace.
    public static let namespace = "http://www.w3.org/2005/Atom"

    /// The feed's id: one list of active alerts per service, whatever address it is served from.
    public static let feedID = "urn:floodwatch:active-alerts"
    /// The staff feed's id.
    public static let staffFeedID = "urn:floodwatch:staff-alerts"

    /// The feed of `notices`, one entry each, in the given order; notices that get no CAP document
    /// (acknowledgements) are left out, since every entry links to one. The public feed also leaves out every
    /// Restricted notice (``CAPMapping/scope(_:)``); the staff feed (`staff`) has them all.
    ///
    /// - Parameters:
    ///   - baseURL: where the service is reached, e.g. `https://floodwatch.example.vn`; entries link to
    ///     `{baseURL}/cap/{identifier}.xml`.
    ///   - updated: when the list last changed (Unix ms UTC).
    public static func render(
        _ notices: [Notice], catalogue: StationCatalogue, settings: AlertSettings, baseURL: String, updated: Int64,
        staff: Bool = false
    ) -> String {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        var xml = CAPDocument.XML()
        xml.open("feed", attributes: [("xmlns", namespace)])
        xml.element("id", staff ? staffFeedID : feedID)
        xml.element(
            "title",
            staff
                ? "FloodWatch — cảnh báo cho cán bộ trực ban / alerts for duty staff"
                : "FloodWatch — cảnh báo đang hiệu lực / active alerts")
        xml.element("updated", UnixTime.vietnam(updated))
        xml.open("author")
        xml.element("name", settings.senderName)
        xml.close("author")
        for notice in notices where CAPMapping.messageType(notice) != nil {
            if !staff, CAPMapping.scope(notice) == .restricted { continue }
            let identifier = settings.identifier(notice: notice.id)
            let headline = CAPDocument.headline(notice, catalogue: catalogue, language: .english)
            xml.open("entry")
            xml.element("id", entryID(identifier: identifier))
            // A feed reader shows no CAP status: the title itself must say that a drill is a drill.
            xml.element("title", settings.exercise ? "[Exercise] " + headline : headline)
            xml.element("updated", UnixTime.vietnam(notice.createdAt))
            xml.element("summary", CAPDocument.description(notice, catalogue: catalogue, language: .english))
            xml.empty(
                "link",
                attributes: [
                    ("rel", "alternate"), ("type", "application/cap+xml"), ("href", "\(base)/cap/\(identifier).xml"),
                ])
            xml.close("entry")
        }
        xml.close("feed")
        return xml.text
    }

    /// The entry id of a notice: stable, since it derives from the CAP identifier, which never changes.
    public static func entryID(identifier: String) -> String {
        "urn:floodwatch:" + identifier
    }
}
