import Domain
import Fluent
import Foundation
import SQLKit
import Vapor

/// Parents' disputes of a month («занятия не проводились», domain §8): opened within 10 days after the month ends, held
/// out of the final invoice until the municipality decides. Upheld: the month's completeness is lowered and the
/// difference goes back to the certificate (a `correction`); rejected: the month goes into the next final invoice as
/// reported. A dispute of a month already in a final invoice that is not paid takes its line out of that invoice.
struct DisputeService: Sendable {
    let store: Store
    let ledger: LedgerService
    let notifications: NotificationService
    let audit: AuditLog
    let clock: AppClock

    struct Dispute: Sendable, Hashable {
        let id: UUID
        let contractID: UUID
        let month: Month
        let text: String
        let status: DisputeStatus
        let completeness: Completeness?
        let decision: String?
        let createdAt: Date
        let decidedAt: Date?
        let municipalityID: UUID
        let providerID: UUID
    }

    private static let columns = ["id", "contract_id", "month", "text", "status", "completeness", "decision", "created_at", "decided_at",
                                  "municipality_id", "provider_id"]

    private func decode(_ r: any SQLRow) throws -> Dispute { try Self.decode(r) }

    static func decode(_ r: any SQLRow) throws -> Dispute {
        Dispute(id: try r.decode(column: "id", as: UUID.self), contractID: try r.decode(column: "contract_id", as: UUID.self),
                month: Month(key: try r.decode(column: "month", as: String.self))!, text: try r.decode(column: "text", as: String.self),
                status: DisputeStatus(rawValue: try r.decode(column: "status", as: String.self)) ?? .open,
                completeness: try r.decode(column: "completeness", as: Int?.self).flatMap(Completeness.init(hundredths:)),
                decision: try r.decode(column: "decision", as: String?.self), createdAt: try r.decode(column: "created_at", as: Date.self),
                decidedAt: try r.decode(column: "decided_at", as: Date?.self), municipalityID: try r.decode(column: "municipality_id", as: UUID.self),
                providerID: try r.decode(column: "provider_id", as: UUID.self))
    }

    func of(contractID: UUID, on sql: any SQLDatabase) async throws -> [Dispute] { try await Self.of(contractID: contractID, on: sql) }

    static func of(contractID: UUID, on sql: any SQLDatabase) async throws -> [Dispute] {
        try await sql.select().columns(columns).from("disputes").where("contract_id", .equal, contractID).orderBy("month").all().map(decode)
    }

    /// The disputes a municipality decides (open first), or a provider's.
    func list(for p: Principal, on sql: any SQLDatabase) async throws -> [Dispute] {
        var q = sql.select().columns(Self.columns).from("disputes")
        switch p.role {
        case .municipality:
            guard let m = p.municipalityID else { return [] }
            q = q.where("municipality_id", .equal, m)
        case .provider:
            guard let id = p.providerID else { return [] }
            q = q.where("provider_id", .equal, id)
        case .parent:
            q = q.where("family_id", .equal, p.userID)
        case .operator_, .monitor:
            if let m = p.municipalityID { q = q.where("municipality_id", .equal, m) } else { return [] }
        }
        return try await q.orderBy("status", .descending).orderBy("created_at").limit(200).all().map(decode)
    }

