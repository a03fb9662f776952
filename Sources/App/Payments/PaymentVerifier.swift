import Domain
import Foundation
import SQLKit

/// Reads what `PaymentIdentities` checks: contract-months, the ledger's charges and corrections per contract, invoices
/// and their lines (deleted invoices are history and are not checked against the months).
struct PaymentVerifier: Sendable {
    struct Verification: Sendable {
        let contractMonths: Int
        let invoices: Int
        let problems: [String]
    }

    func verify(on sql: any SQLDatabase) async throws -> Verification {
        var regions: [UUID: String] = [:]
        for r in try await sql.select().columns("id", "region_code").from("municipalities").all() {
            regions[try r.decode(column: "id", as: UUID.self)] = try r.decode(column: "region_code", as: String.self)
        }
        var months: [PaymentIdentities.ContractMonth] = []
        for r in try await sql.select().columns("contract_id", "month", "municipality_id", "certificate_part", "completeness", "final", "corrected",
                                                 "closed_at", "final_invoice_id").from("contract_months").all() {
            let region = regions[try r.decode(column: "municipality_id", as: UUID.self)] ?? "42"
            guard let month = Month(key: try r.decode(column: "month", as: String.self)),
                  let c = Completeness(hundredths: try r.decode(column: "completeness", as: Int.self)) else { continue }
            months.append(.init(contract: try r.decode(column: "contract_id", as: UUID.self).lowercasedString, month: month,
                                part: try r.decode(column: "certificate_part", as: Int64.self), completeness: c,
                                final: try r.decode(column: "final", as: Int64.self), corrected: try r.decode(column: "corrected", as: Int64.self),
                                closedOn: ReferenceData.localDate(region: region, at: try r.decode(column: "closed_at", as: Date.self)),
                                finalInvoice: try r.decode(column: "final_invoice_id", as: UUID?.self)?.lowercasedString))
        }
        var charges: [String: Int64] = [:], corrections: [String: Int64] = [:]
        for r in try await sql.select().column("contract_id").column("kind").column(SQLRaw("CAST(sum(amount) AS BIGINT)"), as: "total")
            .from("ledger_entries").where("kind", .in, ["charge", "correction"]).groupBy("contract_id").groupBy("kind").all() {
            let id = try r.decode(column: "contract_id", as: UUID.self).lowercasedString
            let total = try r.decode(column: "total", as: Int64.self)
            if try r.decode(column: "kind", as: String.self) == "charge" { charges[id] = total } else { corrections[id] = total }
        }
        var invoices: [PaymentIdentities.Invoice] = []
        for r in try await sql.select().columns("id", "number", "kind", "finals", "advances", "carried", "due_amount").from("invoices")
            .where("status", .notEqual, InvoiceStatus.deleted.rawValue).all() {
            invoices.append(.init(id: try r.decode(column: "id", as: UUID.self).lowercasedString, number: try r.decode(column: "number", as: String.self),
                                  kind: InvoiceKind(rawValue: try r.decode(column: "kind", as: String.self)) ?? .final,
                                  finals: try r.decode(column: "finals", as: Int64.self), advances: try r.decode(column: "advances", as: Int64.self),
                                  carried: try r.decode(column: "carried", as: Int64.self), due: try r.decode(column: "due_amount", as: Int64.self)))
        }
        let live = Set(invoices.map(\.id))
        var lines: [PaymentIdentities.Line] = []
        for r in try await sql.select().columns("invoice_id", "contract_id", "month", "amount", "advance").from("invoice_lines").all() {
            let invoice = try r.decode(column: "invoice_id", as: UUID.self).lowercasedString
            guard live.contains(invoice), let month = Month(key: try r.decode(column: "month", as: String.self)) else { continue }
            lines.append(.init(invoice: invoice, contract: try r.decode(column: "contract_id", as: UUID.self).lowercasedString, month: month,
                               amount: try r.decode(column: "amount", as: Int64.self), advance: try r.decode(column: "advance", as: Int64.self)))
        }
        let problems = PaymentIdentities.verify(months: months, charges: charges, corrections: corrections, invoices: invoices, lines: lines)
        return Verification(contractMonths: months.count, invoices: invoices.count, problems: problems)
    }
}
