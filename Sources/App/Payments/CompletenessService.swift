import Domain
import Fluent
import Foundation
import SQLKit
import Vapor

/// Completeness (полнота оказания услуги): a provider reports it per group and month, from the 1st to the 5th working
/// day of the month after; the close takes 100 % where nothing was reported.
struct CompletenessService: Sendable {
    let store: Store
    let clock: AppClock
    let closer: MonthCloser

    struct Child: Sendable, Hashable {
        let contractID: UUID
        let childInitials: String
        let certificateNumber: String
        let certificatePart: Int64
        let parentPart: Int64
        /// After the close: what the month was charged and paid with, and its status.
        let closed: ClosedMonth?
    }

    struct ClosedMonth: Sendable, Hashable {
        let completeness: Completeness
        let final: Int64
        let status: MonthClose.MonthStatus
    }

    struct Group: Sendable, Hashable {
        let id: UUID
        let name: String
        let program: String
        let municipalityID: UUID
        let completeness: Completeness?
        let reason: String?
        let children: [Child]
        var certificateTotal: Int64 { children.reduce(0) { $0 + $1.certificatePart } }
        var parentTotal: Int64 { children.reduce(0) { $0 + $1.parentPart } }
    }

    /// The provider's groups with contracts running in `month`: the children and each one's amounts of the month.
    func groups(providerID: UUID, month: Month) async throws -> [Group] {
        let sql = store.sql
        let rows = try await sql.select()
            .column(SQLColumn("id", table: "c")).column(SQLColumn("group_id", table: "c")).column(SQLColumn("municipality_id", table: "c"))
            .column(SQLColumn("months", table: "c"))
            .column(SQLColumn("name", table: "g"), as: "group_name").column(SQLColumn("name", table: "p"), as: "program_name")
            .column(SQLColumn("number", table: "s"), as: "certificate_number")
            .column(SQLColumn("surname", table: "ch")).column(SQLColumn("name", table: "ch")).column(SQLColumn("patronymic", table: "ch"))
            .from(SQLAlias(SQLIdentifier("contracts"), as: SQLIdentifier("c")))
            .join(SQLAlias(SQLIdentifier("program_groups"), as: SQLIdentifier("g")), on: SQLColumn("id", table: "g"), .equal, SQLColumn("group_id", table: "c"))
            .join(SQLAlias(SQLIdentifier("programs"), as: SQLIdentifier("p")), on: SQLColumn("id", table: "p"), .equal, SQLColumn("program_id", table: "c"))
            .join(SQLAlias(SQLIdentifier("certificates"), as: SQLIdentifier("s")), on: SQLColumn("id", table: "s"), .equal, SQLColumn("certificate_id", table: "c"))
            .join(SQLAlias(SQLIdentifier("children"), as: SQLIdentifier("ch")), on: SQLColumn("id", table: "ch"), .equal, SQLColumn("child_id", table: "c"))
            .where(SQLColumn("provider_id", table: "c"), .equal, SQLBind(providerID))
            .where(SQLColumn("status", table: "c"), .in, SQLBind.group([ContractStatus.active, .terminating, .terminated].map(\.rawValue)))
            .where(SQLColumn("starts_on", table: "c"), .lessThanOrEqual, SQLBind(month.last.iso))
            .where(SQLColumn("ends_on", table: "c"), .greaterThanOrEqual, SQLBind(month.first.iso))
            .orderBy(SQLColumn("name", table: "p")).orderBy(SQLColumn("name", table: "g"))
            .orderBy(SQLColumn("surname", table: "ch")).orderBy(SQLColumn("name", table: "ch"))
            .all()
        let ids = try rows.map { try $0.decode(column: "id", as: UUID.self) }
        var closed: [UUID: ClosedMonth] = [:]
        for chunk in stride(from: 0, to: ids.count, by: 500) {
            for r in try await sql.select().columns("contract_id", "completeness", "final", "status").from("contract_months")
                .where("contract_id", .in, Array(ids[chunk..<min(ids.count, chunk + 500)])).where("month", .equal, month.key).all() {
                closed[try r.decode(column: "contract_id", as: UUID.self)] = ClosedMonth(
                    completeness: Completeness(hundredths: try r.decode(column: "completeness", as: Int.self)) ?? .full,
                    final: try r.decode(column: "final", as: Int64.self),
                    status: MonthClose.MonthStatus(rawValue: try r.decode(column: "status", as: String.self)) ?? .charged)
            }
        }
        var reports: [UUID: (Completeness, String?)] = [:]
        for r in try await sql.select().columns("group_id", "hundredths", "reason").from("completeness_reports")
            .where("provider_id", .equal, providerID).where("month", .equal, month.key).all() {
            reports[try r.decode(column: "group_id", as: UUID.self)] =
                (Completeness(hundredths: try r.decode(column: "hundredths", as: Int.self)) ?? .full, try r.decode(column: "reason", as: String?.self))
        }
        var order: [UUID] = []
        var byGroup: [UUID: (name: String, program: String, municipality: UUID, children: [Child])] = [:]
        for r in rows {
            guard let part = MonthPart.decode(try r.decode(column: "months", as: String.self)).first(where: { $0.month == month.key }) else { continue }
            let gid = try r.decode(column: "group_id", as: UUID.self)
            let cid = try r.decode(column: "id", as: UUID.self)
            if byGroup[gid] == nil {
                order.append(gid)
                byGroup[gid] = (try r.decode(column: "group_name", as: String.self), try r.decode(column: "program_name", as: String.self),
                                try r.decode(column: "municipality_id", as: UUID.self), [])
            }
            byGroup[gid]!.children.append(Child(
                contractID: cid,
                childInitials: InvoiceService.initials(surname: try r.decode(column: "surname", as: String.self), name: try r.decode(column: "name", as: String.self),
                                                       patronymic: try r.decode(column: "patronymic", as: String.self)),
                certificateNumber: try r.decode(column: "certificate_number", as: String?.self) ?? "",
                certificatePart: part.certificate, parentPart: part.parent, closed: closed[cid]))
        }
        return order.map { id in
            let g = byGroup[id]!
            return Group(id: id, name: g.name, program: g.program, municipalityID: g.municipality, completeness: reports[id]?.0,
                         reason: reports[id]?.1, children: g.children)
        }
    }