    /// The parent disputes a month of the family's contract.
    func open(contractID: UUID, month: Month, text: String, by p: Principal) async throws -> Dispute {
        guard p.role == .parent else { throw AppError(.forbidden()) }
        guard let c = try await ContractModel.find(contractID, on: store.db), c.familyID == p.userID else { throw Abort(.notFound) }
        let today = CertificateService.today(region: c.regionCode, at: clock.now())
        if let r = DisputeLifecycle.open(month: month, by: .parent, today: today, text: text).failure { throw AppError(r) }
        guard [.active, .terminating, .terminated].contains(c.status), c.parts.contains(where: { $0.month == month.key }),
              c.startsOn <= month.last.iso, c.endsOn >= month.first.iso else {
            throw AppError(Refusal("not_in_contract", field: "month", "Месяц «\(month.title)» не оплачивается по этому договору."))
        }
        let id = UUID()
        let now = clock.now()
        let body = text.trimmingCharacters(in: .whitespacesAndNewlines)
        try await store.write { tx in
            let sql = tx.sql
            // A month already in a final invoice: its line leaves the invoice while it is not paid.
            if let row = try await sql.select().columns("id", "final_invoice_id").from("contract_months").where("contract_id", .equal, contractID)
                .where("month", .equal, month.key).first() {
                if let invoiceID = try row.decode(column: "final_invoice_id", as: UUID?.self) {
                    try await sql.lockRow("invoices", id: invoiceID)
                    let status = try await sql.select().column("status").from("invoices").where("id", .equal, invoiceID).first()?
                        .decode(column: "status", as: String.self)
                    guard status == InvoiceStatus.new.rawValue || status == InvoiceStatus.inWork.rawValue else {
                        throw AppError(Refusal("invoice_paid", field: "month",
                                               "Месяц «\(month.title)» уже оплачен поставщику: обратитесь в муниципалитет."))
                    }
                    try await InvoiceService.removeLine(invoiceID: invoiceID, contractID: contractID, month: month, on: sql)
                }
                try await sql.update("contract_months").set("status", to: MonthClose.MonthStatus.disputed.rawValue)
                    .set("final_invoice_id", to: SQLLiteral.null).where("id", .equal, try row.decode(column: "id", as: UUID.self)).run()
            }
            do {
                try await sql.insert(into: "disputes")
                    .columns("id", "contract_id", "month", "family_id", "municipality_id", "provider_id", "text", "status", "created_at")
                    .values(SQLBind(id), SQLBind(contractID), SQLBind(month.key), SQLBind(p.userID), SQLBind(c.municipalityID), SQLBind(c.providerID),
                            SQLBind(body), SQLBind(DisputeStatus.open.rawValue), SQLBind(now))
                    .run()
            } catch let e where LedgerService.isUniqueViolation(e) {
                throw AppError(Refusal("already_disputed", field: "month", "Месяц «\(month.title)» по этому договору уже оспорен."))
            }
        }
        let text = "Родитель оспорил «\(month.title)» по договору \(c.number): «\(body)»."
        for user in try await ContractSteps.staff(of: c.providerID, on: store.sql) + municipalityStaff(c.municipalityID) {
            _ = try await notifications.notify(user, .dispute, text, link: SiteRoute.contract(contractID).url, dedupe: "dispute:\(id.lowercasedString):\(user)", on: store.db)
        }
        return try await of(contractID: contractID, on: store.sql).first { $0.id == id }!
    }

