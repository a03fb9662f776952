import Domain
import Foundation
import SQLKit

/// The provider's payments (`/provider/payments`): a month's groups with the children and their amounts, the completeness
/// form in the reporting window, the advance, and the invoices.
enum ProviderPaymentsPage {
    struct Model: Sendable {
        let month: Month
        let today: LocalDate
        let groups: [CompletenessService.Group]
        let closed: Bool
        let invoices: [InvoiceService.Invoice]
    }

    static func query(providerID: UUID, principal: Principal, month: Month, today: LocalDate, payments: PaymentServices,
                      on sql: any SQLDatabase) async throws -> Model {
        let groups = try await payments.completeness.groups(providerID: providerID, month: month)
        var closed = false
        if let g = groups.first { closed = try await payments.closer.isClosed(municipalityID: g.municipalityID, month: month, on: sql) }
        return Model(month: month, today: today, groups: groups, closed: closed, invoices: try await payments.invoices.list(for: principal))
    }

    static func notice(_ key: String) -> String {
        switch key {
        case "completeness": "Полнота оказания услуг сохранена."
        case "advance": "Аванс запрошен: счёт передан в муниципалитет."
        default: "Готово."
        }
    }

    static func context(_ m: Model, errors: [FieldError] = [], notice: String? = nil, layout: LayoutContext) -> CabinetPage {
        let window = PaymentRules.reportingWindow(m.month)
        var sections: [Section] = []
        let months = (0..<6).reduce(into: [Month(m.today)]) { acc, _ in acc.append(acc.last!.previous) }
        sections.append(Section(heading: "Месяц", forms: [FormBlock(id: "month", action: SiteRoute.providerPayments.url, fields: [
            .init("month", "Месяц", type: "select", options: months.map { .init(value: $0.key, label: $0.title, selected: $0 == m.month) }, formID: "month"),
        ], submit: "Показать", method: "get")]))
        for g in m.groups {
            let rows = g.children.map { c -> [Cell] in
                [Cell(c.childInitials), Cell(c.certificateNumber), Cell(Money(kopecks: c.certificatePart).formatted), Cell(Money(kopecks: c.parentPart).formatted),
                 Cell(c.closed.map { "\($0.status.title), полнота \($0.completeness), к оплате \(Money(kopecks: $0.final).formatted)" } ?? "не закрыт")]
            } + [[Cell("Итого"), Cell(""), Cell(Money(kopecks: g.certificateTotal).formatted), Cell(Money(kopecks: g.parentTotal).formatted), Cell("")]]
            let table = Table(caption: "\(g.program) — \(g.name), \(m.month.title)", headers: ["Ребёнок", "Сертификат", "За счёт сертификата",
                                                                                             "Доплата родителей (получает поставщик)", "Месяц"], rows: rows)
            var forms: [FormBlock] = []
            if !m.closed && window.contains(m.today) {
                let id = "completeness-\(g.id.lowercasedString.prefix(8))"
                forms.append(FormBlock(id: id, action: SiteRoute.providerCompleteness.url, heading: "Полнота оказания услуги",
                                       fields: [.init("completeness", "Полнота, %", value: g.completeness.map { "\($0)".replacingOccurrences(of: " %", with: "") } ?? "100",
                                                      hint: "От 0 до 100; меньше 100 — если занятия отменялись по вине поставщика.", required: true, errors: errors, formID: id),
                                                .init("reason", "Причина (если меньше 100 %)", value: g.reason ?? "", errors: errors, formID: id)],
                                       hidden: [.init(name: "group", value: g.id.lowercasedString), .init(name: "month", value: m.month.key)],
                                       submit: "Сохранить полноту"))
            }
            let facts = [Fact(label: "Полнота", value: g.completeness.map { "\($0)" + (g.reason.map { " (\($0))" } ?? "") } ?? "не сообщалась (будет 100 %)")]
            sections.append(Section(heading: "\(g.program) — \(g.name)", facts: facts, tables: [table], forms: forms))
        }
        if m.groups.isEmpty {
            sections.append(Section(heading: "Группы", text: "В месяце «\(m.month.title)» у вас нет действующих договоров."))
        }
        let info = m.closed ? "Месяц закрыт: полнота учтена в итоговом счёте."
            : "Полноту за «\(m.month.title)» сообщают с \(window.lowerBound.russian) по \(window.upperBound.russian); где она не сообщена, месяц закрывается со 100 %."
        let advanceMonth = Month(m.today)
        let advance = FormBlock(id: "advance", action: SiteRoute.providerAdvance.url, heading: "Аванс",
                                hidden: [.init(name: "month", value: advanceMonth.key)],
                                submit: "Запросить аванс за «\(advanceMonth.title)» (80 % месяца)")
        let invoices = Table(caption: "Счета", headers: ["Номер", "Месяц", "Вид", "Статус", "К оплате", "Срок"], rows: m.invoices.map { i in
            [Cell(i.number, href: SiteRoute.invoice(i.id).url), Cell(i.month.title), Cell(i.kind.title), Cell(i.status.title),
             Cell(Money(kopecks: i.settlement.payable).formatted + (i.due < 0 ? " (переходит \(Money(kopecks: -i.due).formatted) в следующий счёт)" : "")),
             Cell(LocalDate(iso: i.dueOn)?.russian ?? i.dueOn)]
        }, empty: "Счетов пока нет.")
        sections.append(Section(heading: "Счета и оплата", text: "Аванс за месяц запрашивается со второго рабочего дня месяца; итоговый счёт формирует закрытие месяца.",
                                tables: [invoices], forms: [advance]))
        var page = CabinetPage(layout: layout, heading: "Оплата услуг", lead: info, sections: sections, errors: errors)
        page.notice = notice
        return page
    }
}

