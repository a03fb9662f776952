import Domain
import Foundation
import SQLKit

/// `Domain.WriteRules` as SQL conditions: the one rendering of each rule, which every write path uses (the Swift
/// statements, `navigator_apply`, `navigator_apply_batch`, the reading). `RuleSQLTests` holds each equal to its
/// Swift predicate over random rows on both databases. `p` is a table alias with its dot (`"g."`) or empty.
enum RuleSQL {
    /// `WriteRules.freePlaces`.
    static func freePlaces(_ g: String = "") -> String { "\(g)capacity - \(g)taken" }
    static func groupOpen(_ g: String = "") -> String { "\(g)status = \(GroupStatus.open.sqlLiteral)" }
    /// `WriteRules.placeFree`.
    static func placeFree(_ g: String = "") -> String { "\(groupOpen(g)) AND \(freePlaces(g)) > 0" }
    /// `WriteRules.certificateUsable`; `requireFinancing`: an SQL boolean expression.
    static func certificateUsable(_ c: String = "", requireFinancing: String) -> String {
        "\(c)status = \(CertificateStatus.active.sqlLiteral) AND NOT \(c)frozen AND (NOT \(requireFinancing) OR \(c)kind = \(CertificateKind.financing.sqlLiteral))"
    }
    /// `WriteRules.periodAllows`.
    static func periodAllows(_ p: String = "") -> String { "\(p)status = \(PeriodStatus.current.sqlLiteral) AND \(p)contracting_open" }
    /// `WriteRules.available`: granted − reserved − spent − expired.
    static func available(_ b: String = "") -> String { "\(b)granted - \(b)reserved - \(b)spent - \(b)expired" }
    /// `WriteRules.live`: the statuses that keep a place and a hold.
    static func live(_ column: String) -> String { "\(column) IN \(WriteRules.live.sqlList)" }
}

/// An application ready to be written: the contract row, its hold's ledger entry and its notifications.
struct PreparedApplication: Sendable {
    var contract: ContractRow
    /// The program is paid from the certificate: only a ПФ certificate may carry it.
    var requireFinancing: Bool
    var holdEntryID: UUID
    var holdNote: String
    var notices: [NotificationRow]
    /// The balance row's sequence number after the hold (set by the write, for the entry's `seq`).
    var seq: Int64 = 0

    var holdKey: String { LedgerKeys.hold(contract.id) }
}

/// A condition of the write no longer holds: something changed since the reading (nothing of the write stays).
struct WriteChanged: Error {}

/// The statements of the enrollment write, each written once. The Swift write paths run them one by one (in a
/// transaction, or a savepoint of the waiting list's), and `navigator_apply` is generated from them.
///
///   1. the place: the group has a free place and is open, the certificate is usable, the period takes contracts;
///   2. the hold (when the certificate pays anything): the balance covers it — then its entry and the contract's
///      amounts in the ledger;
///   3. the contract row (one live application per child and module: a unique index);
///   4. the notifications.
enum ApplyStatements {
    static let takePlace = SQLTemplate("""
        UPDATE program_groups SET taken = taken + 1, updated_at = :c_created_at
        WHERE id = :c_group_id AND \(RuleSQL.placeFree())
          AND EXISTS (SELECT 1 FROM certificates ce WHERE ce.id = :c_certificate_id AND \(RuleSQL.certificateUsable("ce.", requireFinancing: ":require_financing")))
          AND EXISTS (SELECT 1 FROM periods pe WHERE pe.id = :c_period_id AND \(RuleSQL.periodAllows("pe.")))
        """, returning: "taken")

    static let reserve = SQLTemplate("""
        UPDATE ledger_balances SET reserved = reserved + :c_certificate_amount, seq = seq + 1
        WHERE certificate_id = :c_certificate_id AND period_id = :c_period_id AND \(RuleSQL.available()) >= :c_certificate_amount
        """, returning: "seq")

    /// The hold's entry: the contract's certificate part, on the balance's next sequence number.
    static let entry = SQLTemplate("INSERT INTO ledger_entries (\(LedgerEntryColumns.names.joined(separator: ", "))) VALUES ("
        + [":e_id", ":c_certificate_id", ":c_period_id", ":c_id", LedgerKind.hold.sqlLiteral, ":c_certificate_amount", ":e_operation_key",
           ":e_note", ":c_created_at", ":seq"].joined(separator: ", ") + ")")

