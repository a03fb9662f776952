import Domain
import Fluent
import Foundation
import SQLKit
import Vapor

/// Invoices of providers to municipalities (domain.md §8): an advance of 80 % of each running contract's certificate
/// part of a month, asked for by the provider during the month, and a final invoice issued by the month's close for
/// completeness × the part, settled against the advance. One live invoice of each kind per municipality × provider ×
/// month (a unique index); new → in work → paid, or deleted with a reason.
struct InvoiceService: Sendable {
    let store: Store
    let audit: AuditLog
    let notifications: NotificationService
    let clock: AppClock

    struct Invoice: Sendable, Hashable {
        let id: UUID
        let number: String
        let municipalityID: UUID
        let municipality: String
        let providerID: UUID
        let provider: String
        let month: Month
        let kind: InvoiceKind
        let status: InvoiceStatus
        let finals: Int64
        let advances: Int64
        let carried: Int64
        let due: Int64
        let dueOn: String
        let createdAt: Date
        let paymentOrder: String?
        let paidOn: String?
        let deletedReason: String?

        var settlement: MonthClose.Settlement { .init(finals: finals, advances: advances, carried: carried) }
    }

    struct Line: Sendable, Hashable {
        let contractID: UUID
        let month: Month
        let contractNumber: String
        let certificateNumber: String
        let childInitials: String
        let group: String
        let part: Int64
        let completeness: Completeness
        let amount: Int64
        let advance: Int64
        let due: Int64
    }

    /// «И. А. П.»: the initials of a child's surname, name and patronymic.
    static func initials(surname: String, name: String, patronymic: String) -> String {
        [surname, name, patronymic].compactMap { $0.trimmingCharacters(in: .whitespaces).first.map { "\($0)." } }.joined(separator: " ")
    }

    static func number(municipality m: MunicipalityModel, month: Month, kind: InvoiceKind, inn: String) -> String {
        "\(m.regionCode)\(m.code)-\(month.year)\(LocalDate.pad(month.month, 2))-\(kind == .advance ? "А" : "И")-\(inn)"
    }

    // MARK: issuing

    /// Issues the final invoices of the month's close: one per provider with contract-months not yet invoiced (and not
    /// disputed). The invoice's header is written first, then its lines in transactions of `chunk` contract-months, each
    /// restating the header's totals with what it adds (so the totals always equal the lines); a close resumed after an
    /// interruption goes on filling the new invoice it had started. `renew` keeps the close's lease inside every
    /// transaction. The number of invoices issued.
    func issueFinals(municipality: MunicipalityModel, month: Month, chunk: Int = 4000,
                     renew: @escaping @Sendable (any SQLDatabase) async throws -> Void) async throws -> Int {
        let mid = try municipality.requireID()
        let providers = try await store.sql.select().distinct().column("provider_id").from("contract_months")
            .where("municipality_id", .equal, mid).where(SQLIdentifier("final_invoice_id"), .is, SQLLiteral.null)
            .where("status", .notEqual, MonthClose.MonthStatus.disputed.rawValue).where("certificate_part", .greaterThan, 0)
            .where("month", .lessThanOrEqual, month.key).orderBy("provider_id").all()
            .map { try $0.decode(column: "provider_id", as: UUID.self) }
        var issued = 0
        for providerID in providers {
            guard let provider = try await ProviderModel.find(providerID, on: store.db) else { continue }
            // The header: the live final invoice of the month while it is new (a resumed close), else a new one.
            let header: (UUID, String)? = try await store.write { tx in
                let sql = tx.sql
                try await renew(sql)
                if let live = try await liveInvoice(municipalityID: mid, providerID: providerID, month: month, kind: .final, on: sql) {
                    let row = try await sql.select().columns("number", "status").from("invoices").where("id", .equal, live).first()
                    guard let row, try row.decode(column: "status", as: String.self) == InvoiceStatus.new.rawValue else { return nil }
                    return (live, try row.decode(column: "number", as: String.self))
                }
                let id = UUID()
                let number = try await newNumber(municipality: municipality, provider: provider, month: month, kind: .final, on: sql)
                let carried = try await carriedIn(municipalityID: mid, providerID: providerID, before: month, on: sql)
                try await insertInvoice(id: id, number: number, municipalityID: mid, providerID: providerID, month: month, kind: .final,
                                        settlement: .init(finals: 0, advances: 0, carried: carried),
                                        dueOn: PaymentRules.due(issuedIn: Month(CertificateService.today(region: municipality.regionCode, at: clock.now()))),
                                        by: "закрытие месяца", lines: [], on: sql)
                return (id, number)
            }
            guard let (invoiceID, number) = header else { continue }
            let advances = try await advanceLines(municipalityID: mid, providerID: providerID, through: month, on: store.sql)
            while try await store.write({ tx in
                try await renew(tx.sql)
                return try await addFinalLines(invoiceID: invoiceID, municipalityID: mid, providerID: providerID, month: month, advances: advances,
                                               limit: chunk, on: tx.sql)
            }) {}
            issued += 1
            let due = try await invoice(invoiceID, on: store.sql)?.due ?? 0
            for user in try await ContractSteps.staff(of: providerID, on: store.sql) {
                _ = try await notifications.notify(user, .invoice, "Сформирован итоговый счёт № \(number) за «\(month.title)»: к оплате \(Money(kopecks: max(0, due)).formatted).",
                                                   link: SiteRoute.providerPayments.url, dedupe: "invoice:\(number)", on: store.db)
            }
        }
        return issued
    }

