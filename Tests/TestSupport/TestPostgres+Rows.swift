import Foundation
import GRDB

extension TestPostgres {
    /// The rows of a query, as GRDB rows, so that a test reads PostgreSQL's answer as it reads the SQLite file's
    /// (`row["station"] as String`, `row["value"] as Double`).
    ///
    /// Through `psql`, each row printed as one line of JSON (`row_to_json`): whole numbers come back as `Int64`,
    /// others as `Double`, which GRDB converts as the test asks (a `double precision` 4.0 reads as 4.0 either way);
    /// text as `String`, a boolean as 0 or 1, `bytea` as its text form (`\x…`); JSON columns not at all (a scalar
    /// is expected). Columns must have distinct names.
    public func rows(_ sql: String, database: String = TestPostgres.database) throws -> [Row] {
        try rowValues(sql, database: database).map { Row($0.mapValues { $0 as (any DatabaseValueConvertible)? }) }
    }

    /// `rows`, each as its columns' values: what can cross from a thread to a task (a GRDB `Row` cannot).
    public func rowValues(_ sql: String, database: String = TestPostgres.database) throws
        -> [[String: DatabaseValue]]
    {
        let text = try psql("SELECT row_to_json(q) FROM (\(sql)) AS q", database: database)
        let decoder = JSONDecoder()
        return try text.split(separator: "\n").map { line in
            try decoder.decode([String: JSONScalar].self, from: Data(line.utf8)).mapValues(\.value)
        }
    }
}

/// One value of a row that `row_to_json` printed.
private enum JSONScalar: Decodable {
    case null
    case integer(Int64)
    case real(Double)
    case boolean(Bool)
    case text(String)

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let integer = try? container.decode(Int64.self) {
            self = .integer(integer)
        } else if let real = try? container.decode(Double.self) {
            self = .real(real)
        } else if let boolean = try? container.decode(Bool.self) {
            self = .boolean(boolean)
        } else {
            self = .text(try container.decode(String.self))
        }
    }

    var value: DatabaseValue {
        switch self {
        case .null: .null
        case .integer(let value): value.databaseValue
        case .real(let value): value.databaseValue
        case .boolean(let value): (value ? 1 : 0).databaseValue
        case .text(let value): value.databaseValue
        }
    }
}