    /// The municipality decides. `completeness` (upheld): the month's new completeness, below what was reported.
    func decide(_ id: UUID, uphold: Bool, completeness: Completeness?, decision: String, by p: Principal) async throws -> Dispute {
        guard p.role == .municipality, let mid = p.municipalityID else { throw AppError(.forbidden()) }
        let now = clock.now()
        let dispute: Dispute = try await store.write { tx in
            let sql = tx.sql
            try await sql.lockRow("disputes", id: id)
            guard let d = try await sql.select().columns(Self.columns).from("disputes").where("id", .equal, id).first().map(decode),
                  d.municipalityID == mid else { throw Abort(.notFound) }
            let row = try await sql.select().columns("id", "certificate_part", "completeness", "final", "certificate_id", "period_id", "status")
                .from("contract_months").where("contract_id", .equal, d.contractID).where("month", .equal, d.month.key).first()
            var reported = try row.flatMap { Completeness(hundredths: try $0.decode(column: "completeness", as: Int.self)) } ?? .full
            if row == nil { reported = try await Self.reported(contractID: d.contractID, month: d.month, on: sql) }
            let event: DisputeEvent
            if uphold {
                guard let completeness else {
                    throw AppError(Refusal("invalid_completeness", field: "completeness", "Укажите полноту, которую устанавливает решение.", kind: .invalid))
                }
                event = .uphold(completeness)
            } else {
                event = .reject
            }
            let next = try DisputeLifecycle.next(d.status, event, by: .municipality, reported).mapError(AppError.init).get()
            let text = decision.trimmingCharacters(in: .whitespacesAndNewlines)
            if let r = ModerationRules.reasonRefusal(text, message: "Опишите решение (до 500 символов).") {
                throw AppError(Refusal(r.code, field: "decision", r.message, kind: .invalid))
            }
            var moved: Int64 = 0
            if let row {
                let part = try row.decode(column: "certificate_part", as: Int64.self)
                let oldFinal = try row.decode(column: "final", as: Int64.self)
                var status: MonthClose.MonthStatus = reported < .full ? .corrected : .charged
                if case .uphold(let c) = event {
                    let outcome = MonthClose.outcome(part: part, completeness: c)
                    moved = oldFinal - outcome.final
                    if moved > 0 {
                        _ = try await ledger.post(.init(certificateID: try row.decode(column: "certificate_id", as: UUID.self),
                                                        periodID: try row.decode(column: "period_id", as: UUID.self), contractID: d.contractID,
                                                        kind: .correction, amount: moved, key: "correction:\(d.contractID.lowercasedString):\(d.month.key):dispute",
                                                        note: "Спор удовлетворён: полнота \(c) за \(d.month.title)"), inTransaction: tx)
                    }
                    status = .corrected
                    try await sql.update("contract_months").set("completeness", to: c.hundredths).set("final", to: outcome.final)
                        .set("corrected", to: outcome.correction).where("id", .equal, try row.decode(column: "id", as: UUID.self)).run()
                }
                try await sql.update("contract_months").set("status", to: status.rawValue)
                    .where("id", .equal, try row.decode(column: "id", as: UUID.self)).run()
            }
            var update = sql.update("disputes").set("status", to: next.rawValue).set("decision", to: text).set("decided_at", to: now)
                .set("decided_by", to: p.userID)
            if case .uphold(let c) = event { update = update.set("completeness", to: c.hundredths) }
            try await update.where("id", .equal, id).run()
            try await audit.record(.person(p), "dispute-\(next.rawValue)", municipalityID: mid, amount: moved,
                                   "Спор по договору \(ContractModel.number(d.contractID)) за «\(d.month.title)»: \(next.title). \(text)"
                                   + (moved > 0 ? " Возвращено на сертификат \(Money(kopecks: moved).formatted)." : ""), on: sql)
            return d
        }
        let updated = try await of(contractID: dispute.contractID, on: store.sql).first { $0.id == id }!
        let text = "Спор за «\(dispute.month.title)» по договору \(ContractModel.number(dispute.contractID)): \(updated.status.title). \(updated.decision ?? "")"
        var users = try await ContractSteps.staff(of: dispute.providerID, on: store.sql)
        if let family = try await ContractModel.find(dispute.contractID, on: store.db)?.familyID { users.append(family) }
        for user in users {
            _ = try await notifications.notify(user, .dispute, text, link: SiteRoute.contract(dispute.contractID).url,
                                               dedupe: "dispute:\(id.lowercasedString):\(updated.status.rawValue):\(user)", on: store.db)
        }
        return updated
    }

    /// The completeness the provider reported for the contract's group and month (100 % when none), before the close.
    static func reported(contractID: UUID, month: Month, on sql: any SQLDatabase) async throws -> Completeness {
        guard let group = try await sql.select().column("group_id").from("contracts").where("id", .equal, contractID).first()?
            .decode(column: "group_id", as: UUID.self) else { return .full }
        let h = try await sql.select().column("hundredths").from("completeness_reports").where("group_id", .equal, group)
            .where("month", .equal, month.key).first()?.decode(column: "hundredths", as: Int.self)
        return h.flatMap(Completeness.init(hundredths:)) ?? .full
    }

    private func municipalityStaff(_ id: UUID) async throws -> [UUID] {
        try await store.sql.select().column("id").from("users").where("municipality_id", .equal, id)
            .where("role", .equal, Role.municipality.rawValue).where("is_active", .equal, true).orderBy("id").all()
            .map { try $0.decode(column: "id", as: UUID.self) }
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let f) = self { return f }
        return nil
    }
}
