@testable import App
import Domain
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor

/// Makes a current period and confirmed certificates for the first `count` demo children.
func makeLedgerFixture(_ app: Application, certificates count: Int) async throws -> (period: UUID, certificates: [UUID]) {
    let children = try await ChildModel.query(on: app.db).sort(\.$snils).limit(count).all()
    let period = PeriodModel()
    period.municipalityID = children[0].municipalityID
    period.startsOn = "2026-01-01"
    period.endsOn = "2026-12-31"
    period.status = .current
    period.contractingOpen = true
    try await period.create(on: app.db)
    var ids: [UUID] = []
    for (i, c) in children.enumerated() {
        let cert = CertificateModel()
        cert.childID = c.id!
        cert.familyID = c.familyID
        cert.regionCode = c.regionCode
        cert.municipalityID = c.municipalityID
        cert.number = String(format: "4233%06d", i + 1)
        cert.kind = .financing
        cert.status = .active
        cert.frozen = false
        cert.closesOn = "2040-01-01"
        try await cert.create(on: app.db)
        ids.append(cert.id!)
    }
    return (period.id!, ids)
}

@Suite struct LedgerTests {
    @Test func operationsMoveMoneyAndRefusalsChangeNothing() async throws {
        try await withNavigator(demoChildren: 4, demoCertificates: false) { app in
            let (period, certs) = try await makeLedgerFixture(app, certificates: 1)
            let ledger = app.ledger
            let cert = certs[0], contract = UUID()
            try await ledger.post(.init(certificateID: cert, periodID: period, kind: .grant, amount: 1_200_000, key: "g"), on: app.db)
            try await ledger.post(.init(certificateID: cert, periodID: period, contractID: contract, kind: .hold, amount: 1_000_000, key: "h"), on: app.db)
            await #expect(throws: LedgerService.Refused.self) {
                try await ledger.post(.init(certificateID: cert, periodID: period, contractID: UUID(), kind: .hold, amount: 200_001, key: "h2"), on: app.db)
            }
            try await ledger.post(.init(certificateID: cert, periodID: period, contractID: contract, kind: .charge, amount: 131_872, key: "c1"), on: app.db)
            try await ledger.post(.init(certificateID: cert, periodID: period, contractID: contract, kind: .correction, amount: 10_000, key: "k1"), on: app.db)
            try await ledger.post(.init(certificateID: cert, periodID: period, contractID: contract, kind: .release, amount: 868_128, key: "r"), on: app.db)
            let b = try await ledger.balance(certificateID: cert, periodID: period, on: app.db)
            #expect(b == LedgerBalance(granted: 1_200_000, reserved: 0, spent: 121_872, expired: 0))
            #expect(b.available == 1_078_128)
            try await ledger.post(.init(certificateID: cert, periodID: period, kind: .expiry, amount: b.available, key: "e"), on: app.db)
            let lines = try await ledger.statement(certificateID: cert, periodID: period, on: app.db)
            #expect(lines.map(\.kind) == [.grant, .hold, .charge, .correction, .release, .expiry])
            let v = try await ledger.verify(on: app.db)
            #expect(v.problems.isEmpty, "\(v.problems)")
            #expect(v.entries == 6)
        }
    }

    @Test func aRepeatedKeyChangesNothing() async throws {
        try await withNavigator(demoChildren: 4, demoCertificates: false) { app in
            let (period, certs) = try await makeLedgerFixture(app, certificates: 1)
            let op = LedgerService.Operation(certificateID: certs[0], periodID: period, kind: .grant, amount: 500, key: "grant-2026")
            let first = try await app.ledger.post(op, on: app.db)
            let second = try await app.ledger.post(op, on: app.db)
            #expect(first == .applied(LedgerBalance(granted: 500)))
            #expect(second == .duplicate(LedgerBalance(granted: 500)))
            let n = try await app.db.sql.select().column(SQLFunction("count", args: SQLLiteral.all), as: "n").from("ledger_entries").first()?.decode(column: "n", as: Int.self)
            #expect(n == 1)
        }
    }

    @Test func theDatabaseRefusesANegativeBalanceEvenWithoutTheService() async throws {
        try await withNavigator(demoChildren: 4, demoCertificates: false) { app in
            let (period, certs) = try await makeLedgerFixture(app, certificates: 1)
            try await app.ledger.post(.init(certificateID: certs[0], periodID: period, kind: .grant, amount: 100, key: "g"), on: app.db)
            await #expect(throws: (any Error).self) {
                try await app.db.sql.update("ledger_balances").set("reserved", to: 101).run()
            }
            await #expect(throws: (any Error).self) {
                try await app.db.sql.raw("UPDATE ledger_balances SET granted = -1").run()
            }
        }
    }

    /// Property, on the real database: random operations through the service agree with the pure model
    /// after every step, refused ones change nothing, and `verify` finds the stored amounts exact.
    @Test func randomSequencesAgreeWithTheModel() async throws {
        try await withNavigator(demoChildren: 6, demoCertificates: false) { app in
            let (period, certs) = try await makeLedgerFixture(app, certificates: 3)
            var rng = SeededRandom(seed: 77)
            var model: [UUID: LedgerBalance] = [:]
            var contracts: [UUID: (UUID, ContractHold)] = [:]
            for step in 0..<250 {
                let cert = rng.pick(certs)
                let kind = rng.pick(LedgerKind.allCases)
                var contract: UUID? = nil
                if kind.needsContract {
                    let mine = contracts.filter { $0.value.0 == cert }.map(\.key).sorted { $0.uuidString < $1.uuidString }
                    contract = mine.isEmpty || Int.random(in: 0..<4, using: &rng) == 0 ? UUID() : rng.pick(mine)
                }
                let amount = Int64.random(in: 1...300_000, using: &rng)
                let expected = LedgerRules.apply(kind, amount: amount, to: model[cert] ?? LedgerBalance(),
                                                 contract: contract.map { contracts[$0]?.1 ?? ContractHold() })
                do {
                    let out = try await app.ledger.post(.init(certificateID: cert, periodID: period, contractID: contract,
                                                              kind: kind, amount: amount, key: "op-\(step)"), on: app.db)
                    guard case .success(let (b, c)) = expected else { Issue.record("service accepted a refused operation"); continue }
                    #expect(out == .applied(b))
                    model[cert] = b
                    if let contract, let c { contracts[contract] = (cert, c) }
                } catch let refused as LedgerService.Refused {
                    guard case .failure(let r) = expected else { Issue.record("service refused an allowed operation"); continue }
                    #expect(refused.refusal == r)
                }
                let stored = try await app.ledger.balance(certificateID: cert, periodID: period, on: app.db)
                #expect(stored == (model[cert] ?? LedgerBalance()))
            }
            let v = try await app.ledger.verify(on: app.db)
            #expect(v.problems.isEmpty, "\(v.problems)")
        }
    }

    /// Many tasks grant, hold, charge and release on one certificate at once: the sums stay exact, nothing
    /// goes negative, and a hold never takes more than what is available.
    @Test func concurrentOperationsOnOneCertificateStayExact() async throws {
        try await withNavigator(demoChildren: 4, demoCertificates: false) { app in
            let (period, certs) = try await makeLedgerFixture(app, certificates: 1)
            let cert = certs[0]
            let ledger = app.ledger
            try await ledger.post(.init(certificateID: cert, periodID: period, kind: .grant, amount: 1_000_000, key: "g0"), on: app.db)
            let results = try await withThrowingTaskGroup(of: (Int64, Int64).self) { group in
                for t in 0..<48 {
                    group.addTask {
                        var granted: Int64 = 0, kept: Int64 = 0
                        let contract = UUID()
                        if t % 4 == 0 {
                            _ = try await ledger.post(.init(certificateID: cert, periodID: period, kind: .grant, amount: 10_000, key: "g\(t)-x"), on: app.db)
                            granted += 10_000
                        }
                        do {
                            _ = try await ledger.post(.init(certificateID: cert, periodID: period, contractID: contract, kind: .hold, amount: 60_000, key: "h\(t)"), on: app.db)
                            _ = try await ledger.post(.init(certificateID: cert, periodID: period, contractID: contract, kind: .charge, amount: 5_000, key: "c\(t)"), on: app.db)
                            if t % 2 == 0 {
                                _ = try await ledger.post(.init(certificateID: cert, periodID: period, contractID: contract, kind: .release, amount: 55_000, key: "r\(t)"), on: app.db)
                                kept = 5_000
                            } else {
                                kept = 60_000
                            }
                            // A retry of the same hold changes nothing.
                            _ = try await ledger.post(.init(certificateID: cert, periodID: period, contractID: contract, kind: .hold, amount: 60_000, key: "h\(t)"), on: app.db)
                        } catch is LedgerService.Refused {
                            kept = 0
                        }
                        return (granted, kept)
                    }
                }
                var all: [(Int64, Int64)] = []
                for try await r in group { all.append(r) }
                return all
            }
            let granted = 1_000_000 + results.reduce(0) { $0 + $1.0 }
            let committed = results.reduce(0) { $0 + $1.1 }
            let b = try await ledger.balance(certificateID: cert, periodID: period, on: app.db)
            #expect(b.granted == granted)
            #expect(b.reserved + b.spent == committed)
            #expect(b.available == granted - committed)
            #expect(b.isValid)
            let v = try await ledger.verify(on: app.db)
            #expect(v.problems.isEmpty, "\(v.problems)")
        }
    }
}
