import BlockingWork
import Foundation
import GRDB
import PostgresStore
import TestSupport

/// SQL on either store, for tests that check what the tables hold: the tables and columns are the same on both
/// (docs/storage.md, a contract), so one query serves both, except where their types differ (`StoreKind.sql`).
extension TestedStore {
    /// The rows of a query, as GRDB rows, read as a test reads the SQLite file (`row["value"] as Double`); on
    /// PostgreSQL through `psql` (`TestPostgres.rows` says how values come back). Columns must have distinct names.
    func rows(_ sql: String) async throws -> [Row] {
        let values: [[String: DatabaseValue]]
        switch location {
        case .file:
            guard let reader = sqlite?.reader else { preconditionFailure("a file without its SQLite store") }
            values = try await BlockingWork.onOwnThread(name: "sqlite-read") {
                try reader.read { db in
                    try Row.fetchAll(db, sql: sql).map { row in
                        Dictionary(row.map { ($0, $1) }, uniquingKeysWith: { first, _ in first })
                    }
                }
            }
        case .postgres(let server, let name):
            values = try await BlockingWork.onOwnThread(name: "psql") { try server.rowValues(sql, database: name) }
        }
        return values.map { Row($0.mapValues { $0 as (any DatabaseValueConvertible)? }) }
    }

    /// The single value of a query returning one row of one column.
    func value<Value: DatabaseValueConvertible>(_ sql: String, as type: Value.Type = Value.self) async throws -> Value?
    {
        let rows = try await rows(sql)
        guard let row = rows.first else { return nil }
        return row.databaseValues.first.flatMap { Value.fromDatabaseValue($0) }
    }

    /// Runs SQL that changes the schema, from a connection of its own, as another program would.
    func execute(_ sql: String) async throws {
        switch location {
        case .file(let folder):
            try await BlockingWork.onOwnThread(name: "sqlite-execute") {
                try DatabaseQueue(path: folder + "/floodwatch.sqlite").write { try $0.execute(sql: sql) }
            }
        case .postgres(let server, let name):
            try await BlockingWork.onOwnThread(name: "psql") { _ = try server.psql(sql, database: name) }
        }
    }

    /// Makes the store refuse a write to `table` (`event`: `INSERT`, `UPDATE OF quality`) with `message`, as a
    /// full disk would refuse any write: a trigger named `refuse`, until `allow(table)`.
    func refuse(_ event: String, on table: String, saying message: String) async throws {
        try await execute(
            kind.sql(
                sqlite:
                    "CREATE TRIGGER refuse BEFORE \(event) ON \(table) BEGIN SELECT RAISE(ABORT, '\(message)'); END",
                postgres: """
                    CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql
                        AS $$ BEGIN RAISE EXCEPTION '\(message)'; END $$;
                    CREATE TRIGGER refuse BEFORE \(event) ON \(table) FOR EACH ROW EXECUTE FUNCTION refuse()
                    """))
    }

    /// Ends `refuse`.
    func allow(_ table: String) async throws {
        try await execute(
            kind.sql(
                sqlite: "DROP TRIGGER refuse",
                postgres: "DROP TRIGGER refuse ON \(table); DROP FUNCTION refuse()"))
    }

    /// Whether `error` is this store's error for a write that `refuse` made it refuse with `message`.
    func isRefusal(_ error: (any Error)?, saying message: String) -> Bool {
        guard let error else { return false }
        let ofTheStore =
            switch kind {
            case .sqlite: error is DatabaseError
            case .postgres: error is PostgresStoreError
            }
        return ofTheStore && "\(error)".contains(message)
    }
}
