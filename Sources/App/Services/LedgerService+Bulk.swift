import Domain
import Fluent
import Foundation
import SQLKit
import Vapor

/// Many entries of contracts that already hold money (the monthly close: a charge and a correction per
/// contract-month), posted in a few statements instead of six per entry: the balance and contract rows are locked and
/// read at once, every entry is checked by the same `LedgerRules.apply` as a single posting, in order, and the entries,
/// balances and contract amounts are written in bulk. Nothing is written unless every entry passes.
extension LedgerService {
    struct BulkRefused: Error {
        let operation: Operation
        let refusal: LedgerRefusal
    }

    /// `ops` must concern contracts; their keys must be new (a used key fails the unique index and rolls the caller's
    /// transaction back).
    func postMany(_ ops: [Operation], inTransaction tx: any Database) async throws {
        guard !ops.isEmpty else { return }
        let sql = tx.sql
        let postgres = sql.dialect.name == "postgresql"
        struct Key: Hashable { let certificate: UUID; let period: UUID }
        let certificates = Array(Set(ops.map(\.certificateID))).map { ($0, $0.uppercasedString) }.sorted { $0.1 < $1.1 }.map(\.0)
        let contracts = Array(Set(ops.compactMap(\.contractID)))
        // The rows it touches, read (and on PostgreSQL locked, in certificate order) in one query each, as one JSON text.
        var certificateRows = JSONRows([.uuid])
        for c in certificates { certificateRows.append([.uuid(c)]) }
        var contractRows = JSONRows([.uuid])
        for c in contracts { contractRows.append([.uuid(c)]) }
        let balanceQuery: SQLQueryString = """
            SELECT certificate_id, period_id, granted, reserved, spent, expired, seq FROM ledger_balances
            WHERE certificate_id IN (SELECT c0 FROM (\(certificateRows.select(postgres: postgres))) AS x) ORDER BY certificate_id\(unsafeRaw: postgres ? " FOR UPDATE" : "")
            """
        let holdQuery: SQLQueryString = """
            SELECT contract_id, held, released, charged, corrected FROM ledger_contracts
            WHERE contract_id IN (SELECT c0 FROM (\(contractRows.select(postgres: postgres))) AS x)
            """
        var balances: [Key: (LedgerBalance, Int64)] = [:]
        for r in try await JSONRows.read(balanceQuery, columns: "certificate_id, period_id, granted, reserved, spent, expired, seq",
                                         as: BalanceRowJSON.self, on: sql) {
            balances[Key(certificate: r.certificate, period: r.period)] = (r.balance, r.seq)
        }
        var holds: [UUID: ContractHold] = [:]
        for r in try await JSONRows.read(holdQuery, columns: "contract_id, held, released, charged, corrected", as: HoldRowJSON.self, on: sql) {
            holds[r.contract] = r.hold
        }
        // Every entry through the one rule, in order.
        var entries = JSONRows([.uuid, .uuid, .uuid, .uuid, .text, .bigint, .text, .text, .bigint])
        var touchedBalances: [Key] = [], balanceSet = Set<Key>()
        var touchedContracts: [UUID] = [], contractSet = Set<UUID>()
        let now = clock.now()
        for op in ops {
            let key = Key(certificate: op.certificateID, period: op.periodID)
            guard let contractID = op.contractID, let (balance, seq) = balances[key] else {
                throw BulkRefused(operation: op, refusal: .contractRequired)
            }
            guard let hold = holds[contractID] else { throw BulkRefused(operation: op, refusal: .insufficientHold(held: 0, requested: op.amount)) }
            switch LedgerRules.apply(op.kind, amount: op.amount, to: balance, contract: hold) {
            case .failure(let r): throw BulkRefused(operation: op, refusal: r)
            case .success(let (b, c)):
                if balanceSet.insert(key).inserted { touchedBalances.append(key) }
                balances[key] = (b, seq + 1)
                if contractSet.insert(contractID).inserted { touchedContracts.append(contractID) }
                holds[contractID] = c
                entries.append([.uuid(UUID()), .uuid(op.certificateID), .uuid(op.periodID), .uuid(contractID), .text(op.kind.rawValue),
                                .int(op.amount), .text(op.key), op.note.map { .text($0) } ?? .null, .int(seq + 1)])
            }
        }
        try await sql.raw("""
            INSERT INTO ledger_entries (id, certificate_id, period_id, contract_id, kind, amount, operation_key, note, seq, created_at)
            SELECT c0, c1, c2, c3, c4, c5, c6, c7, c8, \(bind: now) FROM (\(entries.select(postgres: postgres))) AS x
            """).run()
        // The cached amounts: one UPDATE … FROM the rows.
        var balanceRows = JSONRows([.uuid, .uuid, .bigint, .bigint, .bigint, .bigint, .bigint])
        for k in touchedBalances {
            let (b, seq) = balances[k]!
            balanceRows.append([.uuid(k.certificate), .uuid(k.period), .int(b.granted), .int(b.reserved), .int(b.spent), .int(b.expired), .int(seq)])
        }
        try await sql.raw("""
            UPDATE ledger_balances SET granted = x.c2, reserved = x.c3, spent = x.c4, expired = x.c5, seq = x.c6
            FROM (\(balanceRows.select(postgres: postgres))) AS x
            WHERE ledger_balances.certificate_id = x.c0 AND ledger_balances.period_id = x.c1
            """).run()
        var holdRows = JSONRows([.uuid, .bigint, .bigint, .bigint, .bigint])
        for id in touchedContracts {
            let c = holds[id]!
            holdRows.append([.uuid(id), .int(c.held), .int(c.released), .int(c.charged), .int(c.corrected)])
        }
        try await sql.raw("""
            UPDATE ledger_contracts SET held = x.c1, released = x.c2, charged = x.c3, corrected = x.c4
            FROM (\(holdRows.select(postgres: postgres))) AS x WHERE ledger_contracts.contract_id = x.c0
            """).run()
    }
}

/// A balance row as `postMany` reads it (in its query's column order).
private struct BalanceRowJSON: Decodable {
    let certificate, period: UUID
    let balance: LedgerBalance
    let seq: Int64

    init(from decoder: any Decoder) throws {
        var c = try decoder.unkeyedContainer()
        certificate = try c.decodeID()
        period = try c.decodeID()
        balance = LedgerBalance(granted: try c.decode(Int64.self), reserved: try c.decode(Int64.self), spent: try c.decode(Int64.self),
                                expired: try c.decode(Int64.self))
        seq = try c.decode(Int64.self)
    }
}

/// A contract's amounts as `postMany` reads them.
private struct HoldRowJSON: Decodable {
    let contract: UUID
    let hold: ContractHold

    init(from decoder: any Decoder) throws {
        var c = try decoder.unkeyedContainer()
        contract = try c.decodeID()
        hold = ContractHold(held: try c.decode(Int64.self), released: try c.decode(Int64.self), charged: try c.decode(Int64.self),
                            corrected: try c.decode(Int64.self))
    }
}
