/// The store cannot answer now (its server is away, or every connection stays busy): nothing is wrong with the
/// request, which will work again once the store is back. The HTTP API answers it with 503 and Retry-After, not 500.
public struct StoreUnavailable: Error, CustomStringConvertible {
    /// What the store saw, in words an operator can act on.
    public let reason: String

    public init(_ reason: String) {
        self.reason = reason
    }

    public var description: String { reason }
}
