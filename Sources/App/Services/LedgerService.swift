import Domain
import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import SQLKit
import Vapor

/// The ledger's persistence (domain.md §5). Every operation runs in one transaction that first locks
/// the certificate's row of `ledger_balances` (an UPDATE: a row lock on PostgreSQL, the write lock on
/// SQLite, so a deferred transaction never has to upgrade), checks the rule in `Domain.LedgerRules`,
/// appends the entry and updates the cached amounts. An operation carries a key, unique in the ledger:
/// the same key again changes nothing and returns the amounts as they are.
struct LedgerService: Sendable {
    let clock: AppClock
    /// SQLite: one write transaction at a time (an operation posted on its own waits here, not in SQLite's busy loop).
    let gate: WriteGate

    struct Operation: Sendable, Hashable {
        let certificateID: UUID
        let periodID: UUID
        let contractID: UUID?
        let kind: LedgerKind
        let amount: Int64
        /// Idempotency key: one entry per key, ever.
        let key: String
        let note: String?

        init(certificateID: UUID, periodID: UUID, contractID: UUID? = nil, kind: LedgerKind, amount: Int64,
             key: String, note: String? = nil) {
            self.certificateID = certificateID
            self.periodID = periodID
            self.contractID = contractID
            self.kind = kind
            self.amount = amount
            self.key = key
            self.note = note
        }
    }

    enum Outcome: Sendable, Equatable {
        case applied(LedgerBalance)
        /// The key was used before: nothing changed.
        case duplicate(LedgerBalance)

        var balance: LedgerBalance {
            switch self {
            case .applied(let b), .duplicate(let b): b
            }
        }
    }

    struct Refused: Error, Sendable, Equatable {
        let refusal: LedgerRefusal
    }

    /// Posts one operation in its own transaction.
    @discardableResult
    func post(_ op: Operation, on db: any Database) async throws -> Outcome {
        do {
            return try await gate.run { try await db.transaction { tx in try await post(op, inTransaction: tx) } }
        } catch let error where Self.isUniqueViolation(error) {
            // Two requests with one key raced past the check: the first one won.
            return .duplicate(try await balance(certificateID: op.certificateID, periodID: op.periodID, on: db))
        }
    }

