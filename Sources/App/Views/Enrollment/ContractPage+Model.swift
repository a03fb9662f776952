import Domain
import Foundation

/// One application or contract: its facts, what the viewer may do next, the group, the split and the offer's text.
/// The same page for the family, the provider and the readers (municipality, operator, monitor), with each side's
/// actions.
enum ContractPage {
    /// A closed month of the contract: its completeness, what the provider is paid, and its status.
    struct ClosedMonth: Sendable, Hashable {
        let completeness: Completeness
        let final: Int64
        let status: MonthClose.MonthStatus
    }

    struct Model: Sendable {
        let contract: ContractModel
        /// The closed months by «ГГГГ-ММ».
        let closed: [String: ClosedMonth]
        let disputes: [DisputeService.Dispute]
        let today: LocalDate
        let summary: EnrollmentViews.GroupSummary
        let programName: String
        let moduleName: String
        let groupName: String
        let providerName: String
        let providerINN: String
        let childName: String
        let certificateNumber: String?
        /// The contract of the next period that continues this one: its number and first day.
        let successor: (number: String, startsOn: String)?
        /// The coming rollover will prolong it unless the parent declines.
        let prolongable: Bool
    }

    /// Who looks: the family, the provider, or a reader.
    enum Side: Sendable { case family, provider, reader }

    /// What a finished step says on the page it returns to (`?done=`).
    static func doneText(_ done: String?) -> String? {
        switch done {
        case "applied": "Заявка подана: место в группе и средства сертификата зарезервированы. Поставщик ответит в течение \(ContractLifecycle.providerAnswerDays) дней."
        case "offer": "Оферта направлена родителю."
        case "reject": "Заявка отклонена, место и средства освобождены."
        case "withdraw": "Заявка закрыта, место и средства освобождены."
        case "accept": "Договор заключён."
        case "notice": "Договор расторгается: средства за следующие месяцы возвращены на сертификат."
        case "prolong": "Договор будет продлён на следующий период."
        case "decline": "Вы отказались от продления: договор закончится вместе с периодом."
        case "dispute": "Месяц оспорен: до решения муниципалитета он не оплачивается поставщику. Решение придёт в уведомлениях."
        default: nil
        }
    }

    static func context(_ m: Model, side: Side, done: String?, errors: [FieldError], layout: LayoutContext) -> CabinetPage {
        let c = m.contract, status = c.status, id = c.id!
        let z = EnrollmentViews.zone(c.regionCode), money = EnrollmentViews.money
        var facts = [Fact(label: "Статус", value: status.title), Fact(label: "Ребёнок", value: m.childName),
                     Fact(label: "Сертификат", value: "№ \(m.certificateNumber ?? "—")"),
                     Fact(label: "Срок договора", value: "с \(russian(c.startsOn)) по \(russian(c.endsOn))"),
                     Fact(label: "Стоимость", value: money(c.fullAmount)), Fact(label: "Оплачивает сертификат", value: money(c.certificateAmount)),
                     Fact(label: "Доплачивает родитель", value: money(c.parentAmount)),
                     Fact(label: "Заявка подана", value: LocalDate(c.createdAt, in: z).russian)]
        if let due = c.answerDue {
            facts.append(Fact(label: status == .applied ? "Поставщик ответит до" : "Принять оферту до", value: LocalDate(due, in: z).russian))
        }
        if let r = c.reason { facts.append(Fact(label: "Причина", value: r)) }
        if c.plannedEndsOn != c.endsOn, c.noticeAt != nil {
            facts.append(Fact(label: "Расторжение", value: "по инициативе \(c.noticeBy == .provider ? "поставщика" : "родителя"), последний день — \(russian(c.endsOn))"))
        }
        if c.fromWaitlist { facts.append(Fact(label: "Место", value: "из очереди")) }
        if let prev = c.previousID { facts.append(Fact(label: "Продлевает договор", value: ContractModel.number(prev))) }
        if let s = m.successor {
            facts.append(Fact(label: "Продление", value: "продлён договором \(s.number) с \(russian(s.startsOn))"))
        } else if c.prolongation == .skipped {
            facts.append(Fact(label: "Продление", value: "не продлён на следующий период"))
        } else if m.prolongable {
            facts.append(Fact(label: "Продление", value: c.prolongation == .declined
                              ? "вы отказались: договор закончится \(russian(c.endsOn))"
                              : "будет продлён на следующий период автоматически (можно отказаться)"))
        }
        var forms: [FormBlock] = []
        switch side {
        case .family:
            if m.prolongable {
                let declined = c.prolongation == .declined
                forms.append(FormBlock(id: "prolongation", action: SiteRoute.familyApplicationProlongation(id).url,
                                       heading: declined ? "Продление на следующий период" : "Отказ от продления на следующий период",
                                       hidden: [.init(name: "prolong", value: declined ? "1" : "0")],
                                       submit: declined ? "Всё-таки продлить договор" : "Отказаться от продления"))
            }
            if status == .offered {
                forms.append(FormBlock(id: "accept", action: SiteRoute.familyApplicationAccept(id).url, submit: "Принять оферту и заключить договор"))
            }
            if status.mayWithdraw {
                forms.append(FormBlock(id: "withdraw", action: SiteRoute.familyApplicationWithdraw(id).url,
                                       submit: status == .offered ? "Отказаться от оферты" : "Отозвать заявку", danger: true))
            }
            if status.mayGiveNotice {
                forms.append(FormBlock(id: "notice", action: SiteRoute.familyApplicationNotice(id).url,
                                       heading: "Расторгнуть договор: занятия продолжатся до конца месяца", submit: "Расторгнуть договор", danger: true))
            }
            let disputable = disputableMonths(m)
            if !disputable.isEmpty {
                forms.append(FormBlock(id: "dispute", action: SiteRoute.familyApplicationDispute(id).url,
                                       heading: "Оспорить месяц: занятия не проводились",
                                       fields: [.init("month", "Месяц", type: "select", required: true,
                                                      options: disputable.map { .init(value: $0.key, label: $0.title, selected: false) }, errors: errors, formID: "dispute"),
                                                .init("text", "Что произошло", type: "textarea", hint: "Оспорить месяц можно в течение \(PaymentRules.disputeDays) дней после его окончания.",
                                                      required: true, errors: errors, formID: "dispute")],
                                       submit: "Оспорить"))
            }
        case .provider:
            if status == .applied {
                forms.append(FormBlock(id: "offer", action: SiteRoute.providerApplicationOffer(id).url, submit: "Принять заявку и направить оферту"))
                forms.append(FormBlock(id: "reject", action: SiteRoute.providerApplicationReject(id).url, heading: "Отклонить заявку",
                                       fields: [.init("reason", "Причина отказа", type: "textarea", required: true, errors: errors, formID: "reject")],
                                       submit: "Отклонить", danger: true))
            }
            if status.mayGiveNotice {
                forms.append(FormBlock(id: "notice", action: SiteRoute.providerApplicationNotice(id).url,
                                       heading: "Расторгнуть договор: он закончится в последний день месяца", submit: "Расторгнуть договор", danger: true))
            }
        case .reader:
            break
        }
        var sections = [
            Section(heading: "Заявка и договор", facts: facts, forms: forms),
            Section(heading: "Группа", facts: m.summary.facts),
            Section(heading: "Оплата по месяцам", tables: [monthsTable(m)]),
        ]
        if !m.disputes.isEmpty {
            sections.append(Section(heading: "Споры", tables: [Table(caption: "Оспоренные месяцы", headers: ["Месяц", "Что произошло", "Статус", "Решение"],
                                                                    rows: m.disputes.map { d in
                                                                        [Cell(d.month.title), Cell(d.text), Cell(d.status.title),
                                                                         Cell((d.decision ?? "—") + (d.completeness.map { " (полнота \($0))" } ?? ""))]
                                                                    })]))
        }
        if status != .applied && status != .rejected { sections.append(offerText(m)) }
        var page = CabinetPage(layout: layout, heading: "\(status == .applied ? "Заявка" : "Договор") \(c.number)",
                               lead: "«\(m.programName)» — \(m.childName).", sections: sections, errors: errors)
        page.notice = doneText(done)
        return page
    }

