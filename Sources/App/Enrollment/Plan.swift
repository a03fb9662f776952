import Domain
import Fluent
import Foundation
import Vapor

/// What a parent sees before applying: the same reading, checks and arithmetic as the application, nothing written.
struct EnrollmentPlan: Sendable {
    let group: GroupModel
    let start: LocalDate
    let end: LocalDate?
    let balance: Int64
    let quote: ContractArithmetic.Quote?
    let refusal: Refusal?
    let full: Bool
    /// Groups the child attends or applied to whose lessons overlap this group's.
    let overlaps: [String]
}

extension EnrollmentReader {
    /// The quote and the checks for `child` in `group` from `start` (default: the group's start or today).
    func plan(child: ChildModel, groupID: UUID, start: LocalDate?, now: Date, on db: any Database) async throws -> EnrollmentPlan {
        guard let group = try await GroupModel.find(groupID, on: db),
              let r = try await read(group: groupID, child: child.requireID(), on: db.sql) else { throw Abort(.notFound) }
        let facts = r.facts(start: start, today: ReferenceData.localDate(region: r.regionCode, at: now))
        var end: LocalDate? = nil
        var refusal: Refusal? = nil
        switch EnrollmentRules.check(facts) {
        case .success(let e): end = e
        case .failure(let e): refusal = e
        }
        let quote = end.flatMap { try? r.quote(start: facts.start, end: $0).get() }
        return EnrollmentPlan(group: group, start: facts.start, end: end, balance: r.balance, quote: quote, refusal: refusal,
                              full: WriteRules.freePlaces(taken: r.group.taken, capacity: r.group.capacity) <= 0,
                              overlaps: try await overlaps(child: child.requireID(), group: group, on: db))
    }

    /// Names of the child's live groups whose lessons overlap `group`'s.
    func overlaps(child: UUID, group: GroupModel, on db: any Database) async throws -> [String] {
        let mine = group.slots
        let others = try await ContractModel.query(on: db).filter(\.$childID == child).filter(\.$status ~~ ContractStatus.live)
            .filter(\.$groupID != group.requireID()).all()
        var out: [String] = []
        for c in others {
            guard let g = try await GroupModel.find(c.groupID, on: db), EnrollmentRules.overlaps(mine, g.slots) else { continue }
            let program = try await ProgramModel.find(g.programID, on: db)
            out.append("«\(program?.name ?? "")», группа «\(g.name)» (\(ScheduleSlot.text(g.slots)))")
        }
        return out
    }
}
