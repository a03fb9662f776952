import Domain
import Fluent
import Foundation
import Vapor

/// A parent moves a child to another group (another provider) mid-year: one confirmation, with the new split shown
/// first (`TransferRules`). The old contract gets notice (it ends at the end of this month and releases the later
/// months at once), then the application for the new group is made from the first day of the next month with the money
/// that came back.
///
/// The two steps are two transactions (the application goes through the enrollment writer of this database). Every
/// check of the application is made with the released money before the notice; what can still fail afterwards is a
/// race for the last place, and then the parent is told so and the old contract keeps its notice.
struct Transfers: Sendable {
    let store: Store
    let reader: EnrollmentReader
    let steps: ContractSteps
    let applications: ApplicationService
    let clock: AppClock

    struct Plan: Sendable {
        let old: ContractModel
        let rule: TransferRules.Plan
        let group: GroupModel
        let end: LocalDate?
        let quote: ContractArithmetic.Quote?
        let refusal: Refusal?
    }

    func plan(contractID: UUID, groupID: UUID, by p: Principal) async throws -> Plan {
        guard p.role == .parent, let old = try await ContractModel.find(contractID, on: store.db), old.familyID == p.userID else {
            throw Abort(.notFound)
        }
        guard let group = try await GroupModel.find(groupID, on: store.db),
              let reading = try await reader.read(group: groupID, child: old.childID, on: store.sql) else { throw Abort(.notFound) }
        let now = clock.now()
        let today = ReferenceData.localDate(region: old.regionCode, at: now)
        guard let start = LocalDate(iso: old.startsOn), let end = LocalDate(iso: old.endsOn) else { throw Abort(.internalServerError) }
        let rule = TransferRules.plan(start: start, end: end, parts: old.parts, today: today)
        if let r = TransferRules.refusal(status: old.status, sameGroup: old.groupID == groupID) {
            return Plan(old: old, rule: rule, group: group, end: nil, quote: nil, refusal: r)
        }
        let facts = reading.facts(start: rule.newStart, today: today)
        switch EnrollmentRules.check(facts) {
        case .failure(let r):
            return Plan(old: old, rule: rule, group: group, end: nil, quote: nil, refusal: r)
        case .success(let newEnd):
            // The released money is in the same period when the new contract's period is the old one's.
            let extra = reading.child.period?.id == old.periodID && reading.group.funding == .certificate ? rule.released : 0
            let quote = try? reading.quote(start: rule.newStart, end: newEnd, extra: extra).get()
            return Plan(old: old, rule: rule, group: group, end: newEnd, quote: quote, refusal: nil)
        }
    }

    /// Gives notice on the old contract and applies for the new group. The new application, or the refusal.
    func transfer(contractID: UUID, groupID: UUID, by p: Principal) async throws -> (old: ContractModel, new: ContractRow) {
        let plan = try await plan(contractID: contractID, groupID: groupID, by: p)
        if let r = plan.refusal { throw r }
        if WriteRules.freePlaces(taken: plan.group.taken, capacity: plan.group.capacity) <= 0 {
            throw Refusal("group_full", field: "group", "В группе нет свободных мест: встаньте в очередь, договор останется в силе.")
        }
        let old = try await steps.step(contractID, .notice, by: p)
        do {
            let new = try await applications.apply(.init(childID: plan.old.childID, family: p.userID, groupID: groupID, start: plan.rule.newStart))
            return (old, new)
        } catch let r as Refusal {
            throw Refusal(r.code, field: r.field,
                          "Договор \(plan.old.number) расторгается с \(plan.rule.oldEnd?.russian ?? "начала"), но заявка в новую группу не подана: \(r.message)",
                          kind: r.kind)
        }
    }
}
