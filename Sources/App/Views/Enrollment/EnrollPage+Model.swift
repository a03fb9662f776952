import Domain
import Foundation

/// The parent's plan for a group (`/family/enroll?group=`): the child and the start date, the split month by month,
/// and the application or the waiting list. Works without JavaScript (a GET form recalculates).
enum EnrollPage {
    struct Model: Sendable {
        let groupID: UUID
        let programID: UUID
        let groupName: String
        let programName: String
        let providerName: String
        let funding: FundingKind
        let summary: EnrollmentViews.GroupSummary
        let children: [(id: UUID, name: String)]
        let chosen: (id: UUID, name: String)?
        let plan: EnrollmentPlan?
        /// The chosen child's contracts in force in other groups: a transfer from one of them is offered.
        var transferable: [(id: UUID, title: String)] = []
    }

    /// Pure: the page for the model, with the date the parent typed (`startText`) and the errors to show.
    static func context(_ m: Model, startText: String?, errors: [FieldError], layout: LayoutContext) -> CabinetPage {
        var sections = [Section(heading: "Группа", facts: m.summary.facts,
                                links: [Cell("Страница программы в каталоге", href: SiteRoute.catalogProgram(m.programID).url)])]
        let childOptions = [FormBlock.Option(value: "", label: "— выберите —", selected: m.chosen == nil)]
            + m.children.map { FormBlock.Option(value: $0.id.lowercasedString, label: $0.name, selected: $0.id == m.chosen?.id) }
        let startValue = startText.flatMap { $0.isEmpty ? nil : $0 } ?? m.plan?.start.iso ?? ""
        sections.append(Section(
            heading: "Ребёнок и дата начала", text: m.children.isEmpty ? "Сначала добавьте ребёнка в кабинете и оформите сертификат." : nil,
            forms: m.children.isEmpty ? [] : [FormBlock(
                id: "plan", action: SiteRoute.familyEnroll.url,
                fields: [.init("child", "Ребёнок", type: "select", required: true, options: childOptions, errors: errors, formID: "plan"),
                         .init("start", "Дата начала занятий", type: "date", value: startValue,
                               hint: "Не раньше начала группы и текущего месяца.", errors: errors, formID: "plan")],
                hidden: [.init(name: "group", value: m.groupID.lowercasedString)], submit: "Рассчитать стоимость", method: "get")],
            links: m.children.isEmpty ? [Cell("Добавить ребёнка", href: SiteRoute.familyChildNew.url)] : []))
        if let plan = m.plan, let chosen = m.chosen {
            var facts: [Fact] = []
            if let end = plan.end { facts.append(Fact(label: "Договор", value: "с \(plan.start.russian) по \(end.russian)")) }
            if let q = plan.quote {
                facts += [Fact(label: "Стоимость за этот срок", value: EnrollmentViews.money(q.full.kopecks)),
                          Fact(label: "Оплачивает сертификат", value: EnrollmentViews.money(q.certificate.kopecks)),
                          Fact(label: "Доплачивает родитель", value: EnrollmentViews.money(q.parent.kopecks))]
                if m.funding == .certificate { facts.append(Fact(label: "Доступно на сертификате", value: EnrollmentViews.money(plan.balance))) }
            }
            var text: String? = nil
            if let r = plan.refusal { text = "Записаться нельзя: " + r.message }
            else if plan.full { text = "В группе нет свободных мест. Можно встать в очередь: когда место освободится, первый в очереди получит предложение." }
            let hidden: [FormBlock.Hidden] = [.init(name: "group", value: m.groupID.lowercasedString), .init(name: "child", value: chosen.id.lowercasedString),
                                              .init(name: "start", value: plan.start.iso)]
            var forms: [FormBlock] = []
            if plan.refusal == nil && !plan.full {
                forms.append(FormBlock(id: "apply", action: SiteRoute.familyEnroll.url, hidden: hidden, submit: "Подать заявку"))
            } else if plan.refusal == nil {
                forms.append(FormBlock(id: "waitlist", action: SiteRoute.familyWaitlist.url, hidden: hidden, submit: "Встать в очередь"))
            }
            for c in m.transferable {
                forms.append(FormBlock(id: "transfer-\(c.id.lowercasedString.prefix(8))", action: SiteRoute.familyApplicationTransfer(c.id).url,
                                       heading: "Или перевести из договора \(c.title)",
                                       hidden: [.init(name: "group", value: m.groupID.lowercasedString)],
                                       submit: "Рассчитать перевод", method: "get"))
            }
            let tables = plan.quote.map { [EnrollmentViews.monthsTable(MonthPart.from($0))] } ?? []
            sections.append(Section(heading: "Расчёт для ребёнка: \(chosen.name)", text: text, facts: facts, tables: tables, forms: forms))
            if !plan.overlaps.isEmpty {
                sections.insert(Section(heading: "Внимание: пересечение расписания",
                                        text: "Занятия этой группы пересекаются с занятиями, на которые ребёнок уже записан: " + plan.overlaps.joined(separator: "; ") + "."),
                                at: sections.count - 1)
            }
        }
        return CabinetPage(layout: layout, heading: "Запись в группу «\(m.groupName)»",
                           lead: "«\(m.programName)», \(m.providerName). Выберите ребёнка и дату начала: система покажет, что оплачивает сертификат и что — вы, по месяцам.",
                           sections: sections, errors: errors)
    }
}
