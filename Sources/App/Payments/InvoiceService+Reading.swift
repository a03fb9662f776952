import Domain
import Fluent
import Foundation
import SQLKit
import Vapor

/// Reading invoices, and the municipality's steps on them (take in work, pay, delete).
extension InvoiceService {
    private static let columns = ["id", "number", "municipality_id", "provider_id", "month", "kind", "status", "finals", "advances", "carried",
                                  "due_amount", "due_on", "created_at", "payment_order", "paid_on", "deleted_reason"]

    private func select(_ sql: any SQLDatabase) -> SQLSelectBuilder {
        var q = sql.select()
        for c in Self.columns { q = q.column(SQLColumn(c, table: "i")) }
        return q.column(SQLColumn("name", table: "m"), as: "municipality_name").column(SQLColumn("short_name", table: "p"), as: "provider_name")
            .from(SQLAlias(SQLIdentifier("invoices"), as: SQLIdentifier("i")))
            .join(SQLAlias(SQLIdentifier("municipalities"), as: SQLIdentifier("m")), on: SQLColumn("id", table: "m"), .equal, SQLColumn("municipality_id", table: "i"))
            .join(SQLAlias(SQLIdentifier("providers"), as: SQLIdentifier("p")), on: SQLColumn("id", table: "p"), .equal, SQLColumn("provider_id", table: "i"))
    }

    private func decode(_ r: any SQLRow) throws -> Invoice {
        Invoice(id: try r.decode(column: "id", as: UUID.self), number: try r.decode(column: "number", as: String.self),
                municipalityID: try r.decode(column: "municipality_id", as: UUID.self), municipality: try r.decode(column: "municipality_name", as: String.self),
                providerID: try r.decode(column: "provider_id", as: UUID.self), provider: try r.decode(column: "provider_name", as: String.self),
                month: Month(key: try r.decode(column: "month", as: String.self))!, kind: InvoiceKind(rawValue: try r.decode(column: "kind", as: String.self))!,
                status: InvoiceStatus(rawValue: try r.decode(column: "status", as: String.self))!,
                finals: try r.decode(column: "finals", as: Int64.self), advances: try r.decode(column: "advances", as: Int64.self),
                carried: try r.decode(column: "carried", as: Int64.self), due: try r.decode(column: "due_amount", as: Int64.self),
                dueOn: try r.decode(column: "due_on", as: String.self), createdAt: try r.decode(column: "created_at", as: Date.self),
                paymentOrder: try r.decode(column: "payment_order", as: String?.self), paidOn: try r.decode(column: "paid_on", as: String?.self),
                deletedReason: try r.decode(column: "deleted_reason", as: String?.self))
    }

    func invoice(_ id: UUID, on sql: any SQLDatabase) async throws -> Invoice? {
        try await select(sql).where(SQLColumn("id", table: "i"), .equal, SQLBind(id)).first().map(decode)
    }

    /// The invoices a principal may see: a provider its own, a municipality its own, the operator and a monitor their
    /// region (a monitor scoped to a municipality: that one).
    func list(for p: Principal, month: Month? = nil, status: InvoiceStatus? = nil, limit: Int = 200) async throws -> [Invoice] {
        var q = select(store.sql)
        switch p.role {
        case .provider:
            guard let id = p.providerID else { return [] }
            q = q.where(SQLColumn("provider_id", table: "i"), .equal, SQLBind(id))
        case .municipality, .monitor, .operator_:
            if let m = p.municipalityID {
                q = q.where(SQLColumn("municipality_id", table: "i"), .equal, SQLBind(m))
            } else if p.role == .municipality {
                return []
            } else {
                q = q.where(SQLColumn("region_code", table: "m"), .equal, SQLBind(p.regionCode))
            }
        case .parent:
            return []
        }
        if let month { q = q.where(SQLColumn("month", table: "i"), .equal, SQLBind(month.key)) }
        if let status { q = q.where(SQLColumn("status", table: "i"), .equal, SQLBind(status.rawValue)) }
        return try await q.orderBy(SQLOrderBy(expression: SQLColumn("month", table: "i"), direction: SQLDirection.descending))
            .orderBy(SQLColumn("kind", table: "i")).orderBy(SQLColumn("number", table: "i")).limit(limit).all().map(decode)
    }