    /// The provider reports the completeness of its group for `month` (again: the last report counts until the close).
    func report(providerID: UUID, groupID: UUID, month: Month, percent: String, reason: String?, by userID: UUID?) async throws -> Completeness {
        guard let group = try await GroupModel.find(groupID, on: store.db), group.providerID == providerID else { throw Abort(.notFound) }
        guard let value = Completeness(percent: percent) else {
            throw AppError(Refusal("invalid_completeness", field: "completeness", "Полнота — число от 0 до 100 (не более двух знаков после запятой).", kind: .invalid))
        }
        let why = reason?.trimmingCharacters(in: .whitespacesAndNewlines)
        if value < .full, let r = ModerationRules.reasonRefusal(why ?? "", message: "Укажите причину, по которой полнота меньше 100 % (до 500 символов).") {
            throw AppError(Refusal(r.code, field: "reason", r.message, kind: .invalid))
        }
        guard let m = try await MunicipalityModel.find(group.municipalityID, on: store.db) else { throw Abort(.notFound) }
        let today = CertificateService.today(region: m.regionCode, at: clock.now())
        let closed = try await closer.isClosed(municipalityID: group.municipalityID, month: month, on: store.sql)
        if let r = MonthClose.mayReport(month, today: today, closed: closed) { throw AppError(r) }
        let now = clock.now()
        try await store.write { tx in
            let sql = tx.sql
            let stored = value < .full ? why : nil
            if try await sql.select().column("id").from("completeness_reports").where("group_id", .equal, groupID)
                .where("month", .equal, month.key).first() != nil {
                try await sql.update("completeness_reports").set("hundredths", to: value.hundredths).set("reason", to: stored)
                    .set("reported_by", to: userID).set("reported_at", to: now)
                    .where("group_id", .equal, groupID).where("month", .equal, month.key).run()
            } else {
                try await sql.insert(into: "completeness_reports")
                    .columns("id", "group_id", "provider_id", "month", "hundredths", "reason", "reported_by", "reported_at")
                    .values(SQLBind(UUID()), SQLBind(groupID), SQLBind(providerID), SQLBind(month.key), SQLBind(value.hundredths),
                            SQLBind(stored), SQLBind(userID), SQLBind(now))
                    .run()
            }
        }
        return value
    }
}
