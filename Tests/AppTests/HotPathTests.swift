@testable import App
import Foundation
import SQLKit
import Testing
import Vapor

/// The fast lanes of the enrollment hot path: SQLite's direct connections with group commit, and the
/// statement texts shared by both databases.
@Suite struct HotPathTests {
    struct Boom: Error {}

    /// Concurrent writes of one group commit: each failing write is rolled back alone (its savepoint), every
    /// other one is committed, and each caller gets its own outcome.
    @Test func groupCommitRollsBackOnlyTheWriteThatFailed() async throws {
        try await withNavigator(demoChildren: 0, demoCertificates: false) { app in
            guard let direct = app.sqliteDirect else {
                #expect(TestDatabase.isPostgres)  // PostgreSQL has no direct lane
                return
            }
            let tag = UUID().uuidString
            let outcomes = try await withThrowingTaskGroup(of: (Int, Bool).self) { group in
                for i in 0..<48 {
                    group.addTask {
                        do {
                            try await direct.write { sql in
                                _ = try await sql.rows("""
                                    INSERT INTO idempotency_keys (user_id, key, method, path, request_hash, created_at)
                                    VALUES ($1, $2, 'POST', '/test', $3, $4)
                                    """, [UUID(), "\(tag)-\(i)", tag, Date()])
                                if i % 3 == 0 { throw Boom() }
                            }
                            return (i, true)
                        } catch is Boom {
                            return (i, false)
                        }
                    }
                }
                var all: [Int: Bool] = [:]
                for try await (i, ok) in group { all[i] = ok }
                return all
            }
            #expect(outcomes.count == 48)
            #expect(outcomes.allSatisfy { $0.value == ($0.key % 3 != 0) })
            let stored = try await app.db.sql.select().column("key").from("idempotency_keys")
                .where("request_hash", .equal, tag).all().map { try $0.decode(column: "key", as: String.self) }
            #expect(Set(stored) == Set((0..<48).filter { $0 % 3 != 0 }.map { "\(tag)-\($0)" }))
            // A unique violation inside a batch is that write's error, like any other.
            await #expect(throws: (any Error).self) {
                try await direct.write { sql in
                    _ = try await sql.rows("""
                        INSERT INTO idempotency_keys (user_id, key, method, path, request_hash, created_at)
                        SELECT user_id, key, method, path, request_hash, created_at FROM idempotency_keys WHERE request_hash = $1
                        """, [tag])
                }
            }
        }
    }

    /// `$n` parameters read the same on both databases, including one used twice.
    @Test func positionalParametersWorkOnBothDatabases() async throws {
        try await withNavigator(demoChildren: 0, demoCertificates: false) { app in
            let row = try #require(try await app.fastSQL.rows("SELECT $1 + $2 AS s, $1 * 2 AS d", [Int64(20), Int64(22)]).first)
            #expect(try row.decode(column: "s", as: Int64.self) == 42)
            #expect(try row.decode(column: "d", as: Int64.self) == 40)
        }
    }
}
