import Domain
import Foundation

/// The municipality's certificate programme (`/municipality/program`): periods and their contracting, the prolongation of
/// contracts at the rollover, certificate groups with their caps and nominals, and the sweep of unused certificates.
enum MunicipalProgramPage {
    struct Model: Sendable {
        /// Every period of the municipality, by start.
        let periods: [PeriodModel]
        /// Certificate groups by name.
        let groups: [CertificateGroupModel]
        /// Nominals in kopecks by group and period.
        let nominals: [Key: Int64]
        /// ПФ certificates per group.
        let financing: [UUID: Int]
        let prolongation: Prolongation
    }

    struct Key: Hashable, Sendable {
        let group: UUID
        let period: UUID
    }

    /// What the next opening of a period will do to contracts, or what the last one did.
    enum Prolongation: Sendable {
        case none
        case upcoming(Prolongations.Counts)
        case done(last: PeriodModel, Prolongations.Counts)
    }

    static func periodTitle(_ p: PeriodModel) -> String {
        "\(LocalDate(iso: p.startsOn)?.russian ?? p.startsOn) – \(LocalDate(iso: p.endsOn)?.russian ?? p.endsOn)"
    }

    /// The notice after an action (`?done=`).
    static func notice(_ key: String) -> String {
        switch key {
        case "period": "Период добавлен."
        case "group": "Группа сертификатов сохранена."
        case "nominal": "Номинал сохранён."
        case "contracting": "Приём заявок по периоду изменён."
        case "closed": "Период закрыт: неиспользованные остатки списаны."
        case "opened": "Период открыт: номиналы начислены."
        case "sweep": "Проверка неиспользуемых сертификатов выполнена."
        default: "Готово."
        }
    }

    /// Pure: the page for the model, with the errors of a refused form and the notice of a done action.
    static func context(_ m: Model, errors: [FieldError] = [], notice: String? = nil, layout: LayoutContext) -> CabinetPage {
        let open = m.periods.filter { $0.status != .closed }
        var page = CabinetPage(layout: layout, heading: "Программа персонифицированного финансирования",
                               lead: "Периоды, группы сертификатов, номиналы и лимиты муниципалитета.",
                               sections: [
                                   periodSection(m, open: open, errors: errors),
                                   Section(heading: "Продление договоров",
                                           text: "Когда открывается следующий период, действующие договоры, группы которых продолжают занятия, продлеваются новыми договорами на этот период (родителей извещают за \(Prolongations.announceDays) дней; они могут отказаться). Если остатка сертификата не хватает, новый договор ждёт подтверждения родителя.",
                                           facts: prolongationFacts(m.prolongation)),
                                   groupSection(m, open: open, errors: errors),
                                   Section(heading: "Неиспользуемые сертификаты",
                                           text: "Сертификаты ПФ без договора возвращаются в учёта по истечении срока группы; родителей предупреждают за \(CertificateService.warningDays) дня. Проверка выполняется автоматически каждый час.",
                                           forms: [FormBlock(id: "sweep", action: SiteRoute.programSweep.url, submit: "Проверить сейчас")]),
                               ], errors: errors)
        page.notice = notice
        return page
    }

    static func periodSection(_ m: Model, open: [PeriodModel], errors: [FieldError]) -> Section {
        let table = Table(caption: "Периоды", headers: ["Период", "Статус", "Приём заявок"],
                          rows: m.periods.map { [Cell(periodTitle($0)), Cell($0.status.title), Cell($0.contractingOpen ? "открыт" : "закрыт")] },
                          empty: "Периоды не заданы.")
        var forms: [FormBlock] = []
        for p in open {
            forms.append(FormBlock(id: "contracting-\(p.id!.lowercasedString.prefix(8))", action: SiteRoute.programPeriodContracting(p.id!).url,
                                   hidden: [.init(name: "open", value: p.contractingOpen ? "0" : "1")],
                                   submit: (p.contractingOpen ? "Закрыть приём заявок: " : "Открыть приём заявок: ") + periodTitle(p)))
        }
        if open.count < 2 {
            forms.append(FormBlock(id: "period", action: SiteRoute.programPeriods.url, heading: "Новый период",
                                   fields: [.init("startsOn", "Начало", type: "date", required: true, errors: errors, formID: "period"),
                                            .init("endsOn", "Окончание", type: "date", required: true, errors: errors, formID: "period")],
                                   submit: "Добавить период"))
        }
        if open.contains(where: { $0.status == .current }) {
            var fields: [FormBlock.Field] = []
            if errors.contains(where: { $0.field == "beforeEnd" }) {
                fields.append(.init("beforeEnd", "Закрыть досрочно: я понимаю, что остатки будут списаны", type: "checkbox", errors: errors,
                                    formID: "close-period"))
            }
            forms.append(FormBlock(id: "close-period", action: SiteRoute.programPeriodClose.url, heading: "Закрытие текущего периода",
                                   fields: fields, submit: "Закрыть текущий период (списать остатки)", danger: true))
        } else if open.contains(where: { $0.status == .next }) {
            var fields: [FormBlock.Field] = []
            if errors.contains(where: { $0.field == "beforeEnd" }) {
                fields.append(.init("beforeEnd", "Открыть досрочно: номиналы будут начислены сейчас", type: "checkbox", errors: errors,
                                    formID: "open-period"))
            }
            forms.append(FormBlock(id: "open-period", action: SiteRoute.programPeriodOpen.url, heading: "Открытие следующего периода",
                                   fields: fields, submit: "Открыть следующий период (начислить номиналы)"))
        }
        return Section(heading: "Периоды", tables: [table], forms: forms)
    }