/// The municipality's payments (`/municipality/payments`): the month's close with what it will do, the invoices to check and
/// pay, and the audit log.
enum MunicipalityPaymentsPage {
    struct Model: Sendable {
        let month: Month
        let today: LocalDate
        let closed: Bool
        let preview: MonthCloser.Preview
        let invoices: [InvoiceService.Invoice]
        let audit: [AuditLog.Entry]
        let disputes: [DisputeService.Dispute]
        let totals: MonthTotals
    }

    static func query(municipalityID: UUID, principal: Principal, today: LocalDate, month: Month, payments: PaymentServices,
                      on sql: any SQLDatabase) async throws -> Model {
        Model(month: month, today: today, closed: try await payments.closer.isClosed(municipalityID: municipalityID, month: month, on: sql),
              preview: try await payments.closer.preview(municipalityID: municipalityID, month: month),
              invoices: try await payments.invoices.list(for: principal), audit: try await payments.audit.entries(municipalityID: municipalityID, limit: 20, on: sql),
              disputes: try await payments.disputes.list(for: principal, on: sql),
              totals: try await MonthTotals.read(municipalityID: municipalityID, month: month, on: sql))
    }

    static func notice(_ key: String) -> String {
        switch key {
        case "closed": "Месяц закрыт: списания проведены, итоговые счета сформированы."
        case "invoice": "Счёт обновлён."
        case "dispute": "Решение по спору принято; родитель и поставщик извещены."
        default: "Готово."
        }
    }

