import Domain
import Fluent
import Foundation
import SQLKit
import Vapor

/// The prolongation of contracts at the period rollover (domain §7): when the next period opens, every active
/// contract whose group goes on is followed by a new contract for that period, linked to the previous one and held
/// from the new grant. The parent is told beforehand (the sweep, `announceDays` before the next period starts) and
/// may decline; silence means yes. Where the new balance does not cover what the certificate paid for, the parent's
/// part grows and the new contract waits as an offer for the parent's explicit acceptance.
struct Prolongations: Sendable {
    let store: Store
    let reader: EnrollmentReader
    let notifications: NotificationService
    let clock: AppClock
    let ids: IDGenerator

    /// How many days before the next period the parents are told.
    static let announceDays = 30

    struct Result: Sendable, Equatable {
        var considered = 0
        /// New contracts in force.
        var prolonged = 0
        /// New contracts waiting for the parent's acceptance (the parent's part grew).
        var awaitingConsent = 0
        /// Not prolonged: declined by the parent, or the rules no longer allow it (the reason is told).
        var declined = 0
        var skipped = 0
    }

    /// Whether the contract goes into the next period when nobody declines: it is active and runs to the end of its
    /// period, and its group goes on after it.
    static func prolongable(_ c: ContractModel, periodEnd: String, groupEnd: String) -> Bool {
        c.endsOn == periodEnd && goesOn(c, groupEnd: groupEnd)
    }

    /// Active, its group goes on after its last day, and the rollover has not dealt with it yet.
    static func goesOn(_ c: ContractModel, groupEnd: String) -> Bool {
        c.status == .active && groupEnd > c.endsOn && c.prolongation?.isSettled != true
    }

    /// The period that ended right before `current` among a municipality's `periods`.
    static func periodBefore(_ current: PeriodModel, in periods: [PeriodModel]) -> PeriodModel? {
        periods.filter { $0.status == .closed && $0.endsOn < current.startsOn }.max { $0.endsOn < $1.endsOn }
    }

    /// Whether the municipality has defined its next period (only then is anything prolonged).
    static func nextPeriodDefined(_ municipalityID: UUID, on db: any Database) async throws -> Bool {
        try await PeriodModel.query(on: db).filter(\.$municipalityID == municipalityID).filter(\.$status == .next).first() != nil
    }

    /// How the contracts of a period that end with it and whose groups go on stand towards the rollover.
    struct Counts: Sendable, Equatable {
        var pending = 0
        var declined = 0
        var done = 0
        var skipped = 0
    }

    func counts(_ period: PeriodModel, on sql: any SQLDatabase) async throws -> Counts {
        var out = Counts()
        let rows = try await sql.rows("""
            SELECT k.prolongation AS p, k.status AS s, COUNT(*) AS n FROM contracts k JOIN program_groups g ON g.id = k.group_id
            WHERE k.period_id = $1 AND k.ends_on = $2 AND g.ends_on > $2 AND k.status IN \([ContractStatus.active, .terminated].sqlList)
            GROUP BY k.prolongation, k.status
            """, [try period.requireID(), period.endsOn])
        for r in rows {
            let mark = try r.decode(column: "p", as: String?.self).flatMap(ProlongationMark.init(rawValue:))
            let status = ContractStatus(rawValue: try r.decode(column: "s", as: String.self))
            let n = try r.decode(column: "n", as: Int.self)
            switch mark {
            case .done: out.done += n
            case .skipped: out.skipped += n
            case .declined: out.declined += n
            case .notified, nil: if status == .active { out.pending += n }
            }
        }
        return out
    }

    /// The parent declines the prolongation (`prolong` false) or takes the refusal back (true).
    @discardableResult
    func choose(_ contractID: UUID, prolong: Bool, by principal: Principal) async throws -> ContractModel {
        try await store.write { tx in
            try await tx.sql.lockRow("contracts", id: contractID)
            guard let c = try await ContractModel.find(contractID, on: tx), AccessPolicy.allows(principal, .write, c.resourceScope) else {
                throw Abort(.notFound)
            }
            let mark = try ProlongationLifecycle.next(c.prolongation, .choose(prolong: prolong), by: Actor(principal), ()).get()
            guard let period = try await PeriodModel.find(c.periodID, on: tx), let group = try await GroupModel.find(c.groupID, on: tx),
                  Self.prolongable(c, periodEnd: period.endsOn, groupEnd: group.endsOn), period.status == .current else {
                throw Refusal("not_prolongable", "Продлить можно только действующий договор, который заканчивается вместе с периодом, когда занятия группы продолжаются после него.")
            }
            guard try await Self.nextPeriodDefined(c.municipalityID, on: tx) else {
                throw Refusal("no_next_period", "Муниципалитет ещё не задал следующий период: договор закончится вместе с текущим, продлевать пока некуда.")
            }
            guard mark != c.prolongation else { return c }  // nothing changes
            c.prolongation = mark
            try await c.save(on: tx)
            let staff = try await ContractSteps.staff(of: c.providerID, on: tx.sql)
            let program = try await ProgramModel.find(c.programID, on: tx)?.name ?? ""
            let text = prolong
                ? "Родитель передумал и согласен на продление договора \(c.number) («\(program)») на следующий период."
                : "Родитель отказался от продления договора \(c.number) («\(program)»): договор закончится \(LocalDate(iso: c.endsOn)?.russian ?? c.endsOn)."
            let notice = Notice(users: staff, kind: .prolongation, text: text, link: SiteRoute.providerApplication(contractID).url)
            try await StatementWrite.insert(notice.rows(at: clock.now(), ids: ids), on: tx.sql)
            return c
        }
    }

