import Hummingbird
import Storage

/// A read the store cannot answer now (`StoreUnavailable`: PostgreSQL away) is answered at once with 503, what is
/// wrong and Retry-After, as `/readyz` says it: a page or Grafana shows "try again" rather than a bare 500, and
/// a dashboard's retry waits for the store to come back.
struct StoreUnavailableMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Seconds a client is asked to wait before it asks again.
    static var retryAfter: Int { 5 }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as StoreUnavailable {
            throw APIError(
                status: .serviceUnavailable, message: "the database cannot answer now: \(error.reason)",
                retryAfter: Self.retryAfter)
        }
    }
}
