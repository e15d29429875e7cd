import Foundation

/// Where a PostgreSQL store is: `postgres://user[:password]@host[:port]/database`, the `--database` of a FloodWatch
/// past one machine (a path there keeps SQLite).
public struct PostgresLocation: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String

    public init(host: String, port: Int = 5432, user: String, password: String? = nil, database: String) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database
    }

    /// Whether `text` names a PostgreSQL store rather than an SQLite file.
    public static func isURL(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    /// Reads a URL; the error says what is missing and shows the expected shape.
    public init(url text: String) throws(LocationError) {
        guard Self.isURL(text), let url = URLComponents(string: text), let host = url.host, !host.isEmpty else {
            throw LocationError(text: text, problem: "is not a postgres:// URL with a host")
        }
        guard let user = url.user, !user.isEmpty else {
            throw LocationError(text: text, problem: "names no user")
        }
        let database = String(url.path.drop { $0 == "/" })
        guard !database.isEmpty, !database.contains("/") else {
            throw LocationError(text: text, problem: "names no database (the path after the port)")
        }
        if let port = url.port, !(1...65535).contains(port) {
            throw LocationError(text: text, problem: "has a port outside 1–65535")
        }
        self.init(
            host: host, port: url.port ?? 5432, user: user, password: url.password, database: database)
    }

    /// The URL without its password, for logs and messages.
    public var description: String { "postgres://\(user)@\(host):\(port)/\(database)" }

    public struct LocationError: Error, CustomStringConvertible {
        /// The URL as given, its password replaced by `***`.
        public let text: String
        public let problem: String

        init(text: String, problem: String) {
            var shown = text
            if let url = URLComponents(string: text), let password = url.password, !password.isEmpty,
                let range = text.range(of: ":" + password + "@")
            {
                shown.replaceSubrange(range, with: ":***@")
            }
            self.text = shown
            self.problem = problem
        }

        public var description: String {
            "the database URL \(text) \(problem): write postgres://user[:password]@host[:port]/database"
        }
    }
}