    /// The invoice if the principal may see it; 404 otherwise (a foreign invoice is not told apart from a missing one).
    func visible(_ id: UUID, to p: Principal) async throws -> Invoice {
        guard let i = try await invoice(id, on: store.sql) else { throw Abort(.notFound) }
        let ok: Bool
        switch p.role {
        case .provider: ok = p.providerID == i.providerID
        case .municipality: ok = p.municipalityID == i.municipalityID
        case .monitor, .operator_:
            if let m = p.municipalityID { ok = m == i.municipalityID }
            else { ok = try await MunicipalityModel.find(i.municipalityID, on: store.db)?.regionCode == p.regionCode }
        case .parent: ok = false
        }
        guard ok else { throw Abort(.notFound) }
        return i
    }

    func lines(of id: UUID) async throws -> [Line] {
        try await store.sql.select().columns("contract_id", "month", "contract_number", "certificate_number", "child_initials", "group_name",
                                             "part", "completeness", "amount", "advance", "due")
            .from("invoice_lines").where("invoice_id", .equal, id).orderBy("month").orderBy("contract_number").all().map { r in
                Line(contractID: try r.decode(column: "contract_id", as: UUID.self), month: Month(key: try r.decode(column: "month", as: String.self))!,
                     contractNumber: try r.decode(column: "contract_number", as: String.self),
                     certificateNumber: try r.decode(column: "certificate_number", as: String.self),
                     childInitials: try r.decode(column: "child_initials", as: String.self), group: try r.decode(column: "group_name", as: String.self),
                     part: try r.decode(column: "part", as: Int64.self),
                     completeness: Completeness(hundredths: try r.decode(column: "completeness", as: Int.self)) ?? .full,
                     amount: try r.decode(column: "amount", as: Int64.self), advance: try r.decode(column: "advance", as: Int64.self),
                     due: try r.decode(column: "due", as: Int64.self))
            }
    }

    /// A step of the municipality on its invoice. Deleting a final invoice returns its contract-months to the next
    /// final invoice; deleting an advance means its amounts are not deducted later.
    func step(_ id: UUID, _ event: InvoiceEvent, by p: Principal) async throws -> Invoice {
        let actor = AuditActor.person(p)
        let today: LocalDate = CertificateService.today(region: p.regionCode, at: clock.now())
        try await store.write { tx in
            let sql = tx.sql
            try await sql.lockRow("invoices", id: id)
            guard let i = try await invoice(id, on: sql), p.role == .municipality, p.municipalityID == i.municipalityID else {
                throw Abort(.notFound)
            }
            let next = try InvoiceLifecycle.next(i.status, event, by: Actor(p), today).mapError(AppError.init).get()
            var update = sql.update("invoices").set("status", to: next.rawValue).set("updated_at", to: clock.now())
            let summary: String
            switch event {
            case .take:
                summary = "Счёт № \(i.number) взят в работу."
            case .pay(let order, let on):
                update = update.set("payment_order", to: order.trimmingCharacters(in: .whitespaces)).set("paid_on", to: on.iso)
                summary = "Счёт № \(i.number) оплачен: платёжное поручение № \(order.trimmingCharacters(in: .whitespaces)) от \(on.russian), \(Money(kopecks: i.settlement.payable).formatted)."
            case .delete(let reason):
                update = update.set("deleted_reason", to: reason.trimmingCharacters(in: .whitespacesAndNewlines))
                summary = "Счёт № \(i.number) удалён: \(reason.trimmingCharacters(in: .whitespacesAndNewlines))."
                if i.kind == .final {
                    try await sql.update("contract_months").set("final_invoice_id", to: SQLLiteral.null).where("final_invoice_id", .equal, id).run()
                }
            }
            try await update.where("id", .equal, id).run()
            try await audit.record(actor, "invoice-\(next.rawValue)", municipalityID: i.municipalityID, amount: i.settlement.payable, summary, on: sql)
        }
        guard let updated = try await invoice(id, on: store.sql) else { throw Abort(.notFound) }
        let text = "Счёт № \(updated.number) за «\(updated.month.title)»: \(updated.status.title)"
            + (updated.status == .paid ? ", платёжное поручение № \(updated.paymentOrder ?? "") от \(updated.paidOn.flatMap(LocalDate.init(iso:))?.russian ?? "")." : ".")
        for user in try await ContractSteps.staff(of: updated.providerID, on: store.sql) {
            _ = try await notifications.notify(user, .invoice, text, link: SiteRoute.invoice(id).url,
                                               dedupe: "invoice:\(id.lowercasedString):\(updated.status.rawValue)", on: store.db)
        }
        return updated
    }
}
