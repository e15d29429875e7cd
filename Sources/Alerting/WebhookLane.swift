import Alerts
import Foundation
import Gauges
import Synchronization

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// POSTs notices as JSON to one webhook, signed with its secret.
///
/// Every attempt for a notice carries the same `Idempotency-Key`, so a receiver that got a notice but whose answer
/// was lost (or that answered while FloodWatch restarted) can recognise the retry and act once.
/// Uses Foundation's URLSession (libcurl on Linux): HTTPS works, and no HTTP client package adds to the build.
struct WebhookLane: DeliveryLane {
    let webhook: WebhookSettings
    let catalogue: StationCatalogue
    let settings: AlertSettings
    let session: URLSession

    var channel: AlertChannel { .webhook }
    var target: String? { webhook.name }

    init(webhook: WebhookSettings, catalogue: StationCatalogue, settings: AlertSettings) {
        self.webhook = webhook
        self.catalogue = catalogue
        self.settings = settings
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = webhook.timeoutSeconds
        configuration.timeoutIntervalForResource = webhook.timeoutSeconds
        self.session = URLSession(configuration: configuration)
    }

    /// The request for a notice: JSON body, idempotency key, signature.
    static func request(
        _ notice: Notice, webhook: WebhookSettings, catalogue: StationCatalogue, settings: AlertSettings
    ) -> URLRequest? {
        guard let url = URL(string: webhook.url) else { return nil }
        let body = AlertBody(notice, catalogue: catalogue, settings: settings).json()
        var request = URLRequest(url: url, timeoutInterval: webhook.timeoutSeconds)
        request.httpMethod = "POST"
        request.httpBody = Data(body)
        request.setValue("application/json; charset=utf-8", forHTTPHeaderField: "Content-Type")
        request.setValue(idempotencyKey(notice), forHTTPHeaderField: "Idempotency-Key")
        request.setValue(
            WebhookSignature.sign(body: body, secret: webhook.secret), forHTTPHeaderField: WebhookSignature.header)
        request.setValue(settings.identifier(notice: notice.id), forHTTPHeaderField: "X-FloodWatch-Notice")
        request.setValue("FloodWatch", forHTTPHeaderField: "User-Agent")
        return request
    }

    /// The same for every attempt of a notice.
    static func idempotencyKey(_ notice: Notice) -> String {
        "floodwatch-notice-\(notice.id)"
    }

    func deliver(_ notice: Notice, to target: String) -> DeliveryOutcome {
        guard let request = Self.request(notice, webhook: webhook, catalogue: catalogue, settings: settings) else {
            return .failed("the webhook URL '\(webhook.url)' is not a URL")
        }
        let result = Mutex<DeliveryOutcome?>(nil)
        let done = DispatchSemaphore(value: 0)
        let task = session.dataTask(with: request) { data, response, error in
            let outcome: DeliveryOutcome
            if let error {
                outcome = .failed(error.localizedDescription)
            } else if let http = response as? HTTPURLResponse {
                if (200..<300).contains(http.statusCode) {
                    outcome = .delivered
                } else {
                    let text = data.map { String(decoding: $0.prefix(200), as: UTF8.self) } ?? ""
                    outcome = .failed("HTTP \(http.statusCode)" + (text.isEmpty ? "" : ": " + text))
                }
            } else {
                outcome = .failed("no HTTP response")
            }
            result.withLock { $0 = outcome }
            done.signal()
        }
        task.resume()
        if done.wait(timeout: .now() + webhook.timeoutSeconds + 5) == .timedOut {
            task.cancel()
            return .failed("no answer within \(Int(webhook.timeoutSeconds)) s")
        }
        return result.withLock { $0 } ?? .failed("no answer")
    }
}