    /// Adds up to `limit` of the provider's contract-months not yet invoiced to the final invoice and adds them to its
    /// totals. Whether there may be more.
    private func addFinalLines(invoiceID: UUID, municipalityID mid: UUID, providerID: UUID, month: Month, advances: [String: Int64], limit: Int,
                               on sql: any SQLDatabase) async throws -> Bool {
        let inner: SQLQueryString = """
            SELECT cm.id AS cm_id, cm.contract_id, cm.month, cm.certificate_part, cm.completeness, cm.final, s.number AS certificate_number,
                   ch.surname, ch.name, ch.patronymic, g.name AS group_name
            FROM contract_months cm JOIN contracts c ON c.id = cm.contract_id JOIN certificates s ON s.id = cm.certificate_id
            JOIN children ch ON ch.id = c.child_id JOIN program_groups g ON g.id = cm.group_id
            WHERE cm.municipality_id = \(bind: mid) AND cm.provider_id = \(bind: providerID) AND cm.final_invoice_id IS NULL
              AND cm.status <> \(bind: MonthClose.MonthStatus.disputed.rawValue) AND cm.certificate_part > 0 AND cm.month <= \(bind: month.key)
            LIMIT \(literal: limit)
            """
        let rows = try await JSONRows.read(inner, columns: "cm_id, contract_id, month, certificate_part, completeness, final, certificate_number, surname, name, patronymic, group_name",
                                           as: FinalLineJSON.self, on: sql)
        guard !rows.isEmpty else { return false }
        var lines: [Line] = []
        for r in rows {
            let advance = advances[r.contract.lowercasedString + "/" + r.month.key] ?? 0
            lines.append(Line(contractID: r.contract, month: r.month, contractNumber: ContractModel.number(r.contract),
                              certificateNumber: r.certificateNumber ?? "",
                              childInitials: Self.initials(surname: r.surname, name: r.name, patronymic: r.patronymic),
                              group: r.group, part: r.part, completeness: r.completeness, amount: r.final, advance: advance, due: r.final - advance))
        }
        let monthIDs = rows.map(\.contractMonth)
        try await insertLines(invoiceID: invoiceID, lines, on: sql)
        var ids = JSONRows([.uuid])
        for m in monthIDs { ids.append([.uuid(m)]) }
        try await sql.raw("""
            UPDATE contract_months SET final_invoice_id = \(bind: invoiceID)
            WHERE id IN (SELECT c0 FROM (\(ids.select(postgres: sql.dialect.name == "postgresql"))) AS x)
            """).run()
        let finals = lines.reduce(0) { $0 + $1.amount }, advanced = lines.reduce(0) { $0 + $1.advance }
        try await sql.update("invoices").set("finals", to: SQLRaw("finals + \(finals)")).set("advances", to: SQLRaw("advances + \(advanced)"))
            .set("due_amount", to: SQLRaw("due_amount + \(finals - advanced)")).where("id", .equal, invoiceID).run()
        return rows.count == limit
    }