    /// Posts one operation inside a transaction the caller holds (e.g. the one that takes a place in a group).
    func post(_ op: Operation, inTransaction tx: any Database) async throws -> Outcome {
        let sql = tx.sql
        try await lockBalanceRow(op.certificateID, op.periodID, sql)
        let row = try await sql.update("ledger_balances")
            .set(SQLIdentifier("seq"), to: SQLBinaryExpression(SQLIdentifier("seq"), .add, SQLLiteral.numeric("1")))
            .where("certificate_id", .equal, op.certificateID).where("period_id", .equal, op.periodID)
            .returning("granted", "reserved", "spent", "expired", "seq")
            .first()
        guard let row else { throw Abort(.internalServerError, reason: "ledger balance row missing") }
        let balance = try LedgerBalance(row: row)
        let seq = try row.decode(column: "seq", as: Int64.self)

        if try await sql.select().column("id").from("ledger_entries").where("operation_key", .equal, op.key).first() != nil {
            return .duplicate(balance)
        }

        var contract: ContractHold? = nil
        if let contractID = op.contractID {
            if let c = try await sql.select().columns("certificate_id", "period_id", "held", "released", "charged", "corrected")
                .from("ledger_contracts").where("contract_id", .equal, contractID).first() {
                guard try c.decode(column: "certificate_id", as: UUID.self) == op.certificateID,
                      try c.decode(column: "period_id", as: UUID.self) == op.periodID else {
                    throw Refused(refusal: .contractNotAllowed)
                }
                contract = ContractHold(held: try c.decode(column: "held", as: Int64.self),
                                        released: try c.decode(column: "released", as: Int64.self),
                                        charged: try c.decode(column: "charged", as: Int64.self),
                                        corrected: try c.decode(column: "corrected", as: Int64.self))
            } else {
                contract = ContractHold()
            }
        }
        let (newBalance, newContract): (LedgerBalance, ContractHold?)
        switch LedgerRules.apply(op.kind, amount: op.amount, to: balance, contract: contract) {
        case .success(let r): (newBalance, newContract) = r
        case .failure(let refusal): throw Refused(refusal: refusal)
        }

        try await sql.insert(into: "ledger_entries")
            .columns("id", "certificate_id", "period_id", "contract_id", "kind", "amount", "operation_key", "note", "created_at", "seq")
            .values(SQLBind(UUID()), SQLBind(op.certificateID), SQLBind(op.periodID), SQLBind(op.contractID),
                    SQLBind(op.kind.rawValue), SQLBind(op.amount), SQLBind(op.key), SQLBind(op.note),
                    SQLBind(clock.now()), SQLBind(seq))
            .run()
        try await sql.update("ledger_balances")
            .set("granted", to: newBalance.granted).set("reserved", to: newBalance.reserved)
            .set("spent", to: newBalance.spent).set("expired", to: newBalance.expired)
            .where("certificate_id", .equal, op.certificateID).where("period_id", .equal, op.periodID)
            .run()
        if let contractID = op.contractID, let c = newContract {
            if contract == ContractHold() {
                try await sql.insert(into: "ledger_contracts")
                    .columns("contract_id", "certificate_id", "period_id", "held", "released", "charged", "corrected")
                    .values(SQLBind(contractID), SQLBind(op.certificateID), SQLBind(op.periodID), SQLBind(c.held),
                            SQLBind(c.released), SQLBind(c.charged), SQLBind(c.corrected))
                    .run()
            } else {
                try await sql.update("ledger_contracts")
                    .set("held", to: c.held).set("released", to: c.released)
                    .set("charged", to: c.charged).set("corrected", to: c.corrected)
                    .where("contract_id", .equal, contractID).run()
            }
        }
        return .applied(newBalance)
    }

    private func lockBalanceRow(_ certificateID: UUID, _ periodID: UUID, _ sql: any SQLDatabase) async throws {
        try await sql.insert(into: "ledger_balances")
            .columns("id", "certificate_id", "period_id", "granted", "reserved", "spent", "expired", "seq")
            .values(SQLBind(UUID()), SQLBind(certificateID), SQLBind(periodID), SQLBind(0), SQLBind(0), SQLBind(0),
                    SQLBind(0), SQLBind(0))
            .ignoringConflicts(with: ["certificate_id", "period_id"])
            .run()
    }

    /// The amounts of a certificate in a period (zero when nothing was ever posted).
    func balance(certificateID: UUID, periodID: UUID, on db: any Database) async throws -> LedgerBalance {
        guard let row = try await db.sql.select().columns("granted", "reserved", "spent", "expired").from("ledger_balances")
            .where("certificate_id", .equal, certificateID).where("period_id", .equal, periodID).first() else {
            return LedgerBalance()
        }
        return try LedgerBalance(row: row)
    }

    /// What is still held for a contract.
    func contractHold(_ contractID: UUID, on db: any Database) async throws -> ContractHold? {
        guard let c = try await db.sql.select().columns("held", "released", "charged", "corrected").from("ledger_contracts")
            .where("contract_id", .equal, contractID).first() else { return nil }
        return ContractHold(held: try c.decode(column: "held", as: Int64.self), released: try c.decode(column: "released", as: Int64.self),
                            charged: try c.decode(column: "charged", as: Int64.self), corrected: try c.decode(column: "corrected", as: Int64.self))
    }

    struct StatementLine: Sendable, Hashable {
        let kind: LedgerKind
        let amount: Int64
        let contractID: UUID?
        let note: String?
        let at: Date
    }

