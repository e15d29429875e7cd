import Alerts
import Foundation
import Gauges
import Hummingbird
import Logging
import Storage

/// `GET /api/warnings` and `POST /api/warnings/{id}/ack`.
struct WarningRoutes: Sendable {
    let context: APIServer.Context

    struct AcknowledgeBody: Decodable {
        var by: String?
        var note: String?
    }

    func add(to group: RouterGroup<APIRequestContext>) {
        group.get("warnings") { request, requestContext in
            _ = try await context.authorize(request, requestContext, as: .reader)
            return try await list(request)
        }
        group.post("warnings/:id/ack") { request, requestContext in
            let token = try await context.authorize(request, requestContext, as: .officer)
            return try await acknowledge(
                request, id: try requestContext.parameters.require("id"), token: token,
                from: requestContext.clientAddress)
        }
    }

    private func list(_ request: Request) async throws -> Response {
        let query = QueryParameters(request: request)
        let station = query.text("station")
        if let station, context.catalogue[station] == nil {
            throw APIError.notFound("there is no station '\(station)'")
        }
        let from = try query.time("from")
        let to = try query.time("to")
        let limit = try query.integer("limit", in: 1...1000) ?? 200
        let events: [APIModels.WarningEvent]
        if try query.boolean("active") == true {
            events = try await context.database.activeWarningsAsync(station: station)
                .filter { warning in
                    from.map { warning.latest.event.timestamp >= $0 } ?? true
                        && to.map { warning.latest.event.timestamp <= $0 } ?? true
                }
                .sorted { $0.latest.id > $1.latest.id }
                .prefix(limit).map(APIModels.WarningEvent.init)
        } else {
            events = try await context.database.warningEvents(station: station, from: from, to: to, limit: limit)
                .map { APIModels.WarningEvent($0) }
        }
        return try JSON.response(["warnings": events])
    }

    private func acknowledge(_ request: Request, id text: String, token: AccessPolicy.Token?, from address: String)
        async throws -> Response
    {
        guard let id = Int64(text) else { throw APIError.badParameter("id", "'\(text)' is not a warning id") }
        var request = request
        let buffer = try await request.collectBody(upTo: 16_384)
        let body: AcknowledgeBody
        do {
            body = try JSONDecoder().decode(AcknowledgeBody.self, from: Data(buffer: buffer))
        } catch {
            throw APIError.badParameter("body", "the body must be JSON {\"by\": \"name\", \"note\": \"…\"}")
        }
        guard let by = body.by?.trimmingCharacters(in: .whitespacesAndNewlines), !by.isEmpty, by.count <= 200 else {
            throw APIError.badParameter("by", "say who acknowledges: a name and role, at most 200 characters")
        }
        let note = body.note?.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (note?.count ?? 0) <= 2000 else { throw APIError.badParameter("note", "at most 2,000 characters") }
        // The audit trail, kept with the acknowledgement: from which address, with which token. A proxy's
        // X-Forwarded-For is recorded as what it is, a claim, next to the address the request really came from.
        var origin = "HTTP from \(address)"
        if let forwarded = request.headers[.init("X-Forwarded-For")!] { origin += " (forwarded for \(forwarded))" }
        origin += ", token \(token?.name ?? "-")"
        do {
            let event = try await context.database.acknowledgeAsync(
                warning: id, by: by, note: note?.isEmpty == true ? nil : note, from: origin, at: context.clock())
            context.logger.notice(
                "Warning acknowledged over HTTP", metadata: ["warning_id": "\(id)", "by": "\(by)", "from": "\(origin)"])
            context.acknowledged()
            return try JSON.response(APIModels.WarningEvent(event))
        } catch let error as AcknowledgeError {
            switch error {
            case .unknownWarning: throw APIError.notFound("\(error)")
            case .cleared, .alreadyAcknowledged: throw APIError(status: .conflict, message: "\(error)")
            }
        }
    }
}