    /// The advance of `month` for the provider: one invoice per municipality where it has running contracts paid from
    /// certificates and no live advance invoice yet. The invoices created.
    func requestAdvance(providerID: UUID, month: Month, by actor: AuditActor) async throws -> [Invoice] {
        guard let provider = try await ProviderModel.find(providerID, on: store.db) else { throw Abort(.notFound) }
        let today = CertificateService.today(region: provider.regionCode, at: clock.now())
        if let r = MonthClose.mayRequestAdvance(month, today: today) { throw AppError(r) }
        let rows = try await store.sql.select()
            .column(SQLColumn("id", table: "c")).column(SQLColumn("municipality_id", table: "c")).column(SQLColumn("months", table: "c"))
            .column(SQLColumn("number", table: "s"), as: "certificate_number")
            .column(SQLColumn("surname", table: "ch")).column(SQLColumn("name", table: "ch")).column(SQLColumn("patronymic", table: "ch"))
            .column(SQLColumn("name", table: "g"), as: "group_name")
            .from(SQLAlias(SQLIdentifier("contracts"), as: SQLIdentifier("c")))
            .join(SQLAlias(SQLIdentifier("certificates"), as: SQLIdentifier("s")), on: SQLColumn("id", table: "s"), .equal, SQLColumn("certificate_id", table: "c"))
            .join(SQLAlias(SQLIdentifier("children"), as: SQLIdentifier("ch")), on: SQLColumn("id", table: "ch"), .equal, SQLColumn("child_id", table: "c"))
            .join(SQLAlias(SQLIdentifier("program_groups"), as: SQLIdentifier("g")), on: SQLColumn("id", table: "g"), .equal, SQLColumn("group_id", table: "c"))
            .where(SQLColumn("provider_id", table: "c"), .equal, SQLBind(providerID))
            .where(SQLColumn("status", table: "c"), .in, SQLBind.group(ContractStatus.running.map(\.rawValue)))
            .where(SQLColumn("funding", table: "c"), .equal, SQLBind(FundingKind.certificate.rawValue))
            .where(SQLColumn("starts_on", table: "c"), .lessThanOrEqual, SQLBind(month.last.iso))
            .where(SQLColumn("ends_on", table: "c"), .greaterThanOrEqual, SQLBind(month.first.iso))
            .orderBy(SQLColumn("municipality_id", table: "c")).orderBy(SQLColumn("id", table: "c"))
            .all()
        var byMunicipality: [UUID: [Line]] = [:]
        for r in rows {
            let parts = MonthPart.decode(try r.decode(column: "months", as: String.self))
            guard let part = parts.first(where: { $0.month == month.key }), part.certificate > 0 else { continue }
            let contractID = try r.decode(column: "id", as: UUID.self)
            let advance = MonthClose.advance(part: part.certificate)
            byMunicipality[try r.decode(column: "municipality_id", as: UUID.self), default: []].append(
                Line(contractID: contractID, month: month, contractNumber: ContractModel.number(contractID),
                     certificateNumber: try r.decode(column: "certificate_number", as: String?.self) ?? "",
                     childInitials: Self.initials(surname: try r.decode(column: "surname", as: String.self), name: try r.decode(column: "name", as: String.self),
                                                  patronymic: try r.decode(column: "patronymic", as: String.self)),
                     group: try r.decode(column: "group_name", as: String.self), part: part.certificate, completeness: .full,
                     amount: advance, advance: 0, due: advance))
        }
        guard !byMunicipality.isEmpty else {
            throw AppError(status: .conflict, code: "nothing_to_advance", reason: "За «\(month.title)» нет действующих договоров, оплачиваемых сертификатами: аванс не начисляется.")
        }
        var created: [UUID] = []
        for (mid, lines) in byMunicipality.sorted(by: { $0.key.uuidString < $1.key.uuidString }) {
            guard let municipality = try await MunicipalityModel.find(mid, on: store.db) else { continue }
            let id = try await store.write { tx -> UUID? in
                let sql = tx.sql
                if try await liveInvoice(municipalityID: mid, providerID: providerID, month: month, kind: .advance, on: sql) != nil { return nil }
                let id = UUID()
                let total = lines.reduce(0) { $0 + $1.amount }
                let number = try await newNumber(municipality: municipality, provider: provider, month: month, kind: .advance, on: sql)
                try await insertInvoice(id: id, number: number, municipalityID: mid, providerID: providerID, month: month, kind: .advance,
                                        settlement: .init(finals: total, advances: 0, carried: 0), dueOn: PaymentRules.due(issuedIn: month),
                                        by: actor.label, lines: lines, on: sql)
                try await audit.record(actor, "advance-request", municipalityID: mid, amount: total,
                                       "Запрошен аванс № \(number) за «\(month.title)»: договоров \(lines.count), \(Money(kopecks: total).formatted).", on: sql)
                return id
            }
            if let id { created.append(id) }
        }
        guard !created.isEmpty else {
            throw AppError(status: .conflict, code: "advance_exists", reason: "Аванс за «\(month.title)» уже запрошен.")
        }
        var out: [Invoice] = []
        for id in created { if let i = try await invoice(id, on: store.sql) { out.append(i) } }
        return out
    }

