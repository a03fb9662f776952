import Domain
import Fluent
import Foundation
import SQLKit
import Vapor

/// The waiting lists of full groups (domain §7): children wait in the order of their applications; a place that
/// frees goes, in the same transaction, to the first child as an offer with a deadline.
struct WaitingLists: Sendable {
    let store: Store
    let reader: EnrollmentReader
    let clock: AppClock
    let ids: IDGenerator

    /// Gives the free places of a group (locked by the caller) to its list in order: each child gets an offer — the
    /// same write as an application, in a savepoint — or, when it can no longer enroll (certificate, age, balance),
    /// leaves the list with the reason. The notices of those who left (the offers' own are written with them).
    func promote(groupID: UUID, on tx: any Database) async throws -> [Notice] {
        var notices: [Notice] = []
        while true {
            guard let group = try await GroupModel.find(groupID, on: tx), WriteRules.freePlaces(taken: group.taken, capacity: group.capacity) > 0,
                  let next = try await WaitlistModel.query(on: tx).filter(\.$groupID == groupID).filter(\.$status == .waiting)
                      .sort(\.$seq).first() else { return notices }
            let now = clock.now()
            let today = ReferenceData.localDate(region: group.regionCode, at: now)
            let start = max(LocalDate(iso: next.startsOn) ?? today,
                            EnrollmentRules.defaultStart(groupStart: LocalDate(iso: group.startsOn) ?? today, today: today))
            do {
                guard let reading = try await reader.read(group: groupID, child: next.childID, on: tx.sql) else {
                    throw Refusal("group_not_found", field: "group", "Группа не найдена.")
                }
                let p = try ApplicationPreparation.prepare(reading, start: start, origin: .waitingList, today: today, now: now, ids: ids)
                try await tx.sql.raw("SAVEPOINT waitlist_offer").run()
                do {
                    try await StatementWrite.write(p, place: .take, on: tx.sql)
                    try await tx.sql.raw("RELEASE SAVEPOINT waitlist_offer").run()
                } catch {
                    try await tx.sql.raw("ROLLBACK TO SAVEPOINT waitlist_offer").run()
                    try await tx.sql.raw("RELEASE SAVEPOINT waitlist_offer").run()
                    if error is WriteChanged || LedgerService.isUniqueViolation(error) {
                        throw Refusal("changed", field: "child", "Сертификат ребёнка сейчас нельзя использовать.")
                    }
                    throw error
                }
                next.status = try WaitlistLifecycle.next(next.status, .offer, by: .system).get()
                next.contractID = p.contract.id
                try await next.save(on: tx)
            } catch let refusal as Refusal {
                next.status = try WaitlistLifecycle.next(next.status, .drop, by: .system).get()
                next.reason = refusal.message
                try await next.save(on: tx)
                notices.append(EnrollmentNotices.waitlistDropped(family: next.familyID, group: group.name, reason: refusal.message))
            }
        }
    }

    /// Puts a child on the waiting list of a full group (the same checks as an application, except the place).
    func join(child: ChildModel, plan: EnrollmentPlan) async throws -> WaitlistModel {
        if let r = plan.refusal { throw r }
        guard plan.full else {
            throw Refusal("group_not_full", field: "group", "В группе есть свободные места: подайте заявку, очередь не нужна.")
        }
        let groupID = try plan.group.requireID()
        let entry = WaitlistModel()
        do {
            try await store.write { tx in
                try await tx.sql.lockRow("program_groups", id: groupID)
                let last = try await WaitlistModel.query(on: tx).filter(\.$groupID == groupID).sort(\.$seq, .descending).first()?.seq ?? 0
                entry.id = ids.next()
                entry.groupID = groupID
                entry.regionCode = child.regionCode
                entry.municipalityID = child.municipalityID
                entry.providerID = plan.group.providerID
                entry.childID = try child.requireID()
                entry.familyID = child.familyID
                entry.startsOn = plan.start.iso
                entry.status = .waiting
                entry.seq = last + 1
                entry.createdAt = clock.now()
                try await entry.create(on: tx)
                // A place may have freed meanwhile: the list moves at once.
                let notices = try await promote(groupID: groupID, on: tx)
                try await StatementWrite.insert(Notice.rows(notices, at: clock.now(), ids: ids), on: tx.sql)
            }
        } catch let e where LedgerService.isUniqueViolation(e) {
            throw Refusal("duplicate", field: "group", "Ребёнок уже стоит в очереди в эту группу.")
        }
        return try await WaitlistModel.find(entry.id, on: store.db) ?? entry
    }

    func leave(_ entry: WaitlistModel, by principal: Principal) async throws {
        entry.status = try WaitlistLifecycle.next(entry.status, .leave, by: Actor(principal)).get()
        try await entry.save(on: store.db)
    }

    /// The place in the list (1 = next to get an offer).
    func position(_ entry: WaitlistModel, on db: any Database) async throws -> Int? {
        guard entry.status == .waiting else { return nil }
        return try await WaitlistModel.query(on: db).filter(\.$groupID == entry.groupID).filter(\.$status == .waiting)
            .filter(\.$seq < entry.seq).count() + 1
    }
}
