import Hummingbird

/// Who may read and who may acknowledge: tokens and roles from the configuration, never from the code.
public struct AccessPolicy: Sendable {
    public enum Role: String, Sendable, CaseIterable {
        /// Reads the history and warnings.
        case reader
        /// Also acknowledges warnings.
        case officer
    }

    public struct Token: Sendable {
        /// Shown in logs and acknowledgements' audit, never the secret.
        public var name: String
        public var secret: String
        public var role: Role

        public init(name: String, secret: String, role: Role) {
            self.name = name
            self.secret = secret
            self.role = role
        }
    }

    /// Reading without a token is allowed (the wall screen on the centre's own network).
    public var openReading: Bool
    public var tokens: [Token]

    public init(openReading: Bool = true, tokens: [Token] = []) {
        self.openReading = openReading
        self.tokens = tokens
    }

    /// The caller's token, after checking it may act as `role`: 401 without a known token, 403 with the wrong role.
    /// - Parameter tokenRequired: a token is needed even when reading is open (the staff feed).
    /// - Returns: nil when reading is open and no token was sent.
    func authorize(_ request: Request, as role: Role, tokenRequired: Bool = false) throws -> Token? {
        guard let header = request.headers[.authorization] else {
            if role == .reader, openReading, !tokenRequired { return nil }
            throw APIError(status: .unauthorized, message: "this needs a bearer token (Authorization: Bearer …)")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer", let token = match(String(parts[1])) else {
            throw APIError(status: .unauthorized, message: "the bearer token is not known")
        }
        if role == .officer, token.role != .officer {
            throw APIError(status: .forbidden, message: "token '\(token.name)' may read but not acknowledge")
        }
        return token
    }

    /// Compares against every token in constant time, so timing tells nothing about a secret.
    private func match(_ candidate: String) -> Token? {
        var found: Token?
        for token in tokens where Self.constantTimeEqual(Array(token.secret.utf8), Array(candidate.utf8)) {
            found = token
        }
        return found
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt8(truncatingIfNeeded: a.count ^ b.count)
        for index in 0..<max(a.count, b.count) {
            difference |= (index < a.count ? a[index] : 0) ^ (index < b.count ? b[index] : 0)
        }
        return difference == 0
    }
}