    private func insertInvoice(id: UUID, number: String, municipalityID: UUID, providerID: UUID, month: Month, kind: InvoiceKind,
                               settlement s: MonthClose.Settlement, dueOn: LocalDate, by: String, lines: [Line], on sql: any SQLDatabase) async throws {
        let now = clock.now()
        try await sql.insert(into: "invoices")
            .columns("id", "number", "municipality_id", "provider_id", "month", "kind", "status", "finals", "advances", "carried",
                     "due_amount", "due_on", "created_at", "created_by", "updated_at")
            .values(SQLBind(id), SQLBind(number), SQLBind(municipalityID), SQLBind(providerID), SQLBind(month.key), SQLBind(kind.rawValue),
                    SQLBind(InvoiceStatus.new.rawValue), SQLBind(s.finals), SQLBind(s.advances), SQLBind(s.carried), SQLBind(s.due),
                    SQLBind(dueOn.iso), SQLBind(now), SQLBind(by), SQLBind(now))
            .run()
        try await insertLines(invoiceID: id, lines, on: sql)
    }

    private func insertLines(invoiceID id: UUID, _ lines: [Line], on sql: any SQLDatabase) async throws {
        guard !lines.isEmpty else { return }
        var rows = JSONRows([.uuid, .uuid, .uuid, .text, .text, .text, .text, .text, .bigint, .int, .bigint, .bigint, .bigint])
        for l in lines {
            rows.append([.uuid(UUID()), .uuid(id), .uuid(l.contractID), .text(l.month.key), .text(l.contractNumber), .text(l.certificateNumber),
                         .text(l.childInitials), .text(l.group), .int(l.part), .int(Int64(l.completeness.hundredths)), .int(l.amount), .int(l.advance),
                         .int(l.due)])
        }
        try await sql.raw("""
            INSERT INTO invoice_lines (id, invoice_id, contract_id, month, contract_number, certificate_number, child_initials, group_name,
            part, completeness, amount, advance, due)
            SELECT c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12 FROM (\(rows.select(postgres: sql.dialect.name == "postgresql"))) AS x
            """).run()
    }

    /// Takes a contract-month's line out of a final invoice (a dispute) and restates the invoice's totals from its lines.
    static func removeLine(invoiceID: UUID, contractID: UUID, month: Month, on sql: any SQLDatabase) async throws {
        try await sql.delete(from: "invoice_lines").where("invoice_id", .equal, invoiceID).where("contract_id", .equal, contractID)
            .where("month", .equal, month.key).run()
        let sums = try await sql.select()
            .column(SQLRaw("CAST(coalesce(sum(amount), 0) AS BIGINT)"), as: "finals").column(SQLRaw("CAST(coalesce(sum(advance), 0) AS BIGINT)"), as: "advances")
            .from("invoice_lines").where("invoice_id", .equal, invoiceID).first()
        let finals = try sums?.decode(column: "finals", as: Int64.self) ?? 0, advances = try sums?.decode(column: "advances", as: Int64.self) ?? 0
        try await sql.update("invoices").set("finals", to: finals).set("advances", to: advances)
            .set("due_amount", to: SQLRaw("\(finals) - \(advances) + carried")).where("id", .equal, invoiceID).run()
    }

    private func liveInvoice(municipalityID: UUID, providerID: UUID, month: Month, kind: InvoiceKind, on sql: any SQLDatabase) async throws -> UUID? {
        try await sql.select().column("id").from("invoices").where("municipality_id", .equal, municipalityID)
            .where("provider_id", .equal, providerID).where("month", .equal, month.key).where("kind", .equal, kind.rawValue)
            .where("status", .notEqual, InvoiceStatus.deleted.rawValue).first()?.decode(column: "id", as: UUID.self)
    }

