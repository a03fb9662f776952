import Domain
import Foundation
import SQLKit

/// A municipality's month in figures (issue 14 item 9): what its certificates were granted and hold in the current
/// period, what the month charged, what came back by completeness and by disputes, and what was paid to providers.
struct MonthTotals: Sendable, Hashable {
    var granted: Int64 = 0
    var reserved: Int64 = 0
    var charged: Int64 = 0
    var returnedByCompleteness: Int64 = 0
    var returnedByDisputes: Int64 = 0
    var paid: Int64 = 0

    static func read(municipalityID: UUID, month: Month, on sql: any SQLDatabase) async throws -> MonthTotals {
        var t = MonthTotals()
        if let row = try await sql.raw("""
            SELECT CAST(coalesce(sum(b.granted), 0) AS BIGINT) AS granted, CAST(coalesce(sum(b.reserved), 0) AS BIGINT) AS reserved
            FROM ledger_balances b JOIN periods p ON p.id = b.period_id
            WHERE p.municipality_id = \(bind: municipalityID) AND p.status = \(bind: PeriodStatus.current.rawValue)
            """).first() {
            t.granted = try row.decode(column: "granted", as: Int64.self)
            t.reserved = try row.decode(column: "reserved", as: Int64.self)
        }
        if let row = try await sql.raw("""
            SELECT CAST(coalesce(sum(certificate_part), 0) AS BIGINT) AS charged, CAST(coalesce(sum(corrected), 0) AS BIGINT) AS corrected
            FROM contract_months WHERE municipality_id = \(bind: municipalityID) AND month = \(bind: month.key)
            """).first() {
            t.charged = try row.decode(column: "charged", as: Int64.self)
            let corrected = try row.decode(column: "corrected", as: Int64.self)
            let disputes = try await sql.raw("""
                SELECT CAST(coalesce(sum(e.amount), 0) AS BIGINT) AS total FROM ledger_entries e JOIN contracts c ON c.id = e.contract_id
                WHERE c.municipality_id = \(bind: municipalityID) AND e.kind = 'correction' AND e.operation_key LIKE \(bind: "correction:%:\(month.key):dispute")
                """).first()?.decode(column: "total", as: Int64.self) ?? 0
            t.returnedByDisputes = disputes
            t.returnedByCompleteness = corrected - disputes
        }
        t.paid = try await sql.raw("""
            SELECT CAST(coalesce(sum(CASE WHEN due_amount > 0 THEN due_amount ELSE 0 END), 0) AS BIGINT) AS paid FROM invoices
            WHERE municipality_id = \(bind: municipalityID) AND month = \(bind: month.key) AND status = \(bind: InvoiceStatus.paid.rawValue)
            """).first()?.decode(column: "paid", as: Int64.self) ?? 0
        return t
    }
}
