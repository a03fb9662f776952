import Domain
import Foundation

/// The transfer of a contract to another group (`/family/applications/:id/transfer?group=`): what ends when, what comes
/// back to the certificate, the new split month by month, and one confirmation.
enum TransferPage {
    static func context(_ p: Transfers.Plan, groupTitle: String, errors: [FieldError], layout: LayoutContext) -> CabinetPage {
        let money = EnrollmentViews.money
        var facts = [Fact(label: "Текущий договор", value: p.old.number),
                     Fact(label: "Он закончится", value: p.rule.oldEnd.map { "\($0.russian) (последний день месяца)" } ?? "не начавшись"),
                     Fact(label: "Вернётся на сертификат сразу", value: money(p.rule.released)),
                     Fact(label: "Новая группа", value: groupTitle)]
        var sections: [Section] = []
        var forms: [FormBlock] = []
        var tables: [Table] = []
        var text: String? = nil
        if let q = p.quote, let end = p.end {
            facts += [Fact(label: "Новый договор", value: "с \(p.rule.newStart.russian) по \(end.russian)"),
                      Fact(label: "Оплатит сертификат", value: money(q.certificate.kopecks)),
                      Fact(label: "Доплатите вы", value: money(q.parent.kopecks))]
            tables.append(EnrollmentViews.monthsTable(MonthPart.from(q), caption: "Новый договор по месяцам"))
            forms.append(FormBlock(id: "transfer", action: SiteRoute.familyApplicationTransfer(p.old.id!).url,
                                   hidden: [.init(name: "group", value: p.group.id!.lowercasedString)],
                                   submit: "Подтвердить перевод: расторгнуть договор \(p.old.number) и подать заявку"))
        }
        if let r = p.refusal { text = "Перевести нельзя: \(r.message)" }
        sections.append(Section(heading: "Перевод", text: text, facts: facts, tables: tables, forms: forms))
        return CabinetPage(layout: layout, heading: "Перевод в другую группу",
                           lead: "Текущий договор закончится в конце месяца; то, что зарезервировано на следующие месяцы, сразу вернётся на сертификат и пойдёт на новый договор.",
                           sections: sections, errors: errors)
    }
}
