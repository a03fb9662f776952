import Domain
import Fluent
import Foundation
import SQLKit
import Vapor

/// The steps of an enrollment after the application (domain §7): the provider's answer, the parent's acceptance or
/// withdrawal, notice by either side, and the sweep's expiry and end. `Domain.ContractLifecycle` decides each step;
/// this applies what it decided, in one transaction under the contract's row lock: the status and dates, what goes
/// back to the certificate, the place (and the waiting list it frees), and the notifications.
///
/// Locks are taken in one order everywhere — contract, group, certificate, balance — so steps queue, never deadlock.
struct ContractSteps: Sendable {
    let store: Store
    let ledger: LedgerService
    let waitingLists: WaitingLists
    let clock: AppClock
    let ids: IDGenerator

    /// One step by `principal` (nil: the system's sweep); a refusal names why.
    @discardableResult
    func step(_ id: UUID, _ event: ContractEvent, by principal: Principal?) async throws -> ContractModel {
        try await store.write { tx in
            try await tx.sql.lockRow("contracts", id: id)
            guard let c = try await ContractModel.find(id, on: tx) else { throw Abort(.notFound) }
            if let principal, !AccessPolicy.allows(principal, .write, c.resourceScope) { throw Abort(.notFound) }
            let actor = Actor(principal)
            let now = clock.now()
            guard let start = LocalDate(iso: c.startsOn), let end = LocalDate(iso: c.endsOn) else { throw Abort(.internalServerError) }
            let context = ContractContext(now: now, today: ReferenceData.localDate(region: c.regionCode, at: now), answerDue: c.answerDue,
                                          start: start, end: end)
            let t = try ContractLifecycle.next(c.status, event, by: actor, context).get()
            var notices = try await apply(t, to: c, by: actor, at: now, on: tx)
            let program = try await ProgramModel.find(c.programID, on: tx)?.name ?? ""
            let child = try await ChildModel.find(c.childID, on: tx)?.name ?? ""
            let staff = try await Self.staff(of: c.providerID, on: tx.sql)
            notices = EnrollmentNotices.step(t, by: actor, contract: c, what: EnrollmentNotices.what(c.number, program: program, child: child),
                                             staff: staff, region: c.regionCode) + notices
            try await StatementWrite.insert(Notice.rows(notices, at: now, ids: ids), on: tx.sql)
            return c
        }
    }

    /// Applies a transition to the locked contract; the notices of the waiting list it moved.
    func apply(_ t: ContractTransition, to c: ContractModel, by actor: Actor, at now: Date, on tx: any Database) async throws -> [Notice] {
        let id = try c.requireID()
        switch t.release {
        case .nothing:
            break
        case .all:
            let held = try await ledger.contractHold(id, on: tx)?.stillHeld ?? 0
            if held > 0 {
                _ = try await ledger.post(.init(certificateID: c.certificateID, periodID: c.periodID, contractID: id, kind: .release, amount: held,
                                                key: "close:\(id)", note: "Заявка \(c.number): \(t.to.title)"), inTransaction: tx)
            }
        case .monthsAfter(let last):
            let held = try await ledger.contractHold(id, on: tx)?.stillHeld ?? 0
            let release = min(EnrollmentRules.released(months: c.parts, end: last), held)
            if release > 0 {
                _ = try await ledger.post(.init(certificateID: c.certificateID, periodID: c.periodID, contractID: id, kind: .release, amount: release,
                                                key: "notice:\(id)", note: "Расторжение договора \(c.number)"), inTransaction: tx)
            }
        }
        c.status = t.to
        switch t.deadline {
        case .unchanged: break
        case .cleared: c.answerDue = nil
        case .due(let d): c.answerDue = d
        }
        if let end = t.endsOn { c.endsOn = end.iso }
        if let reason = t.reason { c.reason = reason }
        switch (t.from, t.to) {
        case (.applied, .offered): c.offeredAt = now
        case (.offered, .active): c.activatedAt = now
        default: break
        }
        if case .monthsAfter = t.release {
            c.noticeAt = now
            c.noticeBy = actor.role
        }
        if !t.to.isLive { c.closedAt = now }
        try await c.save(on: tx)
        if let settled = t.waitlist {
            _ = try WaitlistLifecycle.next(.offered, .settle(settled), by: .system).get()
            try await WaitlistModel.query(on: tx).filter(\.$contractID == id).filter(\.$status == .offered).set(\.$status, to: settled).update()
        }
        guard t.place == .freed else { return [] }
        try await tx.sql.lockRow("program_groups", id: c.groupID)
        try await tx.sql.update("program_groups")
            .set(SQLIdentifier("taken"), to: SQLBinaryExpression(SQLIdentifier("taken"), .subtract, SQLLiteral.numeric("1")))
            .set("updated_at", to: now).where("id", .equal, c.groupID).run()
        return try await waitingLists.promote(groupID: c.groupID, on: tx)
    }

    /// The provider's active staff.
    static func staff(of providerID: UUID, on sql: any SQLDatabase) async throws -> [UUID] {
        try await sql.select().column("id").from("users").where("provider_id", .equal, providerID)
            .where("role", .equal, Role.provider.rawValue).where("is_active", .equal, true).orderBy("id").all()
            .map { try $0.decode(column: "id", as: UUID.self) }
    }
}