    static func prolongationFacts(_ p: Prolongation) -> [Fact] {
        switch p {
        case .none: []
        case .upcoming(let n):
            [Fact(label: "Будут продлены при открытии следующего периода", value: String(n.pending)),
             Fact(label: "Родители отказались от продления", value: String(n.declined))]
        case .done(let last, let n):
            [Fact(label: "Продлено договоров из периода \(periodTitle(last))", value: String(n.done)),
             Fact(label: "Не продлены (отказ родителей)", value: String(n.declined)),
             Fact(label: "Не продлены (правила не позволили, родители извещены)", value: String(n.skipped))]
        }
    }

    static func groupSection(_ m: Model, open: [PeriodModel], errors: [FieldError]) -> Section {
        let rows = m.groups.map { g -> [Cell] in
            let noms = open.map { p in "\(periodTitle(p)): " + (m.nominals[Key(group: g.id!, period: p.id!)].map { Money(kopecks: $0).formatted } ?? "не задан") }
            return [Cell(g.name), Cell("\(m.financing[g.id!] ?? 0) из \(g.capCount)"), Cell(Money(kopecks: g.capSum).formatted),
                    Cell(noms.joined(separator: "; ")), Cell("\(g.returnAfterDays) дн."), Cell(g.carryOver ? "да" : "нет")]
        }
        var forms: [FormBlock] = []
        for g in m.groups {
            let id = "group-\(g.id!.lowercasedString.prefix(8))"
            forms.append(FormBlock(id: id, action: SiteRoute.programGroup(g.id!).url, heading: "Лимиты группы «\(g.name)»",
                                   fields: groupFields(g, errors: errors, formID: id), submit: "Сохранить группу"))
        }
        for g in m.groups where !open.isEmpty {
            let id = "nominal-\(g.id!.lowercasedString.prefix(8))"
            let periods = open.map { FormBlock.Option(value: $0.id!.lowercasedString, label: periodTitle($0), selected: $0.status == .current) }
            forms.append(FormBlock(id: id, action: SiteRoute.programGroupNominal(g.id!).url, heading: "Номинал группы «\(g.name)»",
                                   fields: [.init("period", "Период", type: "select", options: periods, formID: id),
                                            .init("nominal", "Номинал, ₽", hint: "Например, 12 000,00", required: true, errors: errors, formID: id)],
                                   submit: "Сохранить номинал"))
        }
        forms.append(FormBlock(id: "group", action: SiteRoute.programGroups.url, heading: "Новая группа сертификатов",
                               fields: groupFields(nil, errors: errors, formID: "group"), submit: "Добавить группу"))
        return Section(heading: "Группы сертификатов", tables: [
            Table(caption: "Группы сертификатов", headers: ["Группа", "Сертификатов ПФ", "Лимит суммы", "Номинал", "Возврат в учёта", "Перенос остатка"],
                  rows: rows, empty: "Группы не заданы."),
        ], forms: forms)
    }

    /// The form of a certificate group: the stored group's values, or a new group's.
    static func groupFields(_ g: CertificateGroupModel?, errors: [FieldError], formID: String) -> [FormBlock.Field] {
        let f = g.map { CertificateGroupInput(name: $0.name, capCount: String($0.capCount), capSum: String($0.capSum / 100) + "," + LocalDate.pad(Int($0.capSum % 100), 2),
                                              returnAfterDays: String($0.returnAfterDays), carryOver: $0.carryOver, prorate: $0.prorate) }
            ?? CertificateGroupInput()
        return [.init("name", "Название", value: f.name, required: true, errors: errors, formID: formID),
                .init("capCount", "Лимит числа сертификатов ПФ", type: "number", value: f.capCount, required: true, errors: errors, formID: formID),
                .init("capSum", "Лимит суммы номиналов, ₽", value: f.capSum, required: true, errors: errors, formID: formID),
                .init("returnAfterDays", "Через сколько дней без договора сертификат ПФ возвращается в учёта", type: "number",
                      value: f.returnAfterDays, required: true, errors: errors, formID: formID),
                .init("carryOver", "Переносить неиспользованный остаток в следующий период", type: "checkbox", checked: f.carryOver, formID: formID),
                .init("prorate", "Начислять номинал пропорционально оставшейся части периода", type: "checkbox", checked: f.prorate, formID: formID)]
    }
}