    /// Every entry of a certificate in a period, in order.
    func statement(certificateID: UUID, periodID: UUID, on db: any Database) async throws -> [StatementLine] {
        try await db.sql.select().columns("kind", "amount", "contract_id", "note", "created_at").from("ledger_entries")
            .where("certificate_id", .equal, certificateID).where("period_id", .equal, periodID)
            .orderBy("seq").all().compactMap { r in
                guard let kind = LedgerKind(rawValue: try r.decode(column: "kind", as: String.self)) else { return nil }
                return StatementLine(kind: kind, amount: try r.decode(column: "amount", as: Int64.self),
                                     contractID: try r.decode(column: "contract_id", as: UUID?.self),
                                     note: try r.decode(column: "note", as: String?.self),
                                     at: try r.decode(column: "created_at", as: Date.self))
            }
    }

    struct Verification: Sendable {
        let entries: Int
        let balances: Int
        let contracts: Int
        let problems: [String]
    }

    /// Recomputes every balance and contract from the entries and checks every invariant of §5.
    func verify(on db: any Database) async throws -> Verification {
        let sql = db.sql
        var entries: [LedgerRules.Entry] = []
        for r in try await sql.select().columns("certificate_id", "period_id", "contract_id", "kind", "amount")
            .from("ledger_entries").orderBy("certificate_id").orderBy("period_id").orderBy("seq").all() {
            let account = try r.decode(column: "certificate_id", as: UUID.self).lowercasedString + "/" + r.decode(column: "period_id", as: UUID.self).lowercasedString
            let kindRaw = try r.decode(column: "kind", as: String.self)
            guard let kind = LedgerKind(rawValue: kindRaw) else { continue }
            entries.append(.init(account: account, contract: try r.decode(column: "contract_id", as: UUID?.self)?.lowercasedString,
                                 kind: kind, amount: try r.decode(column: "amount", as: Int64.self)))
        }
        var balances: [String: LedgerBalance] = [:]
        for r in try await sql.select().columns("certificate_id", "period_id", "granted", "reserved", "spent", "expired")
            .from("ledger_balances").all() {
            let account = try r.decode(column: "certificate_id", as: UUID.self).lowercasedString + "/" + r.decode(column: "period_id", as: UUID.self).lowercasedString
            balances[account] = try LedgerBalance(row: r)
        }
        var contracts: [String: ContractHold] = [:]
        for r in try await sql.select().columns("contract_id", "held", "released", "charged", "corrected").from("ledger_contracts").all() {
            contracts[try r.decode(column: "contract_id", as: UUID.self).lowercasedString] =
                ContractHold(held: try r.decode(column: "held", as: Int64.self), released: try r.decode(column: "released", as: Int64.self),
                             charged: try r.decode(column: "charged", as: Int64.self), corrected: try r.decode(column: "corrected", as: Int64.self))
        }
        let problems = LedgerRules.verify(entries: entries, cachedBalances: balances, cachedContracts: contracts)
        return Verification(entries: entries.count, balances: balances.count, contracts: contracts.count, problems: problems)
    }

    static func isUniqueViolation(_ error: any Error) -> Bool {
        if let e = error as? PSQLError { return e.serverInfo?[.sqlState] == "23505" }
        if let e = error as? SQLiteError { return e.reason == .constraint || e.reason == .constraintUniqueFailed }
        if let e = error as? DirectSQLiteError { return e.isUniqueViolation }
        return false
    }
}

extension LedgerBalance {
    /// From a row with the columns granted, reserved, spent, expired.
    init(row r: any SQLRow) throws {
        self.init(granted: try r.decode(column: "granted", as: Int64.self), reserved: try r.decode(column: "reserved", as: Int64.self),
                  spent: try r.decode(column: "spent", as: Int64.self), expired: try r.decode(column: "expired", as: Int64.self))
    }
}

extension Application {
    var ledger: LedgerService { navigator.ledger }
}