    static let contractHold = SQLTemplate("""
        INSERT INTO ledger_contracts (contract_id, certificate_id, period_id, held, released, charged, corrected)
        VALUES (:c_id, :c_certificate_id, :c_period_id, :c_certificate_amount, 0, 0, 0)
        """)

    static let contract = SQLTemplate.insert(into: "contracts", ContractRow.columns, prefix: "c_")

    /// The notifications of `rows` rows, with `$n` parameters (the column list of `NotificationRow`).
    static func notifications(rows: Int) -> String {
        let width = NotificationRow.columns.count
        let values = (0..<rows).map { r in "(" + (1...width).map { "$\(r * width + $0)" }.joined(separator: ", ") + ")" }
        return "INSERT INTO notifications (" + NotificationRow.columns.map(\.name).joined(separator: ", ") + ") VALUES "
            + values.joined(separator: ", ")
    }

    /// The named parameters of the statements: their SQL type and their value for a prepared application.
    static func parameter(_ name: String) -> (type: SQLType, value: @Sendable (PreparedApplication) -> SQLValue) {
        if name.hasPrefix("c_"), let column = ContractRow.columnsByName[String(name.dropFirst(2))] {
            return (column.type, { column.value($0.contract) })
        }
        switch name {
        case "require_financing": return (.boolean, { .bool($0.requireFinancing) })
        case "e_id": return (.uuid, { .uuid($0.holdEntryID) })
        case "e_operation_key": return (.text, { .text($0.holdKey) })
        case "e_note": return (.text, { .text($0.holdNote) })
        case "seq": return (.bigint, { .int($0.seq) })
        default: preconditionFailure("the enrollment write has no parameter \(name)")
        }
    }
}

/// A statement with the values of its parameters resolved once (not per application).
struct BoundStatement: Sendable {
    let template: SQLTemplate
    let binders: [@Sendable (PreparedApplication) -> SQLValue]

    init(_ template: SQLTemplate) {
        self.template = template
        binders = template.names.map { ApplyStatements.parameter($0).value }
    }

    var sql: String { template.positional }

    func binds(_ p: PreparedApplication) -> [any Encodable & Sendable] { binders.map { $0(p).encodable } }
}

/// The enrollment write as separate statements on any SQL database, inside a transaction (or savepoint) the
/// caller holds: SQLite's direct writer, the pool's writer, the waiting list and the prolongation.
enum StatementWrite {
    static let takePlace = BoundStatement(ApplyStatements.takePlace)
    static let reserve = BoundStatement(ApplyStatements.reserve)
    static let entry = BoundStatement(ApplyStatements.entry)
    static let contractHold = BoundStatement(ApplyStatements.contractHold)
    static let contract = BoundStatement(ApplyStatements.contract)

    /// How the contract gets its place.
    enum Place: Sendable {
        /// Takes a free place (an application, an offer from the waiting list).
        case take
        /// Already holds one: the place of the contract it continues (a prolongation).
        case inherited
    }

    /// Writes `p`; `WriteChanged` when the place or the balance is no longer there (the caller rolls back).
    static func write(_ p: PreparedApplication, place: Place, on sql: any SQLDatabase) async throws {
        var p = p
        if place == .take {
            guard try await !sql.rows(takePlace.sql, takePlace.binds(p)).isEmpty else { throw WriteChanged() }
        }
        if p.contract.certificateAmount > 0 {
            guard let row = try await sql.rows(reserve.sql, reserve.binds(p)).first else { throw WriteChanged() }
            p.seq = try hotRow(row).int64(required: "seq")
            _ = try await sql.rows(entry.sql, entry.binds(p))
            _ = try await sql.rows(contractHold.sql, contractHold.binds(p))
        }
        _ = try await sql.rows(contract.sql, contract.binds(p))
        try await insert(p.notices, on: sql)
    }

    /// Notifications in one statement.
    static func insert(_ notices: [NotificationRow], on sql: any SQLDatabase) async throws {
        guard !notices.isEmpty else { return }
        var binds: [any Encodable & Sendable] = []
        binds.reserveCapacity(notices.count * NotificationRow.columns.count)
        for n in notices { for c in NotificationRow.columns { binds.append(c.value(n).encodable) } }
        _ = try await sql.rows(ApplyStatements.notifications(rows: notices.count), binds)
    }
}
