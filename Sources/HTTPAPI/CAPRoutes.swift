import Alerts
import Foundation
import Gauges
import Hummingbird
import Storage

/// `GET /cap/<identifier>.xml`: one CAP 1.2 document per notice;
/// `GET /cap/feed.atom`: the public Atom feed of the active alerts, each entry linking to its document;
/// `GET /cap/staff.atom`: every active alert, Restricted ones too (silent gauges, reminders, trend estimates),
/// for a bearer token only, as are Restricted documents. Documents are rebuilt from the database, the same bytes
/// every time.
struct CAPRoutes: Sendable {
    static let capType = "application/cap+xml; charset=utf-8"
    static let atomType = "application/atom+xml; charset=utf-8"

    let context: APIServer.Context

    func add(to group: RouterGroup<APIRequestContext>) {
        group.get("feed.atom") { request, _ in try await feed(request, staff: false) }
        group.get("staff.atom") { request, requestContext in
            try await context.authorize(request, requestContext, tokenRequired: true)
            return try await feed(request, staff: true)
        }
        group.get(":document") { request, requestContext in
            try await document(try requestContext.parameters.require("document"), request, requestContext)
        }
    }

    private func feed(_ request: Request, staff: Bool) async throws -> Response {
        let notices = try await context.database.activeNoticesAsync()
        // Links point back to the address the reader used (a dashboard behind a proxy sees its own host).
        let host = request.head.authority ?? "127.0.0.1"
        let xml = AtomFeed.render(
            notices, catalogue: context.catalogue, settings: context.alertSettings, baseURL: "http://\(host)",
            updated: context.clock(), staff: staff)
        return Self.response(xml, type: Self.atomType)
    }

    private func document(_ name: String, _ request: Request, _ requestContext: APIRequestContext) async throws
        -> Response
    {
        let prefix = context.alertSettings.identifierPrefix
        guard name.hasPrefix(prefix), name.hasSuffix(".xml"),
            let id = Int64(name.dropFirst(prefix.count).dropLast(4))
        else {
            throw HTTPError(.notFound, message: "no CAP document is named \(name); names are \(prefix)<id>.xml")
        }
        guard let notice = try await context.database.noticeAsync(id) else {
            throw HTTPError(.notFound, message: "there is no notice \(id)")
        }
        guard let xml = CAPDocument.render(notice, catalogue: context.catalogue, settings: context.alertSettings)
        else {
            throw HTTPError(
                .notFound, message: "notice \(id) is an acknowledgement or a bulletin, which have no CAP document")
        }
        if CAPMapping.scope(notice) == .restricted {
            try await context.authorize(request, requestContext, tokenRequired: true)
        }
        return Self.response(xml, type: Self.capType)
    }

    private static func response(_ text: String, type: String) -> Response {
        Response(
            status: .ok, headers: [.contentType: type],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
