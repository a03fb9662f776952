import Domain
import Foundation

/// Turning a reading into an application ready to be written: the checks of §7, the free place, the §6 quote, the
/// contract row and its notifications. Pure: the time and the new ids are handed in.
enum ApplicationPreparation {
    static func prepare(_ r: ApplicationReading, start: LocalDate?, origin: ContractOrigin, today: LocalDate, now: Date,
                        ids: IDGenerator) throws -> PreparedApplication {
        guard let certificate = r.child.certificate else {
            throw Refusal("certificate_not_active", field: "child", "У ребёнка нет сертификата дополнительного образования: сначала оформите его.")
        }
        let facts = r.facts(start: start, today: today)
        let end = try EnrollmentRules.check(facts).get()
        guard let period = r.child.period else { throw Refusal("no_period", field: "start", "В муниципалитете не открыт период: запись временно невозможна.", kind: .invalid) }
        guard WriteRules.freePlaces(taken: r.group.taken, capacity: r.group.capacity) > 0 else {
            throw Refusal("group_full", field: "group", "В группе нет свободных мест. Можно встать в очередь: когда место освободится, вы получите предложение.")
        }
        let quote: ContractArithmetic.Quote
        switch r.quote(start: facts.start, end: end) {
        case .success(let q): quote = q
        case .failure(let e): throw Refusal("invalid_start", field: "start", e.refusals.map(\.message).joined(separator: " "), kind: .invalid)
        }
        let (status, due) = ContractLifecycle.start(origin, now: now)
        var k = ContractRow(
            id: ids.next(), regionCode: certificate.regionCode, municipalityID: certificate.municipalityID, providerID: r.group.providerID,
            programID: r.group.programID, moduleID: r.group.moduleID, groupID: r.group.id, childID: r.child.id, familyID: r.child.familyID,
            certificateID: certificate.id, periodID: period.id, funding: r.group.funding, status: status, startsOn: "", endsOn: "",
            plannedEndsOn: "", fullAmount: 0, certificateAmount: 0, parentAmount: 0, months: "", answerDue: due,
            fromWaitlist: origin == .waitingList, createdAt: now, offeredAt: status == .offered ? now : nil,
            activatedAt: status == .active ? now : nil, previousID: nil)
        k.setTerms(start: facts.start, end: end, quote: quote)
        let notices = EnrollmentNotices.created(k, origin: origin, reading: r)
        return PreparedApplication(contract: k, requireFinancing: r.group.funding == .certificate, holdEntryID: ids.next(),
                                   holdNote: "Заявка \(k.number)", notices: Notice.rows(notices, at: now, ids: ids))
    }
}
