import Alerts
import AsyncHTTPClient
import Gauges
import NIOCore
import NIOHTTP1
import Synchronization

/// POSTs notices as JSON to one webhook, signed with its secret.
///
/// Every attempt for a notice carries the same `Idempotency-Key`, so a receiver that got a notice but whose answer
/// was lost (or that answered while FloodWatch restarted) can recognise the retry and act once.
///
/// Through AsyncHTTPClient (SwiftNIO, TLS by BoringSSL): the lane's thread blocks on the request's future, and
/// `interrupt()` cancels the request in flight, so a receiver that hangs delays neither this lane's stop nor any
/// other lane. Foundation's URLSession on Linux needed libcurl and a semaphore around a callback, and could not be
/// cancelled from the stopping service.
///
/// Each lane has a client of its own, made when its thread starts and shut down when it stops. It does not retry
/// a connection that fails (AsyncHTTPClient's default would keep trying until the request's deadline): the outbox
/// retries with FloodWatch's own back-off, so an unreachable receiver costs an attempt a moment, not its timeout.
struct WebhookLane: DeliveryLane {
    let webhook: WebhookSettings
    let catalogue: StationCatalogue
    let settings: AlertSettings
    /// The lane's HTTP client, between `start` and `stop`.
    private let client = LaneClient()
    /// The request in flight, for `interrupt()`.
    private let inFlight = InFlightRequest()

    var channel: AlertChannel { .webhook }
    var target: String? { webhook.name }

    init(webhook: WebhookSettings, catalogue: StationCatalogue, settings: AlertSettings) {
        self.webhook = webhook
        self.catalogue = catalogue
        self.settings = settings
    }

    func start(wake: @escaping @Sendable () -> Void) {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        let timeout = TimeAmount.milliseconds(Int64(webhook.timeoutSeconds * 1000))
        configuration.timeout = HTTPClient.Configuration.Timeout(connect: timeout, read: timeout)
        client.set(HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration))
    }

    func stop() {
        client.shutDown()
    }

    /// The request for a notice: JSON body, idempotency key, signature.
    static func request(
        _ notice: Notice, webhook: WebhookSettings, catalogue: StationCatalogue, settings: AlertSettings
    ) throws -> HTTPClient.Request {
        let body = AlertBody.payload(notice, catalogue: catalogue, settings: settings)
        let headers: HTTPHeaders = [
            "Content-Type": "application/json; charset=utf-8",
            "Idempotency-Key": idempotencyKey(notice),
            WebhookSignature.header: WebhookSignature.sign(body: body, secret: webhook.secret),
            "X-FloodWatch-Notice": settings.identifier(notice: notice.id),
            "User-Agent": "FloodWatch",
        ]
        return try HTTPClient.Request(url: webhook.url, method: .POST, headers: headers, body: .bytes(body))
    }

    /// The same for every attempt of a notice.
    static func idempotencyKey(_ notice: Notice) -> String {
        "floodwatch-notice-\(notice.id)"
    }

    func deliver(_ notice: Notice, to target: String) -> DeliveryOutcome {
        let request: HTTPClient.Request
        do {
            request = try Self.request(notice, webhook: webhook, catalogue: catalogue, settings: settings)
        } catch {
            return .failed("the webhook URL '\(webhook.url)' is not usable: \(error)")
        }
        guard let client = client.current else { return .failed("the lane is not running") }
        let timeout = TimeAmount.milliseconds(Int64(webhook.timeoutSeconds * 1000))
        let task = client.execute(
            request: request, delegate: ResponseAccumulator(request: request), deadline: .now() + timeout)
        guard inFlight.started(task) else {
            task.cancel()
            return .failed("the service stopped before the request was sent; tried again at the next start")
        }
        defer { inFlight.finished() }
        do {
            let response = try task.wait()
            if (200..<300).contains(response.status.code) { return .delivered }
            let text = response.body.map { String(buffer: $0).prefix(200) } ?? ""
            return .failed("HTTP \(response.status.code)" + (text.isEmpty ? "" : ": " + text))
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
            return .failed("no answer within \(Int(webhook.timeoutSeconds)) s")
        } catch let error as HTTPClientError where error == .cancelled {
            return .failed("the service stopped before the receiver answered; tried again at the next start")
        } catch {
            return .failed("\(error)")
        }
    }

    func interrupt() {
        inFlight.interrupt()
    }
}

/// The request a webhook lane has in flight, and whether the lane was interrupted.
private final class InFlightRequest: Sendable {
    private struct State {
        var task: HTTPClient.Task<HTTPClient.Response>?
        var interrupted = false
    }
    private let state = Mutex(State())

    /// Notes the request; false when the lane was interrupted already (the caller cancels it).
    func started(_ task: HTTPClient.Task<HTTPClient.Response>) -> Bool {
        state.withLock { state in
            state.task = task
            return !state.interrupted
        }
    }

    func finished() {
        state.withLock { $0.task = nil }
    }

    /// From another thread: cancels the request in flight, and every later one as it starts.
    func interrupt() {
        state.withLock { state in
            state.interrupted = true
            state.task?.cancel()
        }
    }
}

/// A lane's HTTP client: made when the lane's thread starts, shut down when it stops (AsyncHTTPClient requires
/// every client it made to be shut down).
private final class LaneClient: Sendable {
    private let client = Mutex<HTTPClient?>(nil)

    var current: HTTPClient? { client.withLock { $0 } }

    func set(_ new: HTTPClient) {
        client.withLock { $0 = new }
    }

    /// Shuts the client down on the calling thread (the lane's own, never one of SwiftNIO's).
    func shutDown() {
        let old = client.withLock { client in
            defer { client = nil }
            return client
        }
        try? old?.syncShutdown()
    }
}