    /// The number of a new invoice: «4233-202611-И-<ИНН>», with «/2», «/3» … after deleted ones of the same kind and month
    /// (a live one never exists when a new one is numbered).
    private func newNumber(municipality: MunicipalityModel, provider: ProviderModel, month: Month, kind: InvoiceKind,
                           on sql: any SQLDatabase) async throws -> String {
        let n = try await sql.select().column(SQLFunction("count", args: SQLLiteral.all), as: "n").from("invoices")
            .where("municipality_id", .equal, municipality.requireID()).where("provider_id", .equal, provider.requireID())
            .where("month", .equal, month.key).where("kind", .equal, kind.rawValue).first()?.decode(column: "n", as: Int.self) ?? 0
        return Self.number(municipality: municipality, month: month, kind: kind, inn: provider.inn) + (n == 0 ? "" : "/\(n + 1)")
    }

    /// The advance lines of live advance invoices, by «contract/month».
    private func advanceLines(municipalityID: UUID, providerID: UUID, through month: Month, on sql: any SQLDatabase) async throws -> [String: Int64] {
        var out: [String: Int64] = [:]
        for r in try await sql.select().column(SQLColumn("contract_id", table: "l")).column(SQLColumn("month", table: "l"))
            .column(SQLColumn("amount", table: "l"))
            .from(SQLAlias(SQLIdentifier("invoice_lines"), as: SQLIdentifier("l")))
            .join(SQLAlias(SQLIdentifier("invoices"), as: SQLIdentifier("i")), on: SQLColumn("id", table: "i"), .equal, SQLColumn("invoice_id", table: "l"))
            .where(SQLColumn("kind", table: "i"), .equal, SQLBind(InvoiceKind.advance.rawValue))
            .where(SQLColumn("status", table: "i"), .notEqual, SQLBind(InvoiceStatus.deleted.rawValue))
            .where(SQLColumn("municipality_id", table: "i"), .equal, SQLBind(municipalityID))
            .where(SQLColumn("provider_id", table: "i"), .equal, SQLBind(providerID))
            .where(SQLColumn("month", table: "l"), .lessThanOrEqual, SQLBind(month.key)).all() {
            out[try r.decode(column: "contract_id", as: UUID.self).lowercasedString + "/" + r.decode(column: "month", as: String.self)] =
                try r.decode(column: "amount", as: Int64.self)
        }
        return out
    }

    /// What the latest live final invoice before `month` left negative (0 when nothing).
    private func carriedIn(municipalityID: UUID, providerID: UUID, before month: Month, on sql: any SQLDatabase) async throws -> Int64 {
        let due = try await sql.select().column("due_amount").from("invoices").where("municipality_id", .equal, municipalityID)
            .where("provider_id", .equal, providerID).where("kind", .equal, InvoiceKind.final.rawValue)
            .where("status", .notEqual, InvoiceStatus.deleted.rawValue).where("month", .lessThan, month.key)
            .orderBy("month", .descending).limit(1).first()?.decode(column: "due_amount", as: Int64.self) ?? 0
        return min(0, due)
    }
}

/// A contract-month with what its final invoice line shows (the columns of `addFinalLines`, in order).
private struct FinalLineJSON: Decodable {
    let contractMonth, contract: UUID
    let month: Month
    let part: Int64
    let completeness: Completeness
    let final: Int64
    let certificateNumber: String?
    let surname, name, patronymic, group: String

    init(from decoder: any Decoder) throws {
        var c = try decoder.unkeyedContainer()
        contractMonth = try c.decodeID()
        contract = try c.decodeID()
        let key = try c.decode(String.self)
        guard let m = Month(key: key) else { throw DecodingError.dataCorruptedError(in: c, debugDescription: "not a month: \(key)") }
        month = m
        part = try c.decode(Int64.self)
        let h = try c.decode(Int.self)
        guard let value = Completeness(hundredths: h) else { throw DecodingError.dataCorruptedError(in: c, debugDescription: "completeness \(h)") }
        completeness = value
        final = try c.decode(Int64.self)
        certificateNumber = try c.decodeIfPresent(String.self)
        surname = try c.decode(String.self)
        name = try c.decode(String.self)
        patronymic = try c.decode(String.self)
        group = try c.decode(String.self)
    }
}