    static func context(_ m: Model, errors: [FieldError] = [], notice: String? = nil, layout: LayoutContext) -> CabinetPage {
        var sections: [Section] = []
        let p = m.preview
        let facts = [Fact(label: "Договоро-месяцев к списанию", value: String(p.contractMonths)),
                     Fact(label: "Будет списано с сертификатов", value: Money(kopecks: p.charge).formatted),
                     Fact(label: "Вернётся на сертификаты по полноте", value: Money(kopecks: p.correction).formatted),
                     Fact(label: "Оспорено родителями (не войдёт в счёт до решения)", value: String(p.disputed)),
                     Fact(label: "Поставщиков", value: String(p.providers))]
        var forms: [FormBlock] = []
        let from = PaymentRules.closeFrom(m.month)
        if !m.closed && m.today >= from {
            forms.append(FormBlock(id: "close-month", action: SiteRoute.municipalityMonthClose.url, heading: "Закрыть месяц",
                                   hidden: [.init(name: "month", value: m.month.key)],
                                   submit: "Закрыть «\(m.month.title)»: списать \(Money(kopecks: p.charge - p.correction).formatted) к оплате", danger: true))
        }
        let t = m.totals
        sections.append(Section(heading: "Итоги месяца «\(m.month.title)»", facts: [
            Fact(label: "Начислено сертификатам в текущем периоде", value: Money(kopecks: t.granted).formatted),
            Fact(label: "Зарезервировано по договорам сейчас", value: Money(kopecks: t.reserved).formatted),
            Fact(label: "Списано за месяц", value: Money(kopecks: t.charged).formatted),
            Fact(label: "Возвращено по полноте", value: Money(kopecks: t.returnedByCompleteness).formatted),
            Fact(label: "Возвращено по спорам", value: Money(kopecks: t.returnedByDisputes).formatted),
            Fact(label: "Оплачено поставщикам по счетам месяца", value: Money(kopecks: t.paid).formatted),
        ]))
        sections.append(Section(heading: "Закрытие месяца «\(m.month.title)»",
                                text: m.closed ? "Месяц закрыт." : (m.today >= from ? "Месяц можно закрыть; сервер закрывает его и сам раз в час."
                                                                      : "Месяц можно будет закрыть с \(from.russian), после того как поставщики сообщат полноту."),
                                facts: m.closed ? [] : facts, forms: forms))
        let live = m.invoices.filter { $0.status == .new || $0.status == .inWork }
        var invoiceForms: [FormBlock] = []
        for i in live {
            let short = i.id.lowercasedString.prefix(8)
            if i.status == .new {
                invoiceForms.append(FormBlock(id: "take-\(short)", action: SiteRoute.invoiceTake(i.id).url, submit: "Взять в работу: \(i.number)"))
            }
            invoiceForms.append(FormBlock(id: "pay-\(short)", action: SiteRoute.invoicePay(i.id).url, heading: "Оплата счёта № \(i.number)",
                                          fields: [.init("order", "Номер платёжного поручения", required: true, errors: errors, formID: "pay-\(short)"),
                                                   .init("paidOn", "Дата платёжного поручения", type: "date", value: m.today.iso, required: true, errors: errors,
                                                         formID: "pay-\(short)")],
                                          submit: "Отметить оплату"))
            invoiceForms.append(FormBlock(id: "delete-\(short)", action: SiteRoute.invoiceDelete(i.id).url, heading: "Удалить счёт № \(i.number)",
                                          fields: [.init("reason", "Причина удаления", required: true, errors: errors, formID: "delete-\(short)")],
                                          submit: "Удалить счёт", danger: true))
        }
        let table = Table(caption: "Счета поставщиков", headers: ["Номер", "Поставщик", "Месяц", "Вид", "Статус", "К оплате", "Срок"], rows: m.invoices.map { i in
            [Cell(i.number, href: SiteRoute.invoice(i.id).url), Cell(i.provider), Cell(i.month.title), Cell(i.kind.title), Cell(i.status.title),
             Cell(Money(kopecks: i.settlement.payable).formatted), Cell(LocalDate(iso: i.dueOn)?.russian ?? i.dueOn)]
        }, empty: "Счетов пока нет.")
        let totals = [Fact(label: "К оплате по новым и взятым в работу счетам", value: Money(kopecks: live.reduce(0) { $0 + $1.settlement.payable }).formatted),
                      Fact(label: "Оплачено", value: Money(kopecks: m.invoices.filter { $0.status == .paid }.reduce(0) { $0 + $1.settlement.payable }).formatted)]
        sections.append(Section(heading: "Счета", facts: totals, tables: [table], forms: invoiceForms))
        var disputeForms: [FormBlock] = []
        for d in m.disputes where d.status == .open {
            let fid = "dispute-\(d.id.lowercasedString.prefix(8))"
            disputeForms.append(FormBlock(id: fid, action: SiteRoute.disputeDecide(d.id).url,
                                          heading: "Спор: договор \(ContractModel.number(d.contractID)), «\(d.month.title)»",
                                          fields: [.init("decision", "Решение", type: "select", required: true,
                                                         options: [.init(value: "reject", label: "Отклонить: месяц оплачивается как сообщено", selected: true),
                                                                   .init(value: "uphold", label: "Удовлетворить: снизить полноту", selected: false)],
                                                         errors: errors, formID: fid),
                                                   .init("completeness", "Полнота после решения, % (если удовлетворить)", value: "0", errors: errors, formID: fid),
                                                   .init("text", "Обоснование решения", type: "textarea", required: true, errors: errors, formID: fid)],
                                          submit: "Принять решение"))
        }
        sections.append(Section(heading: "Споры родителей", tables: [Table(caption: "Оспоренные месяцы", headers: ["Договор", "Месяц", "Что произошло", "Статус", "Решение"],
                                                                          rows: m.disputes.map { d in
                                                                              [Cell(ContractModel.number(d.contractID), href: SiteRoute.contract(d.contractID).url),
                                                                               Cell(d.month.title), Cell(d.text), Cell(d.status.title), Cell(d.decision ?? "—")]
                                                                          }, empty: "Споров нет.")], forms: disputeForms))
        let audit = Table(caption: "Журнал операций с деньгами", headers: ["Когда", "Кто", "Что"], rows: m.audit.map { e in
            [Cell(LocalDate(e.at, in: TimeZone(identifier: "Asia/Novokuznetsk")!).russian), Cell(e.actor), Cell(e.summary)]
        }, empty: "Операций пока не было.")
        sections.append(Section(heading: "Журнал", tables: [audit]))
        var page = CabinetPage(layout: layout, heading: "Оплата поставщикам", lead: "Закрытие месяца, счета поставщиков и их оплата.",
                               sections: sections, errors: errors)
        page.notice = notice
        return page
    }
}

