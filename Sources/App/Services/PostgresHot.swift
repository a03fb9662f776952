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
    /// Runs a prepared statement on a pooled connection; its rows as they came (decoded by hand through `HotRow`:
    /// SQLKit's `Decodable` path costs more than the statement on the hot path).
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

/// Typed access by column name to the rows of the hot path's readings, without SQLKit's `Decodable` machinery
/// (which cost more than the statements themselves): PostgreSQL's rows, the direct SQLite connections' rows, and
/// any other SQLKit row through its own decoding.
protocol HotRow {
    func string(_ column: String) throws -> String?
    func int(_ column: String) throws -> Int64?
    func uuid(_ column: String) throws -> UUID?
    func bool(_ column: String) throws -> Bool?
    func date(_ column: String) throws -> Date?
}

/// A column the reading needs came back NULL or missing.
struct MissingColumn: Error, CustomStringConvertible {
    let column: String
    var description: String { "column \(column) is missing or NULL" }
}

extension HotRow {
    func string(required c: String) throws -> String { guard let v = try string(c) else { throw MissingColumn(column: c) }; return v }
    func int(required c: String) throws -> Int { guard let v = try int(c) else { throw MissingColumn(column: c) }; return Int(v) }
    func int64(required c: String) throws -> Int64 { guard let v = try int(c) else { throw MissingColumn(column: c) }; return v }
    func uuid(required c: String) throws -> UUID { guard let v = try uuid(c) else { throw MissingColumn(column: c) }; return v }
    func bool(required c: String) throws -> Bool { guard let v = try bool(c) else { throw MissingColumn(column: c) }; return v }
    func date(required c: String) throws -> Date { guard let v = try date(c) else { throw MissingColumn(column: c) }; return v }
}

extension PostgresRandomAccessRow: HotRow {
    private func cell(_ c: String) throws -> PostgresCell {
        guard contains(c) else { throw MissingColumn(column: c) }
        return self[c]
    }
    func string(_ c: String) throws -> String? { try cell(c).decode(String?.self) }
    func int(_ c: String) throws -> Int64? { try cell(c).decode(Int64?.self) }
    func uuid(_ c: String) throws -> UUID? { try cell(c).decode(UUID?.self) }
    func bool(_ c: String) throws -> Bool? { try cell(c).decode(Bool?.self) }
    func date(_ c: String) throws -> Date? { try cell(c).decode(Date?.self) }
}

/// Any SQLKit row, through its own decoding (the pool's SQLite rows in tests and tools).
struct DecodingHotRow: HotRow {
    let row: any SQLRow
    func string(_ c: String) throws -> String? { try row.decode(column: c, as: String?.self) }
    func int(_ c: String) throws -> Int64? { try row.decode(column: c, as: Int64?.self) }
    func uuid(_ c: String) throws -> UUID? { try row.decode(column: c, as: UUID?.self) }
    func bool(_ c: String) throws -> Bool? { try row.decode(column: c, as: Bool?.self) }
    func date(_ c: String) throws -> Date? { try row.decode(column: c, as: Date?.self) }
}

/// The fastest typed access a SQLKit row allows.
func hotRow(_ row: any SQLRow) -> any HotRow {
    if let direct = row as? SQLiteDirect.Row { return direct }
    return DecodingHotRow(row: row)
}
