import FluentPostgresDriver
import Foundation
import Logging
import NIOConcurrencyHelpers
import PostgresKit
import SQLKit

/// Named prepared statements for the enrollment hot path on PostgreSQL.
///
/// SQLKit sends every query as an unnamed statement, which PostgreSQL parses and plans on every execution;
/// for the application's reading (a join of nine tables with three subqueries) planning costs several times
/// the execution. These statements are prepared once per connection (PostgresNIO keeps them by name) and
/// then only bound and executed.
protocol HotStatement: PostgresPreparedStatement where Row == PostgresRow {
    var bindings: PostgresBindings { get }
}

extension HotStatement {
    static var bindingDataTypes: [PostgresDataType] { [] }
    func makeBindings() throws -> PostgresBindings { bindings }
    func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }
}

extension PostgresDatabase {
    /// Runs a prepared statement on a pooled connection; its rows for SQLKit's decoding.
    func hot<S: HotStatement>(_ statement: S, logger: Logger) async throws -> [any SQLRow] {
        try await hotRows(statement, logger: logger).map { $0.sql() }
    }

    /// The same, its rows as they came (for decoding by hand: SQLKit's `Decodable` path costs more than the
    /// statement on the hot path).
    func hotRows<S: HotStatement>(_ statement: S, logger: Logger) async throws -> [PostgresRow] {
        try await withConnection { conn in
            conn.eventLoop.makeFutureWithTask {
                var rows: [PostgresRow] = []
                for try await row in try await conn.execute(statement, logger: logger) { rows.append(row) }
                return rows
            }
        }.get()
    }
}

/// A statement text with positional parameters `$1`, `$2`, … and their values, for any SQLKit database: the
/// same text a `HotStatement` prepares on PostgreSQL (SQLite reads `$1` as a parameter named "$1", numbered
/// in the order of first appearance).
struct PositionalSQL: SQLExpression {
    let sql: String
    let binds: [any Encodable & Sendable]

    func serialize(to serializer: inout SQLSerializer) {
        serializer.write(sql)
        serializer.binds.append(contentsOf: binds)
    }
}

extension SQLDatabase {
    /// The rows of a statement with positional parameters.
    func rows(_ sql: String, _ binds: [any Encodable & Sendable]) async throws -> [any SQLRow] {
        let box = NIOLockedValueBox<[any SQLRow]>([])
        try await execute(sql: PositionalSQL(sql: sql, binds: binds)) { row in box.withLockedValue { $0.append(row) } }
        return box.withLockedValue { $0 }
    }
}
