import Bulletin
import Foundation
import Gauges
import Hummingbird
import Warnings

/// `GET /bulletin`: the situation report at a time, compiled from the database on each request. `?format=html`
/// (default; `?lang=vi|en`, default vi), `json` or `text` (both languages); `?at=` an RFC 3339 time, default now.
/// Reads like the API's GET routes: with `read: token` it needs a reader's token.
struct BulletinRoutes: Sendable {
    let context: APIServer.Context

    func add(to router: Router<APIRequestContext>) {
        router.get("bulletin") { request, requestContext in
            _ = try await context.authorize(request, requestContext, as: .reader)
            return try await bulletin(request)
        }
    }

    private func bulletin(_ request: Request) async throws -> Response {
        let query = QueryParameters(request: request)
        let format = query.text("format") ?? "html"
        guard ["html", "json", "text"].contains(format) else {
            throw APIError.badParameter("format", "'\(format)' is not html, json or text")
        }
        let language: BulletinLanguage
        switch query.text("lang") ?? "vi" {
        case "vi": language = .vietnamese
        case "en": language = .english
        case let other: throw APIError.badParameter("lang", "'\(other)' is not vi or en")
        }
        let time = try query.time("at") ?? context.clock()
        let bulletin = try await BulletinBuilder.build(
            database: context.database, catalogue: context.catalogue, at: time)
        switch format {
        case "json":
            return Self.response(ByteBuffer(bytes: bulletin.json()), type: "application/json; charset=utf-8")
        case "text":
            return Self.response(ByteBuffer(string: bulletin.text()), type: "text/plain; charset=utf-8")
        default:
            // The same report in the other language, at the same time.
            var other = "?lang=\(language == .vietnamese ? "en" : "vi")"
            if query.text("at") != nil {
                other += "&at=" + UnixTime.rfc3339(time / 1000 * 1000).replacingOccurrences(of: "+", with: "%2B")
            }
            return Self.response(
                ByteBuffer(string: bulletin.html(language, otherLanguage: other)), type: "text/html; charset=utf-8")
        }
    }

    private static func response(_ body: ByteBuffer, type: String) -> Response {
        Response(status: .ok, headers: [.contentType: type], body: ResponseBody(byteBuffer: body))
    }
}
