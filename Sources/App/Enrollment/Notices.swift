import Domain
import Foundation

/// A notification to one or more users, written in the transaction of the step that causes it.
struct Notice: Sendable {
    let users: [UUID]
    let kind: NotificationKind
    let text: String
    let link: String?

    /// A row per recipient, each recipient once, in the order given.
    func rows(at now: Date, ids: IDGenerator) -> [NotificationRow] {
        var seen = Set<UUID>()
        return users.filter { seen.insert($0).inserted }.map {
            NotificationRow(id: ids.next(), userID: $0, kind: kind, text: text, link: link, createdAt: now)
        }
    }

    static func rows(_ notices: [Notice], at now: Date, ids: IDGenerator) -> [NotificationRow] {
        notices.flatMap { $0.rows(at: now, ids: ids) }
    }
}

/// The words of the enrollment's notifications: who is told what at each step (pure).
enum EnrollmentNotices {
    /// «Д-1A2B3C4D на «Шахматы» (Матвей)»: how a step names the contract.
    static func what(_ number: String, program: String, child: String) -> String { "\(number) на «\(program)» (\(child))" }

    static func due(_ date: Date?, region: String) -> String {
        date.map { ReferenceData.localDate(region: region, at: $0).russian } ?? "—"
    }

    /// A new contract: an application (staff and family told), or an offer from the waiting list.
    static func created(_ k: ContractRow, origin: ContractOrigin, reading r: ApplicationReading) -> [Notice] {
        let due = due(k.answerDue, region: k.regionCode)
        let c = r.child, g = r.group
        switch origin {
        case .application:
            return [Notice(users: g.staff, kind: .applicationReceived,
                           text: "Новая заявка \(k.number): \(c.fullName), «\(g.programName)», группа «\(g.name)». Ответьте до \(due).",
                           link: SiteRoute.providerApplication(k.id).url),
                    Notice(users: [c.familyID], kind: .applicationSent,
                           text: "Заявка \(k.number) на «\(g.programName)» (\(c.name)) подана. Поставщик ответит до \(due).",
                           link: SiteRoute.familyApplication(k.id).url)]
        case .waitingList:
            return [Notice(users: [c.familyID], kind: .offerReceived,
                           text: "Освободилось место в группе «\(g.name)» программы «\(g.programName)» для ребёнка \(c.name): примите предложение до \(due).",
                           link: SiteRoute.familyApplication(k.id).url),
                    Notice(users: g.staff, kind: .offerReceived,
                           text: "Место в группе «\(g.name)» предложено первому в очереди: \(c.fullName) (\(k.number)).",
                           link: SiteRoute.providerApplication(k.id).url)]
        case .prolongation:
            return []
        }
    }

    /// What a step of the lifecycle tells whom. `what` names the contract; `staff`: the provider's active staff.
    static func step(_ t: ContractTransition, by actor: Actor, contract c: ContractModel, what: String, staff: [UUID], region: String) -> [Notice] {
        let id = c.id!
        let family = SiteRoute.familyApplication(id).url, provider = SiteRoute.providerApplication(id).url
        switch (t.from, t.to) {
        case (.applied, .offered):
            return [Notice(users: [c.familyID], kind: .offerReceived,
                           text: "Поставщик принял заявку \(what) и направил оферту. Примите её до \(due(c.answerDue, region: region)).", link: family)]
        case (_, .rejected):
            return [Notice(users: [c.familyID], kind: .applicationRejected, text: "Заявка \(what) отклонена: \(t.reason ?? "")", link: family)]
        case (_, .withdrawn):
            return [Notice(users: staff, kind: .applicationWithdrawn, text: "Родитель отозвал заявку \(what).", link: provider)]
        case (.offered, .active):
            return [Notice(users: staff, kind: .contractActive, text: "Договор \(what) заключён: родитель принял оферту.", link: provider)]
        case (_, .expired):
            return [Notice(users: [c.familyID] + staff, kind: .applicationExpired,
                           text: "Срок ответа по заявке \(what) истёк: заявка закрыта, средства сертификата возвращены.", link: nil)]
        case (.active, .terminating), (.active, .terminated):
            // Notice (ending with its month, or before the first day); the sweep's end and the rollover tell nobody.
            guard actor != .system, let end = t.endsOn else { return [] }
            let parent = actor == .parent
            let endText = t.to == .terminating ? "последний день — \(end.russian)" : "до начала занятий"
            return [Notice(users: parent ? staff : [c.familyID], kind: .contractNotice,
                           text: "\(parent ? "Родитель" : "Поставщик") расторгает договор \(what): \(endText).", link: parent ? provider : family)]
        default:
            return []
        }
    }

    /// A child of the waiting list who can no longer enroll when a place frees.
    static func waitlistDropped(family: UUID, group: String, reason: String) -> Notice {
        Notice(users: [family], kind: .waitlistDropped,
               text: "Освободилось место в группе «\(group)», но записать ребёнка нельзя: \(reason) Ребёнок исключён из очереди.",
               link: SiteRoute.familyApplications.url)
    }
}
