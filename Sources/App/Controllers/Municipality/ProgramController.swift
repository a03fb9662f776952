import Domain
import Fluent
import SQLKit
import Vapor

/// The municipality's certificate programme: periods, certificate groups, nominals, caps, contracting,
/// rollover, and the use-it-or-lose-it sweep.
enum ProgramController {
    static func municipalityID(_ req: Request) throws -> UUID {
        let p = try req.requirePrincipal()
        guard p.role == .municipality, let m = p.municipalityID else { throw Abort(.forbidden) }
        return m
    }

    static func periodTitle(_ p: PeriodModel) -> String {
        let s = LocalDate(iso: p.startsOn)?.russian ?? p.startsOn
        let e = LocalDate(iso: p.endsOn)?.russian ?? p.endsOn
        return "\(s) – \(e)"
    }


    static func page(req: Request) async throws -> View {
        try await render(req, errors: [], notice: req.query[String.self, at: "done"].map(noticeText))
    }

    static func noticeText(_ key: String) -> String {
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

    static func render(_ req: Request, errors: [FieldError], notice: String? = nil, status: HTTPResponseStatus = .ok) async throws -> View {
        let m = try municipalityID(req)
        let periods = try await PeriodModel.query(on: req.db).filter(\.$municipalityID == m).sort(\.$startsOn).all()
        let groups = try await CertificateGroupModel.query(on: req.db).filter(\.$municipalityID == m).sort(\.$name).all()
        let open = periods.filter { $0.status != .closed }
        var nominals: [String: Int64] = [:]
        for n in try await GroupNominalModel.query(on: req.db).filter(\.$groupID ~~ groups.map { $0.id! }).all() {
            nominals["\(n.groupID)/\(n.periodID)"] = n.nominal
        }
        var counts: [UUID: Int] = [:]
        for g in groups {
            counts[g.id!] = try await CertificateModel.query(on: req.db).filter(\.$groupID == g.id!).filter(\.$kind == .financing).count()
        }
        let periodTable = Table(caption: "Периоды", headers: ["Период", "Статус", "Приём заявок"],
                                rows: periods.map { [Cell(periodTitle($0)), Cell($0.status.title), Cell($0.contractingOpen ? "открыт" : "закрыт")] },
                                empty: "Периоды не заданы.")
        var periodForms: [FormBlock] = []
        for p in open {
            periodForms.append(FormBlock(id: "contracting-\(p.id!.lowercasedString.prefix(8))", action: SiteRoute.programPeriodContracting(p.id!).url,
                                         hidden: [.init(name: "open", value: p.contractingOpen ? "0" : "1")],
                                         submit: (p.contractingOpen ? "Закрыть приём заявок: " : "Открыть приём заявок: ") + periodTitle(p)))
        }
        if open.count < 2 {
            periodForms.append(FormBlock(id: "period", action: SiteRoute.programPeriods.url, heading: "Новый период",
                                         fields: [.init("startsOn", "Начало", type: "date", required: true, errors: errors, formID: "period"),
                                                  .init("endsOn", "Окончание", type: "date", required: true, errors: errors, formID: "period")],
                                         submit: "Добавить период"))
        }
        if open.contains(where: { $0.status == .current }) {
            periodForms.append(FormBlock(id: "close-period", action: SiteRoute.programPeriodClose.url,
                                         heading: "Закрытие текущего периода",
                                         submit: "Закрыть текущий период (списать остатки)", danger: true))
        } else if open.contains(where: { $0.status == .next }) {
            periodForms.append(FormBlock(id: "open-period", action: SiteRoute.programPeriodOpen.url,
                                         heading: "Открытие следующего периода", submit: "Открыть следующий период (начислить номиналы)"))
        }
        // The prolongation of contracts at the rollover (domain §7): what the next opening will do, or what
        // the last one did.
        var prolongationFacts: [Fact] = []
        let prolongations = req.navigator.enrollment.prolongations
        if let current = open.first(where: { $0.status == .current }), open.contains(where: { $0.status == .next }) {
            let n = try await prolongations.counts(current, on: req.db.sql)
            prolongationFacts = [Fact(label: "Будут продлены при открытии следующего периода", value: String(n.pending)),
                                 Fact(label: "Родители отказались от продления", value: String(n.declined))]
        } else if let current = open.first(where: { $0.status == .current }),
                  let last = Prolongations.periodBefore(current, in: periods) {
            let n = try await prolongations.counts(last, on: req.db.sql)
            prolongationFacts = [Fact(label: "Продлено договоров из периода \(periodTitle(last))", value: String(n.done)),
                                 Fact(label: "Не продлены (отказ родителей)", value: String(n.declined)),
                                 Fact(label: "Не продлены (правила не позволили, родители извещены)", value: String(n.skipped))]
        }
        let groupRows = groups.map { g -> [Cell] in
            let noms = open.map { p in "\(periodTitle(p)): " + (nominals["\(g.id!)/\(p.id!)"].map { Money(kopecks: $0).formatted } ?? "не задан") }
            return [Cell(g.name), Cell("\(counts[g.id!] ?? 0) из \(g.capCount)"), Cell(Money(kopecks: g.capSum).formatted),
                    Cell(noms.joined(separator: "; ")), Cell("\(g.returnAfterDays) дн."), Cell(g.carryOver ? "да" : "нет")]
        }
        var groupForms: [FormBlock] = []
        for g in groups {
            let eid = "group-\(g.id!.lowercasedString.prefix(8))"
            groupForms.append(FormBlock(id: eid, action: SiteRoute.programGroup(g.id!).url, heading: "Лимиты группы «\(g.name)»",
                                        fields: groupFields(g, errors: errors, formID: eid), submit: "Сохранить группу"))
        }
        for g in groups where !open.isEmpty {
            let id = "nominal-\(g.id!.lowercasedString.prefix(8))"
            groupForms.append(FormBlock(id: id, action: SiteRoute.programGroupNominal(g.id!).url, heading: "Номинал группы «\(g.name)»",
                                        fields: [.init("period", "Период", type: "select", options: open.map { .init(value: $0.id!.lowercasedString, label: periodTitle($0), selected: $0.status == .current) }, formID: id),
                                                 .init("nominal", "Номинал, ₽", hint: "Например, 12 000,00", required: true, errors: errors, formID: id)],
                                        submit: "Сохранить номинал"))
        }
        groupForms.append(FormBlock(id: "group", action: SiteRoute.programGroups.url, heading: "Новая группа сертификатов",
                                    fields: groupFields(nil, errors: errors, formID: "group"), submit: "Добавить группу"))
        var page = CabinetPage(layout: req.layout("Программа ПФДО"), heading: "Программа персонифицированного финансирования",
                               lead: "Периоды, группы сертификатов, номиналы и лимиты муниципалитета.",
                               sections: [
                                   Section(heading: "Периоды", tables: [periodTable], forms: periodForms),
                                   Section(heading: "Продление договоров",
                                           text: "Когда открывается следующий период, действующие договоры, группы которых продолжают занятия, продлеваются новыми договорами на этот период (родителей извещают за \(Prolongations.announceDays) дней; они могут отказаться). Если остатка сертификата не хватает, новый договор ждёт подтверждения родителя.",
                                           facts: prolongationFacts),
                                   Section(heading: "Группы сертификатов", tables: [
                                       Table(caption: "Группы сертификатов", headers: ["Группа", "Сертификатов ПФ", "Лимит суммы", "Номинал", "Возврат в учёта", "Перенос остатка"],
                                             rows: groupRows, empty: "Группы не заданы."),
                                   ], forms: groupForms),
                                   Section(heading: "Неиспользуемые сертификаты",
                                           text: "Сертификаты ПФ без договора возвращаются в учёта по истечении срока группы; родителей предупреждают за \(CertificateService.warningDays) дня. Проверка выполняется автоматически каждый час.",
                                           forms: [FormBlock(id: "sweep", action: SiteRoute.programSweep.url, submit: "Проверить сейчас")]),
                               ], errors: errors)
        page.notice = notice
        return try await req.view.render("cabinet/page", page)
    }

    static func groupFields(_ g: CertificateGroupModel?, errors: [FieldError], formID: String) -> [FormBlock.Field] {
        [.init("name", "Название", value: g?.name ?? "", required: true, errors: errors, formID: formID),
         .init("capCount", "Лимит числа сертификатов ПФ", type: "number", value: g.map { String($0.capCount) } ?? "", required: true, errors: errors, formID: formID),
         .init("capSum", "Лимит суммы номиналов, ₽", value: g.map { String($0.capSum / 100) + "," + String(format: "%02d", $0.capSum % 100) } ?? "",
               required: true, errors: errors, formID: formID),
         .init("returnAfterDays", "Через сколько дней без договора сертификат ПФ возвращается в учёта", type: "number",
               value: g.map { String($0.returnAfterDays) } ?? "30", required: true, errors: errors, formID: formID),
         .init("carryOver", "Переносить неиспользованный остаток в следующий период", type: "checkbox", checked: g?.carryOver ?? false, formID: formID),
         .init("prorate", "Начислять номинал пропорционально оставшейся части периода", type: "checkbox", checked: g?.prorate ?? false, formID: formID)]
    }

    static func fail(_ req: Request, _ error: any Error) async throws -> Response {
        let errors: [FieldError]
        switch error {
        case let e as ValidationFailure: errors = e.errors
        case let e as FieldError: errors = [e]
        default: throw error
        }
        return try await render(req, errors: errors).encodeResponse(status: .unprocessableEntity, for: req)
    }

    struct PeriodForm: Content { var startsOn: String?; var endsOn: String? }

    static func createPeriod(req: Request) async throws -> Response {
        let m = try municipalityID(req)
        let f = try req.content.decode(PeriodForm.self)
        do {
            _ = try await req.application.navigator.programme.createPeriod(municipalityID: m, startsOn: f.startsOn ?? "", endsOn: f.endsOn ?? "", on: req.db)
        } catch { return try await fail(req, error) }
        return req.redirect(to: SiteRoute.program.url + "?done=period", redirectType: .normal)
    }

    struct ContractingForm: Content { var open: String? }

    static func contracting(req: Request) async throws -> Response {
        let m = try municipalityID(req)
        guard let id = req.parameters.get("id", as: UUID.self) else { throw Abort(.notFound) }
        let f = try req.content.decode(ContractingForm.self)
        try await req.application.navigator.programme.setContracting(id, open: f.open == "1", municipalityID: m, on: req.db)
        return req.redirect(to: SiteRoute.program.url + "?done=contracting", redirectType: .normal)
    }

    struct GroupForm: Content {
        var name: String?
        var capCount: String?
        var capSum: String?
        var returnAfterDays: String?
        var carryOver: String?
        var prorate: String?
    }

    static func createGroup(req: Request) async throws -> Response {
        let m = try municipalityID(req)
        let f = try req.content.decode(GroupForm.self)
        do {
            _ = try await req.application.navigator.programme.saveGroup(nil, municipalityID: m, input: .init(
                name: f.name ?? "", capCount: f.capCount ?? "", capSum: f.capSum ?? "", returnAfterDays: f.returnAfterDays ?? "",
                carryOver: f.carryOver == "on", prorate: f.prorate == "on"), on: req.db)
        } catch { return try await fail(req, error) }
        return req.redirect(to: SiteRoute.program.url + "?done=group", redirectType: .normal)
    }

    static func updateGroup(req: Request) async throws -> Response {
        let m = try municipalityID(req)
        guard let id = req.parameters.get("id", as: UUID.self), let group = try await CertificateGroupModel.find(id, on: req.db),
              group.municipalityID == m else { throw Abort(.notFound) }
        let f = try req.content.decode(GroupForm.self)
        do {
            _ = try await req.application.navigator.programme.saveGroup(group, municipalityID: m, input: .init(
                name: f.name ?? "", capCount: f.capCount ?? "", capSum: f.capSum ?? "", returnAfterDays: f.returnAfterDays ?? "",
                carryOver: f.carryOver == "on", prorate: f.prorate == "on"), on: req.db)
        } catch { return try await fail(req, error) }
        return req.redirect(to: SiteRoute.program.url + "?done=group", redirectType: .normal)
    }

    struct NominalForm: Content { var period: String?; var nominal: String? }

    static func nominal(req: Request) async throws -> Response {
        let m = try municipalityID(req)
        guard let group = req.parameters.get("id", as: UUID.self) else { throw Abort(.notFound) }
        let f = try req.content.decode(NominalForm.self)
        guard let period = f.period.flatMap(UUID.init(uuidString:)) else {
            return try await fail(req, FieldError(field: "period", message: "Выберите период."))
        }
        do {
            try await req.application.navigator.programme.setNominal(groupID: group, periodID: period, nominalText: f.nominal ?? "",
                                                                     municipalityID: m, on: req.db)
        } catch { return try await fail(req, error) }
        return req.redirect(to: SiteRoute.program.url + "?done=nominal", redirectType: .normal)
    }

    static func closePeriod(req: Request) async throws -> Response {
        let m = try municipalityID(req)
        _ = try await req.application.navigator.programme.closePeriod(municipalityID: m, on: req.db)
        return req.redirect(to: SiteRoute.program.url + "?done=closed", redirectType: .normal)
    }

    static func openPeriod(req: Request) async throws -> Response {
        let m = try municipalityID(req)
        _ = try await req.application.navigator.programme.openPeriod(municipalityID: m, on: req.db)
        return req.redirect(to: SiteRoute.program.url + "?done=opened", redirectType: .normal)
    }

    static func sweep(req: Request) async throws -> Response {
        _ = try municipalityID(req)
        _ = try await req.application.navigator.certificates.sweep(on: req.db)
        return req.redirect(to: SiteRoute.program.url + "?done=sweep", redirectType: .normal)
    }
}
