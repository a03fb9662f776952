import Domain
import Fluent
import FluentPostgresDriver
import Foundation
import NIOConcurrencyHelpers
import SQLKit
import Vapor

/// The databases of this instance, handed to every service when it is built at start-up: the pool, the direct
/// SQLite connections when there are some, and the write gate.
struct Store: Sendable {
    let kind: AppConfig.DatabaseKind
    let databases: Databases
    let eventLoopGroup: any EventLoopGroup
    let logger: Logger
    /// SQLite runs one write transaction at a time: the pool's writers pass this gate.
    let gate: WriteGate
    /// A file SQLite database: direct connections for the hot path.
    let direct: SQLiteDirect?
    /// For blocking work (password hashing).
    let threadPool: NIOThreadPool

    /// The pool (a database handle on one of the event loops).
    var db: any Database {
        guard let db = databases.database(logger: logger, on: eventLoopGroup.any()) else {
            preconditionFailure("the database is not configured or was shut down")
        }
        return db
    }

    var sql: any SQLDatabase { db.sql }
    /// Where the hot path reads: a direct reader on SQLite, the pool on PostgreSQL.
    var fast: any SQLDatabase { direct?.reader ?? sql }
    var postgres: (any PostgresDatabase)? { db as? any PostgresDatabase }

    /// A transaction on the pool, behind the write gate on SQLite (one writer at a time, in the order of arrival).
    func write<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        try await gate.run { try await db.transaction { try await body($0) } }
    }
}

/// Identifiers of new rows, injected so that tests can make them predictable.
struct IDGenerator: Sendable {
    let next: @Sendable () -> UUID

    static let random = IDGenerator { UUID() }

    /// The same sequence for the same seed.
    static func seeded(_ seed: UInt64) -> IDGenerator {
        let state = NIOLockedValueBox(SeededRandom(seed: seed))
        return IDGenerator {
            state.withLockedValue { r in
                let a = r.next(), b = r.next()
                var bytes = [UInt8](repeating: 0, count: 16)
                for i in 0..<8 { bytes[i] = UInt8(truncatingIfNeeded: a >> (8 * i)); bytes[8 + i] = UInt8(truncatingIfNeeded: b >> (8 * i)) }
                bytes[6] = (bytes[6] & 0x0F) | 0x40
                bytes[8] = (bytes[8] & 0x3F) | 0x80
                return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                                   bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
            }
        }
    }
}
