import Alerts
import Foundation
import Hummingbird

/// An error the API answers with: the status, and `{"error": {"parameter": "…", "message": "…"}}` saying which
/// parameter was wrong and why, so a dashboard author fixes the request without reading our code.
struct APIError: HTTPResponseError {
    var status: HTTPResponse.Status
    var parameter: String?
    var message: String
    /// Seconds, for 429 (Retry-After).
    var retryAfter: Int?

    init(status: HTTPResponse.Status, parameter: String? = nil, message: String, retryAfter: Int? = nil) {
        self.status = status
        self.parameter = parameter
        self.message = message
        self.retryAfter = retryAfter
    }

    static func badParameter(_ parameter: String, _ message: String) -> APIError {
        APIError(status: .badRequest, parameter: parameter, message: message)
    }

    static func notFound(_ message: String) -> APIError {
        APIError(status: .notFound, message: message)
    }

    private struct Body: Encodable {
        struct Detail: Encodable {
            var parameter: String?
            var message: String
        }
        var error: Detail
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = try JSON.encoder.encode(Body(error: .init(parameter: parameter, message: message)))
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer" }
        if let retryAfter { headers[.retryAfter] = "\(retryAfter)" }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }
}

/// JSON as the API writes it: the same conventions as the alerts' JSON.
enum JSON {
    static var encoder: JSONEncoder { AlertJSON.encoder }

    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }
}
