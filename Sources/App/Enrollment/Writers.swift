import Domain
import FluentPostgresDriver
import Foundation
import PostgresNIO
import SQLKit

/// What became of one application of a batch written at once.
enum BatchOutcome: Sendable, Equatable {
    case written
    /// The child already has a live application or contract in the module.
    case duplicate
    /// A condition of the write no longer held: read it again.
    case changed
}

/// Writes prepared applications: one writer per database, chosen at start-up, all running the same statements
/// (`ApplyStatements`) — one by one in Swift, or rendered into PL/pgSQL.
protocol EnrollmentWriter: Sendable {
    /// Which write path this is (logs, tests).
    var path: EnrollmentWritePath { get }
    /// Writes one application atomically. `WriteChanged` when a condition no longer holds (nothing written),
    /// `Refusal.duplicate` for a second live application of the child in the module.
    func write(_ p: PreparedApplication) async throws
    /// Writes many in one transaction when the database can (`batches`); each item's outcome.
    var batches: Bool { get }
    func write(batch: [PreparedApplication]) async throws -> [BatchOutcome]
}

extension EnrollmentWriter {
    var batches: Bool { false }

    func write(batch: [PreparedApplication]) async throws -> [BatchOutcome] {
        var out: [BatchOutcome] = []
        for p in batch {
            do {
                try await write(p)
                out.append(.written)
            } catch is WriteChanged {
                out.append(.changed)
            } catch let r as Refusal where r == .duplicate {
                out.append(.duplicate)
            }
        }
        return out
    }
}

/// The write paths, by name (`ENROLLMENT_WRITE_PATH`).
enum EnrollmentWritePath: String, Sendable, CaseIterable {
    /// The statements one by one in a transaction of the pool (any database; SQLite behind the write gate).
    case statements
    /// SQLite: the statements on the direct writer connection, group-committed.
    case direct
    /// PostgreSQL: `navigator_apply`, one application per call.
    case function
    /// PostgreSQL: `navigator_apply_batch` for concurrent applications (a lone one is a batch of one).
    case batch
}

/// The statements in a transaction of the pool.
struct StatementWriter: EnrollmentWriter {
    let store: Store
    var path: EnrollmentWritePath { .statements }

    func write(_ p: PreparedApplication) async throws {
        do {
            try await store.write { tx in try await StatementWrite.write(p, place: .take, on: tx.sql) }
        } catch let e where LedgerService.isUniqueViolation(e) {
            throw Refusal.duplicate
        }
    }
}

/// SQLite: the statements on the direct writer, each application in its savepoint of the next group commit.
struct SQLiteDirectWriter: EnrollmentWriter {
    let direct: SQLiteDirect
    var path: EnrollmentWritePath { .direct }

    func write(_ p: PreparedApplication) async throws {
        do {
            try await direct.write { sql in try await StatementWrite.write(p, place: .take, on: sql) }
        } catch let e where LedgerService.isUniqueViolation(e) {
            throw Refusal.duplicate
        }
    }
}

/// PostgreSQL: `navigator_apply` in one round trip; `navigator_apply_batch` for many.
struct PostgresFunctionWriter: EnrollmentWriter {
    let store: Store
    let batched: Bool
    var path: EnrollmentWritePath { batched ? .batch : .function }
    var batches: Bool { batched }

    private var pg: any PostgresDatabase {
        get throws {
            guard let pg = store.postgres else { throw WriteChanged() }
            return pg
        }
    }

    func write(_ p: PreparedApplication) async throws {
        do {
            _ = try await pg.hotRows(NavigatorApply.Call(p), logger: store.logger)
        } catch let e as PSQLError where e.serverInfo?[.sqlState] == "NV001" {
            throw WriteChanged()
        } catch let e where LedgerService.isUniqueViolation(e) {
            throw Refusal.duplicate
        }
    }

    func write(batch: [PreparedApplication]) async throws -> [BatchOutcome] {
        var out = [BatchOutcome](repeating: .changed, count: batch.count)
        for row in try await pg.hotRows(NavigatorApplyBatch.Call(batch), logger: store.logger) {
            let (item, outcome) = try row.decode((Int, String).self)
            guard (1...batch.count).contains(item) else { continue }
            switch NavigatorApplyBatch.Outcome(rawValue: outcome) {
            case .ok: out[item - 1] = .written
            case .duplicate: out[item - 1] = .duplicate
            case .changed, nil: out[item - 1] = .changed
            }
        }
        return out
    }
}
