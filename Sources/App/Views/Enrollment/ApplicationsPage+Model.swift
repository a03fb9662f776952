import Domain
import Foundation

/// The family's applications, contracts and waiting lists (`/family/applications`).
enum FamilyApplicationsPage {
    struct Model: Sendable {
        let contracts: [ContractModel]
        let waitlist: [WaitlistModel]
        let positions: [UUID: Int]
        let names: EnrollmentViews.Names
    }

    static func context(_ m: Model, notice: String?, layout: LayoutContext) -> CabinetPage {
        let n = m.names, link: (UUID) -> String = { SiteRoute.familyApplication($0).url }
        var waitRows: [[Cell]] = []
        var leaveForms: [FormBlock] = []
        for e in m.waitlist {
            let state = switch e.status {
            case .waiting: "в очереди, место № \(m.positions[e.id!].map(String.init) ?? "—")"
            case .offered: "получено предложение"
            default: "исключён из очереди" + (e.reason.map { ": \($0)" } ?? "")
            }
            waitRows.append([Cell(n.children[e.childID] ?? "—"), Cell(n.groups[e.groupID] ?? "—"), Cell(state)])
            if e.status == .waiting {
                leaveForms.append(FormBlock(id: "leave-\(e.id!.lowercasedString.prefix(8))", action: SiteRoute.familyWaitlistLeave(e.id!).url,
                                            submit: "Покинуть очередь: \(n.children[e.childID] ?? ""), «\(n.groups[e.groupID] ?? "")»"))
            }
        }
        var page = CabinetPage(
            layout: layout, heading: "Заявки и договоры",
            lead: "Заявки, оферты и договоры ваших детей: статус, сроки ответа и оплата по месяцам. Записаться можно со страницы программы в каталоге.",
            sections: [
                Section(heading: "Действующие заявки и договоры",
                        tables: [Table(caption: "Заявки и договоры", headers: EnrollmentViews.contractHeaders,
                                       rows: EnrollmentViews.contractRows(m.contracts.filter { $0.status.isLive }, n, link: link), empty: "Заявок пока нет.")],
                        links: [Cell("Найти программу в каталоге", href: SiteRoute.catalog(query: nil).url)]),
                Section(heading: "Очереди", tables: [Table(caption: "Очереди в группы", headers: ["Ребёнок", "Группа", "Положение"], rows: waitRows,
                                                           empty: "Ребёнок не стоит ни в одной очереди.")], forms: leaveForms),
                Section(heading: "Завершённые и закрытые",
                        tables: [Table(caption: "Закрытые заявки и завершённые договоры", headers: EnrollmentViews.contractHeaders,
                                       rows: EnrollmentViews.contractRows(m.contracts.filter { !$0.status.isLive }, n, link: link), empty: "Нет.")]),
            ])
        page.notice = notice
        return page
    }
}

/// The provider's applications, offers, rosters and waiting lists (`/provider/applications`).
enum ProviderApplicationsPage {
    struct Model: Sendable {
        let contracts: [ContractModel]
        let waitlist: [WaitlistModel]
        let names: EnrollmentViews.Names
    }

    static func context(_ m: Model, layout: LayoutContext) -> CabinetPage {
        let n = m.names, link: (UUID) -> String = { SiteRoute.providerApplication($0).url }
        func rows(_ statuses: [ContractStatus]) -> [[Cell]] { EnrollmentViews.contractRows(m.contracts.filter { statuses.contains($0.status) }, n, link: link) }
        var position: [UUID: Int] = [:]
        let waitRows = m.waitlist.map { e -> [Cell] in
            position[e.groupID, default: 0] += 1
            return [Cell(n.groups[e.groupID] ?? "—"), Cell("\(position[e.groupID]!)"), Cell(n.children[e.childID] ?? "—"),
                    Cell(LocalDate(e.createdAt, in: EnrollmentViews.zone(e.regionCode)).russian)]
        }
        let headers = EnrollmentViews.contractHeaders
        return CabinetPage(
            layout: layout, heading: "Заявки и договоры",
            lead: "Ответьте на заявку в течение \(ContractLifecycle.providerAnswerDays) дней: примите (родителю уйдёт оферта) или отклоните с причиной. Иначе заявка закроется сама.",
            sections: [
                Section(heading: "Новые заявки", tables: [Table(caption: "Ждут ответа", headers: headers, rows: rows([.applied]), empty: "Новых заявок нет.")]),
                Section(heading: "Оферты у родителей", tables: [Table(caption: "Оферты, ждущие согласия родителя", headers: headers, rows: rows([.offered]), empty: "Нет.")]),
                Section(heading: "Списки групп", tables: [Table(caption: "Действующие договоры", headers: headers, rows: rows(ContractStatus.running),
                                                                empty: "Договоров пока нет.")]),
                Section(heading: "Очереди", tables: [Table(caption: "Очереди в заполненные группы", headers: ["Группа", "Место", "Ребёнок", "В очереди с"],
                                                           rows: waitRows, empty: "Очередей нет.")]),
                Section(heading: "Закрытые", tables: [Table(caption: "Отклонённые, отозванные, просроченные и завершённые", headers: headers,
                                                            rows: rows(ContractStatus.allCases.filter { !$0.isLive }), empty: "Нет.")]),
            ])
    }
}

/// Every contract in scope for the municipality, the operator and monitors (`/contracts`), read-only.
enum ContractsPage {
    struct Model: Sendable {
        let role: Role
        let status: ContractStatus?
        let contracts: [ContractModel]
        let names: EnrollmentViews.Names
    }

    static func context(_ m: Model, layout: LayoutContext) -> CabinetPage {
        let options = [FormBlock.Option(value: "", label: "все", selected: m.status == nil)] +
            ContractStatus.allCases.map { FormBlock.Option(value: $0.rawValue, label: $0.title, selected: $0 == m.status) }
        return CabinetPage(
            layout: layout, heading: "Заявки и договоры",
            lead: "Заявки и договоры детей \(m.role == .municipality ? "муниципалитета" : "в области доступа"): показаны последние 500.",
            sections: [Section(heading: "Список",
                               tables: [Table(caption: "Заявки и договоры", headers: EnrollmentViews.contractHeaders,
                                              rows: EnrollmentViews.contractRows(m.contracts, m.names, link: { SiteRoute.contract($0).url }),
                                              empty: "Нет заявок и договоров.")],
                               forms: [FormBlock(id: "filter", action: SiteRoute.contracts.url,
                                                 fields: [.init("status", "Статус", type: "select", options: options, formID: "filter")],
                                                 submit: "Показать", method: "get")])])
    }
}
