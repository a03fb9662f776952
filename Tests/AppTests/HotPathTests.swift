@testable import App
import Domain
import Fluent
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

/// The group commit of applications on PostgreSQL (`ApplyBatcher`, M0013's `navigator_apply_batch`).
@Suite struct ApplyBatchTests {
    /// What one batch decided for each item: "ok", "again", "alone" or the refusal's code.
    static func codes(_ outcomes: [ApplicationService.Outcome]) -> [String] {
        outcomes.map {
            switch $0 {
            case .done: "ok"
            case .again: "again"
            case .alone: "alone"
            case .failed(let e): (e as? Refusal)?.code ?? "\(e)"
            }
        }
    }

    /// In one batch: the last places of a group go to the first items, a certificate's balance covers only the
    /// first of its items, a second live application of a child in a module is a duplicate, and what did not
    /// fit is read and decided again in the next batch — exactly as one by one; the ledger stays consistent.
    @Test func oneBatchDecidesPlacesBalancesAndDuplicatesLikeOneByOne() async throws {
        try await withNavigator(demoChildren: 0) { app in
            guard TestDatabase.isPostgres else {
                #expect(app.navigator.enrollment.applications.queue == nil)  // SQLite has its own group commit (the direct writer)
                return
            }
            #expect(app.navigator.enrollment.applications.queue != nil)
            let service = Enrollment(app: app)
            let a = try await EnrollmentFixture.make(app, capacity: 2)
            let b = try await EnrollmentFixture.make(app, capacity: 10)
            let free = try await EnrollmentFixture.make(app, capacity: 10, funding: .free)
            // Each balance is below one application's certificate part: it covers one application, not two.
            let kids = try await a.children(app, 4, balance: 150_000).map { $0.id! }
            func item(_ k: Int, _ g: UUID) -> ApplicationService.Request {
                .init(childID: kids[k], family: a.familyID, groupID: g, start: nil)
            }
            let first = await service.applyBatch([item(0, a.groupID), item(1, a.groupID), item(0, b.groupID), item(2, a.groupID),
                                                  item(3, free.groupID), item(3, free.groupID),
                                                  .init(childID: kids[2], family: UUID(), groupID: b.groupID, start: nil)])
            #expect(Self.codes(first) == ["ok", "ok", "again", "again", "ok", "duplicate", "alone"])
            #expect(try await GroupModel.find(a.groupID, on: app.db)?.taken == 2)
            #expect(try await GroupModel.find(free.groupID, on: app.db)?.taken == 1)
            #expect(try await GroupModel.find(b.groupID, on: app.db)?.taken == 0)
            guard case .done(let c0) = first[0] else { return }
            #expect(c0.certificateAmount == 150_000)
            #expect(try await app.ledger.balance(certificateID: c0.certificateID, periodID: c0.periodID, on: app.db).available == 0)
            // The next batch reads again: the group is full now, the child already applied, and the balance is spent —
            // so the parent pays the whole price of the other program.
            let second = await service.applyBatch([item(2, a.groupID), item(1, a.groupID), item(0, b.groupID)])
            #expect(Self.codes(second) == ["group_full", "duplicate", "ok"])
            if case .done(let c) = second[2] { #expect(c.certificateAmount == 0 && c.parentAmount == c.fullAmount && c.fullAmount > 0) }
            // The holds are numbered on in the ledger: every entry, every balance and every contract agree.
            try await expectClean(app)
        }
    }

    /// A batch whose write fails as a whole (here: its function is gone) writes its applications one by one:
    /// every parent still gets a contract, and nothing is written twice.
    @Test func aFailedBatchFallsBackToOneByOne() async throws {
        try await withNavigator(demoChildren: 0) { app in
            guard TestDatabase.isPostgres else {
                #expect(app.navigator.enrollment.applications.queue == nil)
                return
            }
            let f = try await EnrollmentFixture.make(app, capacity: 10)
            let kids = try await f.children(app, 6, balance: 150_000)
            try await app.db.sql.raw("ALTER FUNCTION navigator_apply_batch RENAME TO navigator_apply_batch_gone").run()
            let outcomes = try await applyAtOnce(Enrollment(app: app), kids.map { ($0, f.groupID) })
            #expect(outcomes == Array(repeating: "ok", count: 6), "\(outcomes)")
            #expect(try await GroupModel.find(f.groupID, on: app.db)?.taken == 6)
            #expect(try await ContractModel.query(on: app.db).filter(\.$groupID == f.groupID).count() == 6)
            try await expectClean(app)
        }
    }

    /// Many concurrent applications through the batcher for the last places of a group and the last roubles of
    /// each certificate: nothing overbooked, nothing over-held, each answer a contract or a refusal.
    @Test func concurrentApplicationsThroughTheBatcher() async throws {
        try await withNavigator(demoChildren: 0, adjust: { $0.applyBatchSize = 8 }) { app in
            let a = try await EnrollmentFixture.make(app, capacity: 6)
            let b = try await EnrollmentFixture.make(app, capacity: 30)
            let kids = try await a.children(app, 20, balance: 150_000)
            let service = Enrollment(app: app)
            let outcomes = try await applyAtOnce(service, kids.enumerated().flatMap { i, kid in
                (i % 2 == 0 ? [a.groupID, b.groupID] : [b.groupID, a.groupID]).map { (kid, $0) }
            })
            #expect(outcomes.count == 40)
            #expect(try await GroupModel.find(a.groupID, on: app.db)?.taken == 6)
            #expect(outcomes.filter { $0 == "ok" }.count >= 20, "\(outcomes)")
            let contracts = try await ContractModel.query(on: app.db).filter(\.$groupID ~~ [a.groupID, b.groupID]).all()
            #expect(contracts.count == outcomes.filter { $0 == "ok" }.count)
            // No certificate holds more than its balance, whichever group got it first.
            let perChild = Dictionary(grouping: contracts, by: \.childID).mapValues { $0.reduce(0) { $0 + $1.certificateAmount } }
            #expect(perChild.values.allSatisfy { $0 <= 150_000 })
            try await expectClean(app)
        }
    }
}