    /// Tells the parents of contracts that will be prolonged, once, when the next period starts within `announceDays`.
    /// Returns how many were told.
    func announce() async throws -> Int {
        let db = store.db
        let now = clock.now()
        var told = 0
        for next in try await PeriodModel.query(on: db).filter(\.$status == .next).all() {
            guard let current = try await PeriodModel.query(on: db).filter(\.$municipalityID == next.municipalityID)
                .filter(\.$status == .current).first(),
                  let start = LocalDate(iso: next.startsOn) else { continue }
            let m = try await MunicipalityModel.find(next.municipalityID, on: db)
            let today = ReferenceData.localDate(region: m?.regionCode ?? "42", at: now)
            guard today.adding(days: Self.announceDays) >= start else { continue }
            let contracts = try await ContractModel.query(on: db).filter(\.$periodID == current.requireID())
                .filter(\.$status == .active).filter(\.$endsOn == current.endsOn).filter(\.$prolongation == nil)
                .sort(\.$createdAt).sort(\.$id).all()
            for c in contracts {
                guard let group = try await GroupModel.find(c.groupID, on: db),
                      Self.prolongable(c, periodEnd: current.endsOn, groupEnd: group.endsOn),
                      let mark = try? ProlongationLifecycle.next(c.prolongation, .announce, by: .system, ()).get() else { continue }
                let program = try await ProgramModel.find(c.programID, on: db)?.name ?? ""
                let child = try await ChildModel.find(c.childID, on: db)?.name ?? ""
                do {
                    try await notifications.notify(c.familyID, .prolongation,
                        "Договор \(c.number) («\(program)», \(child)) будет продлён на следующий период с \(start.russian). Если продление не нужно, откажитесь от него в карточке договора до \(LocalDate(iso: current.endsOn)?.russian ?? current.endsOn).",
                        link: SiteRoute.familyApplication(c.requireID()).url, dedupe: "prolong-notice:\(c.requireID())", on: db)
                } catch let e where LedgerService.isUniqueViolation(e) {
                    // Another instance's sweep told the family at the same moment.
                }
                try await ContractModel.query(on: db).filter(\.$id == c.requireID()).filter(\.$prolongation == nil)
                    .set(\.$prolongation, to: mark).update()
                told += 1
            }
        }
        return told
    }

    /// Prolongs the contracts of the period before the municipality's current one into it. Safe to run again (a
    /// contract is prolonged at most once: the link is unique) and after an interruption.
    func prolong(municipalityID: UUID, progress: ((Int, Int) -> Void)? = nil) async throws -> Result {
        var result = Result()
        let db = store.db
        let periods = try await PeriodModel.query(on: db).filter(\.$municipalityID == municipalityID).all()
        guard let current = periods.first(where: { $0.status == .current }), let previous = Self.periodBefore(current, in: periods) else {
            return result
        }
        let candidates = try await ContractModel.query(on: db).filter(\.$periodID == previous.requireID())
            .filter(\.$status == .active).filter(\.$endsOn == previous.endsOn).sort(\.$createdAt).sort(\.$id).all()
        for (i, c) in candidates.enumerated() {
            var attempt = 0
            while true {
                do {
                    switch try await prolongOne(c.requireID(), from: previous, into: current) {
                    case .prolonged: result.prolonged += 1
                    case .awaitingConsent: result.awaitingConsent += 1
                    case .declined: result.declined += 1
                    case .skipped: result.skipped += 1
                    case .notApplicable: break
                    }
                    break
                } catch is WriteChanged where attempt < 3 {
                    attempt += 1
                }
            }
            result.considered += 1
            progress?(i + 1, candidates.count)
        }
        return result
    }

    enum Outcome { case prolonged, awaitingConsent, declined, skipped, notApplicable }