/// One invoice (`/invoices/:id`), printable: its lines with the totals row, and its registers as CSV and XLSX.
enum InvoicePage {
    static let headers = ["Договор", "Сертификат", "Ребёнок", "Группа", "Месяц", "Сумма месяца", "Полнота", "Начислено", "Аванс", "К оплате"]

    static func row(_ l: InvoiceService.Line) -> [String] {
        [l.contractNumber, l.certificateNumber, l.childInitials, l.group, l.month.title, Money(kopecks: l.part).formatted, "\(l.completeness)",
         Money(kopecks: l.amount).formatted, Money(kopecks: l.advance).formatted, Money(kopecks: l.due).formatted]
    }

    static func totals(_ lines: [InvoiceService.Line]) -> [String] {
        ["Итого", "", "", "", "", Money(kopecks: lines.reduce(0) { $0 + $1.part }).formatted, "", Money(kopecks: lines.reduce(0) { $0 + $1.amount }).formatted,
         Money(kopecks: lines.reduce(0) { $0 + $1.advance }).formatted, Money(kopecks: lines.reduce(0) { $0 + $1.due }).formatted]
    }

    static func context(_ i: InvoiceService.Invoice, lines: [InvoiceService.Line], layout: LayoutContext) -> CabinetPage {
        let facts = [Fact(label: "Поставщик", value: i.provider), Fact(label: "Плательщик", value: i.municipality),
                     Fact(label: "Месяц", value: i.month.title), Fact(label: "Вид", value: i.kind.title), Fact(label: "Статус", value: i.status.title),
                     Fact(label: "Начислено", value: Money(kopecks: i.finals).formatted), Fact(label: "Зачтён аванс", value: Money(kopecks: i.advances).formatted),
                     Fact(label: "Перенесено из прошлого счёта", value: Money(kopecks: i.carried).formatted),
                     Fact(label: "К оплате", value: Money(kopecks: i.settlement.payable).formatted),
                     Fact(label: "Срок оплаты", value: LocalDate(iso: i.dueOn)?.russian ?? i.dueOn)]
            + (i.paymentOrder.map { [Fact(label: "Платёжное поручение", value: "№ \($0) от \(i.paidOn.flatMap(LocalDate.init(iso:))?.russian ?? "")")] } ?? [])
            + (i.deletedReason.map { [Fact(label: "Причина удаления", value: $0)] } ?? [])
        let table = Table(caption: "Строки счёта", headers: headers, rows: (lines.map(row) + [totals(lines)]).map { $0.map { Cell($0) } })
        let links = Section(heading: "Реестр", tables: [Table(caption: "Реестр счёта для загрузки", headers: ["Формат"],
                                                              rows: [[Cell("CSV (Excel, «;»)", href: SiteRoute.invoiceCSV(i.id).url)],
                                                                     [Cell("XLSX", href: SiteRoute.invoiceXLSX(i.id).url)]])])
        return CabinetPage(layout: layout, heading: "Счёт № \(i.number)", lead: "\(i.kind.title.capitalized) счёт за «\(i.month.title)».",
                           sections: [Section(heading: "Счёт", facts: facts, tables: [table]), links], errors: [])
    }
}
