import Foundation
import Hummingbird

/// Health for monitoring and the orchestrator, Prometheus metrics, the OpenAPI description and the page.
struct SystemRoutes: Sendable {
    let context: APIServer.Context

    struct Health: Encodable {
        var status: String
        var database: String?
        var broker: String?
    }

    func add(to router: Router<APIRequestContext>) {
        router.get("healthz") { _, _ in try JSON.response(Health(status: "ok")) }
        router.get("readyz") { _, _ in
            let readiness = await context.readiness()
            let ready = readiness.databaseProblem == nil && readiness.brokerProblem == nil
            return try JSON.response(
                Health(
                    status: ready ? "ok" : "unavailable", database: readiness.databaseProblem ?? "writable",
                    broker: readiness.brokerProblem ?? "connected"),
                status: ready ? .ok : .serviceUnavailable)
        }
        router.get("metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: context.metricsText())))
        }
        router.get("openapi.yaml") { _, _ in
            try Self.resource("openapi.yaml", type: "application/yaml; charset=utf-8")
        }
        router.get("/") { _, _ in
            try Self.resource("dashboard.html", type: "text/html; charset=utf-8")
        }
        router.get("api/events") { request, requestContext in
            _ = try await context.authorize(request, requestContext, as: .reader)
            return context.live.response()
        }
    }

    /// A file of `Sources/HTTPAPI/Resources`, as it is.
    static func resource(_ name: String, type: String) throws -> Response {
        guard let url = Bundle.module.url(forResource: "Resources/" + name, withExtension: nil),
            let data = try? Data(contentsOf: url)
        else {
            throw APIError(status: .internalServerError, message: "\(name) is missing from the installation")
        }
        return Response(
            status: .ok, headers: [.contentType: type],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