    private func prolongOne(_ id: UUID, from previous: PeriodModel, into current: PeriodModel) async throws -> Outcome {
        try await store.write { tx -> Outcome in
            try await tx.sql.lockRow("contracts", id: id)
            guard let c = try await ContractModel.find(id, on: tx), c.periodID == previous.id,
                  let group = try await GroupModel.find(c.groupID, on: tx),
                  Self.prolongable(c, periodEnd: previous.endsOn, groupEnd: group.endsOn) else { return .notApplicable }
            if c.prolongation == .declined { return .declined }
            let now = clock.now()
            let program = try await ProgramModel.find(c.programID, on: tx)?.name ?? ""
            let staff = try await ContractSteps.staff(of: c.providerID, on: tx.sql)
            let endText = LocalDate(iso: c.endsOn)?.russian ?? c.endsOn
            try await tx.sql.lockRow("program_groups", id: c.groupID)
            // A contract the rollover leaves alone is marked, so that the sweep ends it after its last day.
            func skip(_ reason: String) async throws -> Outcome {
                c.prolongation = try ProlongationLifecycle.next(c.prolongation, .skip, by: .system, ()).get()
                try await c.save(on: tx)
                let notices = [Notice(users: [c.familyID], kind: .prolongation,
                                      text: "Договор \(c.number) («\(program)») не продлён на новый период: \(reason) Он закончился \(endText).",
                                      link: SiteRoute.familyApplication(id).url),
                               Notice(users: staff, kind: .prolongation, text: "Договор \(c.number) («\(program)») не продлён на новый период: \(reason)",
                                      link: SiteRoute.providerApplication(id).url)]
                try await StatementWrite.insert(Notice.rows(notices, at: now, ids: ids), on: tx.sql)
                return .skipped
            }
            guard let r = try await reader.read(group: c.groupID, child: c.childID, on: tx.sql) else {
                return try await skip("группа или ребёнок не найдены.")
            }
            let start = LocalDate(iso: current.startsOn)!
            var facts = r.facts(start: start, today: ReferenceData.localDate(region: c.regionCode, at: now))
            if r.child.certificate?.id != c.certificateID { facts.certificateStatus = .closed }
            let end: LocalDate
            switch EnrollmentRules.prolongation(facts) {
            case .success(let e): end = e
            case .failure(let refusal): return try await skip(refusal.message)
            }
            let quote: ContractArithmetic.Quote
            switch r.quote(start: start, end: end) {
            case .success(let q): quote = q
            case .failure(let e): return try await skip(e.refusals.map(\.message).joined(separator: " "))
            }
            let consent = EnrollmentRules.prolongationNeedsConsent(funding: r.group.funding, quote: quote)
            // The old contract is over (its period is closed); its place goes to the new one.
            let t = try ContractLifecycle.next(c.status, .prolong, by: .system,
                                               ContractContext(now: now, today: start, answerDue: c.answerDue, start: start, end: end)).get()
            c.status = t.to
            c.closedAt = now
            c.prolongation = try ProlongationLifecycle.next(c.prolongation, .carry, by: .system, ()).get()
            try await c.save(on: tx)
            let (status, due) = ContractLifecycle.start(.prolongation(consent: consent), now: now)
            var k = ContractRow(
                id: ids.next(), regionCode: c.regionCode, municipalityID: c.municipalityID, providerID: c.providerID, programID: c.programID,
                moduleID: c.moduleID, groupID: c.groupID, childID: c.childID, familyID: c.familyID, certificateID: c.certificateID,
                periodID: try current.requireID(), funding: r.group.funding, status: status, startsOn: "", endsOn: "", plannedEndsOn: "",
                fullAmount: 0, certificateAmount: 0, parentAmount: 0, months: "", answerDue: due, fromWaitlist: false, createdAt: now,
                offeredAt: status == .offered ? now : nil, activatedAt: status == .active ? now : nil, previousID: id)
            k.setTerms(start: start, end: end, quote: quote)
            let split = "сертификат оплачивает \(quote.certificate.formatted), вы — \(quote.parent.formatted)"
            let dueText = EnrollmentNotices.due(k.answerDue, region: k.regionCode)
            let familyText = consent
                ? "Договор \(c.number) («\(program)») продлевается договором \(k.number) с \(start.russian) по \(end.russian), но остатка сертификата не хватает: \(split). Подтвердите продление до \(dueText), иначе место освободится."
                : "Договор \(c.number) («\(program)») продлён: новый договор \(k.number) с \(start.russian) по \(end.russian), \(split)."
            let notices = [Notice(users: [c.familyID], kind: .prolongation, text: familyText, link: SiteRoute.familyApplication(k.id).url),
                           Notice(users: staff, kind: .prolongation,
                                  text: "Договор \(c.number) («\(program)») продлён договором \(k.number) на новый период" + (consent ? ": ждёт подтверждения родителя." : "."),
                                  link: SiteRoute.providerApplication(k.id).url)]
            let p = PreparedApplication(contract: k, requireFinancing: r.group.funding == .certificate, holdEntryID: ids.next(),
                                        holdNote: "Продление договора \(c.number)", notices: Notice.rows(notices, at: now, ids: ids))
            try await StatementWrite.write(p, place: .inherited, on: tx.sql)
            return consent ? .awaitingConsent : .prolonged
        }
    }
}
