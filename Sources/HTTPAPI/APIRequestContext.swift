import Hummingbird
import NIOCore

/// Hummingbird's basic request context plus the client's address: acknowledgements record where they came from,
/// and failed logins are limited per address.
public struct APIRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// The client's IP address for logs and the audit; "unknown" when the channel has none (tests in-process).
    var clientAddress: String {
        remoteAddress?.ipAddress ?? "unknown"
    }
}
