import Domain
import Fluent
import Foundation
import SQLKit

/// The invariants of enrollment (`navigator verify`, with the ledger's): a group's taken places are its live
/// contracts and never more than its capacity; a live or finished contract holds exactly its months (minus what
/// notice released); a closed application holds nothing; a child has at most one live contract per module.
struct EnrollmentVerifier: Sendable {
    func verify(on db: any Database) async throws -> (checked: Int, problems: [String]) {
        var problems: [String] = []
        var counts: [UUID: Int] = [:]
        let contracts = try await ContractModel.query(on: db).all()
        var holds: [UUID: ContractHold] = [:]
        for r in try await db.sql.select().columns("contract_id", "held", "released", "charged", "corrected").from("ledger_contracts").all() {
            holds[try r.decode(column: "contract_id", as: UUID.self)] = ContractHold(
                held: try r.decode(column: "held", as: Int64.self), released: try r.decode(column: "released", as: Int64.self),
                charged: try r.decode(column: "charged", as: Int64.self), corrected: try r.decode(column: "corrected", as: Int64.self))
        }
        var liveByChildModule: [String: Int] = [:]
        for c in contracts {
            let id = c.id!
            if c.status.isLive {
                counts[c.groupID, default: 0] += 1
                liveByChildModule["\(c.childID)/\(c.moduleID)", default: 0] += 1
            }
            let parts = c.parts
            if parts.reduce(0, { $0 + $1.certificate }) != c.certificateAmount || parts.reduce(0, { $0 + $1.parent }) != c.parentAmount {
                problems.append("contract \(id): the months do not add up to its amounts")
            }
            let h = holds[id] ?? ContractHold()
            if h.held != c.certificateAmount {
                problems.append("contract \(id): held \(h.held), its certificate part is \(c.certificateAmount)")
            }
            let kept = h.held - h.released
            switch c.status {
            case .applied, .offered, .active:
                if kept != c.certificateAmount { problems.append("contract \(id) (\(c.status.rawValue)): keeps \(kept) of \(c.certificateAmount)") }
            case .terminating, .terminated:
                // Notice released the months after its month; a contract that ran to its end keeps them all.
                var expected = c.certificateAmount
                if let at = c.noticeAt, let s = LocalDate(iso: c.startsOn), let e = LocalDate(iso: c.plannedEndsOn) {
                    let end = EnrollmentRules.noticeEnd(day: ReferenceData.localDate(region: c.regionCode, at: at), start: s, end: e)
                    expected -= EnrollmentRules.released(months: parts, end: end)
                }
                if kept != expected { problems.append("contract \(id) (\(c.status.rawValue)): keeps \(kept), its months to \(c.endsOn) are \(expected)") }
            case .rejected, .withdrawn, .expired:
                if kept != 0 { problems.append("contract \(id) (\(c.status.rawValue)): still keeps \(kept)") }
            }
        }
        for (key, n) in liveByChildModule where n > 1 {
            problems.append("child/module \(key): \(n) live applications or contracts")
        }
        for g in try await GroupModel.query(on: db).all() {
            let n = counts[g.id!] ?? 0
            if g.taken != n { problems.append("group \(g.id!): taken \(g.taken), live contracts \(n)") }
            if n > g.capacity { problems.append("group \(g.id!): \(n) live contracts over capacity \(g.capacity)") }
        }
        return (contracts.count, problems)
    }
}