    static func russian(_ iso: String) -> String { LocalDate(iso: iso)?.russian ?? iso }

    /// The months a parent may dispute today: in the contract, ended at most 10 days ago, not disputed yet.
    static func disputableMonths(_ m: Model) -> [Month] {
        let c = m.contract
        guard [.active, .terminating, .terminated].contains(c.status) else { return [] }
        let disputed = Set(m.disputes.map(\.month))
        return c.parts.compactMap { Month(key: $0.month) }.filter { month in
            PaymentRules.disputeWindow(month).contains(m.today) && !disputed.contains(month)
                && c.startsOn <= month.last.iso && c.endsOn >= month.first.iso
        }
    }

    /// The split with each month's state: not closed yet, or charged / disputed / corrected with its completeness.
    static func monthsTable(_ m: Model) -> Table {
        let money = EnrollmentViews.money
        return Table(caption: "Оплата по месяцам", headers: ["Месяц", "Из сертификата", "Родитель", "Списание"],
                     rows: m.contract.parts.map { part in
                         let state = m.closed[part.month].map { "\($0.status.title): полнота \($0.completeness), поставщику \(money($0.final))" }
                             ?? "не закрыт"
                         return [Cell(part.title), Cell(money(part.certificate)), Cell(money(part.parent)), Cell(state)]
                     },
                     note: "Первый месяц может отличаться на копейки: части по месяцам в сумме дают точно итог. Доплату родителя вы вносите поставщику напрямую.")
    }

    /// The offer: the text of the contract with its terms and the split, for printing.
    static func offerText(_ m: Model) -> Section {
        let c = m.contract, money = EnrollmentViews.money
        let text = """
            Договор об образовании № \(c.number) (публичная оферта). \(m.providerName) (ИНН \(m.providerINN)), далее — Исполнитель, \
            обязуется оказать образовательную услугу по дополнительной общеразвивающей программе «\(m.programName)», модуль «\(m.moduleName)», \
            группа «\(m.groupName)», обучающемуся \(m.childName), сертификат дополнительного образования № \(m.certificateNumber ?? "—"), \
            в период с \(russian(c.startsOn)) по \(russian(c.plannedEndsOn)), а Заказчик (родитель, законный представитель) — принять и оплатить её. \
            Полная стоимость услуги за период: \(money(c.fullAmount)); из них за счёт сертификата: \(money(c.certificateAmount)); \
            оплачивает Заказчик: \(money(c.parentAmount)), ежемесячно частями, указанными в таблице оплаты. \
            Месяц оплачивается полностью, если договор действует в его первый день; занятия, отменённые Исполнителем, уменьшают оплату месяца пропорционально. \
            Любая сторона вправе расторгнуть договор, уведомив другую в личном кабинете: договор прекращается в последний день месяца уведомления, \
            неиспользованные средства сертификата возвращаются. Оферта принимается нажатием «Принять оферту» в течение \(ContractLifecycle.parentAnswerDays) дней.
            """
        return Section(heading: "Текст оферты", text: text + " (Чтобы распечатать оферту с таблицей оплаты, используйте печать браузера: меню и кнопки на бумагу не выводятся.)")
    }
}
