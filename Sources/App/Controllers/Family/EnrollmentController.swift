import Domain
import Fluent
import Vapor

/// Enrollment pages: the parent's choice of a child and a start date with the month-by-month split, the
/// application, offers and contracts in the family cabinet and in the provider's, and the municipality's
/// (operator's, monitor's) list of contracts. Everything works without JavaScript.
enum EnrollmentController {
    // MARK: shared pieces

    static func zone(_ region: String) -> TimeZone {
        TimeZone(identifier: ReferenceData.region(code: region)?.timeZone ?? "Asia/Novokuznetsk")!
    }

    static func money(_ k: Int64) -> String { Money(kopecks: k).formatted }

    static func monthsTable(_ parts: [MonthPart], caption: String = "Оплата по месяцам") -> Table {
        Table(caption: caption, headers: ["Месяц", "Из сертификата", "Родитель"],
              rows: parts.map { [Cell($0.title), Cell(money($0.certificate)), Cell(money($0.parent))] },
              note: "Первый месяц может отличаться на копейки: части по месяцам в сумме дают точно итог.")
    }

    static func groupFacts(_ g: GroupModel, module: ModuleModel, program: ProgramModel, provider: String) -> [Fact] {
        let dates = [g.startsOn, g.endsOn].compactMap(LocalDate.init(iso:)).map(\.russian).joined(separator: " – ")
        return [
            Fact(label: "Программа", value: program.name),
            Fact(label: "Поставщик", value: provider),
            Fact(label: "Модуль", value: "\(module.name) (\(module.months) мес., \(module.hours) ч.)"),
            Fact(label: "Группа", value: g.name),
            Fact(label: "Педагог", value: g.teacher),
            Fact(label: "Адрес", value: g.address),
            Fact(label: "Даты занятий", value: dates),
            Fact(label: "Расписание", value: ScheduleSlot.text(g.slots)),
            Fact(label: "Свободных мест", value: "\(max(0, g.capacity - g.taken)) из \(g.capacity)"),
            Fact(label: "Оплата", value: program.funding.title),
        ]
    }

    static func refusalError(_ e: Refusal) -> FieldError {
        FieldError(field: e.field, message: e.message)
    }

    // MARK: the parent chooses and applies

    struct EnrollQuery: Content {
        var group: String?
        var child: String?
        var start: String?
    }

    static func enrollPage(req: Request) async throws -> Response {
        let q = try req.query.decode(EnrollQuery.self)
        return try await renderEnroll(req, q, errors: [])
    }

    static func renderEnroll(_ req: Request, _ q: EnrollQuery, errors: [FieldError], status: HTTPResponseStatus = .ok) async throws -> Response {
        let p = try req.requirePrincipal()
        guard let groupID = q.group.flatMap(UUID.init(uuidString:)), let group = try await GroupModel.find(groupID, on: req.db),
              let module = try await ModuleModel.find(group.moduleID, on: req.db),
              let program = try await ProgramModel.find(group.programID, on: req.db),
              let provider = try await ProviderModel.find(group.providerID, on: req.db),
              program.status == .certified, provider.status == .active else { throw Abort(.notFound) }
        let children = try await ChildModel.scopedQuery(on: req.db, for: p)!.sort(\.$birthDate, .descending).all()
        var errors = errors
        var start: LocalDate? = nil
        if let raw = q.start, !raw.isEmpty {
            start = LocalDate(iso: raw) ?? LocalDate(russian: raw)
            if start == nil { errors.append(FieldError(field: "start", message: "Дата начала — в формате ДД.ММ.ГГГГ.")) }
        }
        let chosen = q.child.flatMap(UUID.init(uuidString:)).flatMap { id in children.first { $0.id == id } }
            ?? (children.count == 1 ? children.first : nil)
        var sections = [Section(heading: "Группа", facts: groupFacts(group, module: module, program: program, provider: provider.shortName),
                                links: [Cell("Страница программы в каталоге", href: SiteRoute.catalogProgram(program.id!).url)])]
        let childOptions = [FormBlock.Option(value: "", label: "— выберите —", selected: chosen == nil)] + children.map {
            FormBlock.Option(value: $0.id!.lowercasedString, label: $0.fullName, selected: $0.id == chosen?.id)
        }
        var plan: EnrollmentPlan? = nil
        if let chosen {
            plan = try await req.navigator.enrollment.reader.plan(child: chosen, groupID: groupID, start: start, now: req.now, on: req.db)
        }
        let startValue = (start ?? plan?.start)?.iso ?? ""
        sections.append(Section(heading: "Ребёнок и дата начала", text: children.isEmpty ? "Сначала добавьте ребёнка в кабинете и оформите сертификат." : nil,
                                forms: children.isEmpty ? [] : [FormBlock(
                                    id: "plan", action: SiteRoute.familyEnroll.url,
                                    fields: [.init("child", "Ребёнок", type: "select", required: true, options: childOptions, errors: errors, formID: "plan"),
                                             .init("start", "Дата начала занятий", type: "date", value: startValue,
                                                   hint: "Не раньше начала группы и текущего месяца.", errors: errors, formID: "plan")],
                                    hidden: [.init(name: "group", value: groupID.lowercasedString)], submit: "Рассчитать стоимость", method: "get")],
                                links: children.isEmpty ? [Cell("Добавить ребёнка", href: SiteRoute.familyChildNew.url)] : []))
        if let plan, let chosen {
            var facts: [Fact] = []
            if let end = plan.end { facts.append(Fact(label: "Договор", value: "с \(plan.start.russian) по \(end.russian)")) }
            if let q = plan.quote {
                facts += [Fact(label: "Стоимость за этот срок", value: money(q.full.kopecks)),
                          Fact(label: "Оплачивает сертификат", value: money(q.certificate.kopecks)),
                          Fact(label: "Доплачивает родитель", value: money(q.parent.kopecks))]
                if program.funding == .certificate {
                    facts.append(Fact(label: "Доступно на сертификате", value: money(plan.balance)))
                }
            }
            var text: String? = nil
            if let r = plan.refusal { text = "Записаться нельзя: " + r.message }
            else if plan.full { text = "В группе нет свободных мест. Можно встать в очередь: когда место освободится, первый в очереди получит предложение." }
            var forms: [FormBlock] = []
            let hidden: [FormBlock.Hidden] = [.init(name: "group", value: groupID.lowercasedString), .init(name: "child", value: chosen.id!.lowercasedString),
                                              .init(name: "start", value: plan.start.iso)]
            if plan.refusal == nil && !plan.full {
                forms.append(FormBlock(id: "apply", action: SiteRoute.familyEnroll.url, hidden: hidden, submit: "Подать заявку"))
            } else if plan.refusal == nil {
                forms.append(FormBlock(id: "waitlist", action: SiteRoute.familyWaitlist.url, hidden: hidden, submit: "Встать в очередь"))
            }
            var tables: [Table] = []
            if let q = plan.quote { tables.append(monthsTable(MonthPart.from(q))) }
            sections.append(Section(heading: "Расчёт для ребёнка: \(chosen.fullName)", text: text, facts: facts, tables: tables, forms: forms))
            if !plan.overlaps.isEmpty {
                sections.insert(Section(heading: "Внимание: пересечение расписания",
                                        text: "Занятия этой группы пересекаются с занятиями, на которые ребёнок уже записан: " + plan.overlaps.joined(separator: "; ") + "."),
                                at: sections.count - 1)
            }
        }
        let page = CabinetPage(layout: req.layout("Запись: \(program.name)"), heading: "Запись в группу «\(group.name)»",
                               lead: "«\(program.name)», \(provider.shortName). Выберите ребёнка и дату начала: система покажет, что оплачивает сертификат и что — вы, по месяцам.",
                               sections: sections, errors: errors)
        return try await req.view.render("cabinet/page", page).encodeResponse(status: status, for: req)
    }

    struct ApplyForm: Content {
        var group: String?
        var child: String?
        var start: String?
    }

    static func apply(req: Request) async throws -> Response {
        let f = try req.content.decode(ApplyForm.self)
        let q = EnrollQuery(group: f.group, child: f.child, start: f.start)
        guard let childID = f.child.flatMap(UUID.init(uuidString:)), let groupID = f.group.flatMap(UUID.init(uuidString:)) else {
            return try await renderEnroll(req, q, errors: [FieldError(field: "child", message: "Выберите ребёнка.")], status: .unprocessableEntity)
        }
        let child = try await req.find(ChildModel.self, childID, for: .write)
        let start = f.start.flatMap(LocalDate.init(iso:))
        do {
            let c = try await req.navigator.enrollment.applications.apply(.init(childID: child.requireID(), family: nil, groupID: groupID, start: start))
            return req.redirect(to: SiteRoute.familyApplication(c.id).url + "?done=applied", redirectType: .normal)
        } catch let e as Refusal {
            return try await renderEnroll(req, q, errors: [refusalError(e)], status: AppError(e).status)
        }
    }

    static func joinWaitlist(req: Request) async throws -> Response {
        let f = try req.content.decode(ApplyForm.self)
        let q = EnrollQuery(group: f.group, child: f.child, start: f.start)
        guard let childID = f.child.flatMap(UUID.init(uuidString:)), let groupID = f.group.flatMap(UUID.init(uuidString:)) else {
            return try await renderEnroll(req, q, errors: [FieldError(field: "child", message: "Выберите ребёнка.")], status: .unprocessableEntity)
        }
        let child = try await req.find(ChildModel.self, childID, for: .write)
        do {
            let plan = try await req.navigator.enrollment.reader.plan(child: child, groupID: groupID, start: f.start.flatMap(LocalDate.init(iso:)),
                                                                     now: req.now, on: req.db)
            _ = try await req.navigator.enrollment.waitingLists.join(child: child, plan: plan)
            return req.redirect(to: SiteRoute.familyApplications.url + "?done=waitlist", redirectType: .normal)
        } catch let e as Refusal {
            return try await renderEnroll(req, q, errors: [refusalError(e)], status: AppError(e).status)
        }
    }

    // MARK: lists

    struct Names {
        var children: [UUID: String] = [:]
        var programs: [UUID: String] = [:]
        var groups: [UUID: String] = [:]
        var providers: [UUID: String] = [:]
    }

    static func names(_ contracts: [ContractModel], waitlist: [WaitlistModel] = [], on db: any Database) async throws -> Names {
        var n = Names()
        let childIDs = Set(contracts.map(\.childID) + waitlist.map(\.childID))
        let groupIDs = Set(contracts.map(\.groupID) + waitlist.map(\.groupID))
        if !childIDs.isEmpty {
            for c in try await ChildModel.query(on: db).filter(\.$id ~~ Array(childIDs)).all() { n.children[c.id!] = c.fullName }
        }
        if !groupIDs.isEmpty {
            let groups = try await GroupModel.query(on: db).filter(\.$id ~~ Array(groupIDs)).all()
            for g in groups { n.groups[g.id!] = g.name }
            let programIDs = Set(groups.map(\.programID) + contracts.map(\.programID))
            for p in try await ProgramModel.query(on: db).filter(\.$id ~~ Array(programIDs)).all() { n.programs[p.id!] = p.name }
            let providerIDs = Set(groups.map(\.providerID))
            for p in try await ProviderModel.query(on: db).filter(\.$id ~~ Array(providerIDs)).all() { n.providers[p.id!] = p.shortName }
        }
        return n
    }

    static func contractRows(_ list: [ContractModel], _ n: Names, link: (UUID) -> String, child: Bool = true) -> [[Cell]] {
        list.map { c in
            let dates = [c.startsOn, c.endsOn].compactMap(LocalDate.init(iso:)).map(\.russian).joined(separator: " – ")
            var row = [Cell(c.number, href: link(c.id!))]
            if child { row.append(Cell(n.children[c.childID] ?? "—")) }
            row += [Cell(n.programs[c.programID] ?? "—"), Cell(n.groups[c.groupID] ?? "—"), Cell(c.status.title), Cell(dates),
                    Cell(money(c.certificateAmount)), Cell(money(c.parentAmount))]
            return row
        }
    }

    static let contractHeaders = ["Номер", "Ребёнок", "Программа", "Группа", "Статус", "Срок", "Сертификат", "Родитель"]

    static func familyList(req: Request) async throws -> View {
        let p = try req.requirePrincipal()
        let contracts = try await ContractModel.scopedQuery(on: req.db, for: p)!.sort(\.$createdAt, .descending).all()
        let waitlist = try await WaitlistModel.scopedQuery(on: req.db, for: p)!.filter(\.$status ~~ [WaitlistStatus.waiting, .offered, .dropped])
            .sort(\.$createdAt, .descending).all()
        let n = try await names(contracts, waitlist: waitlist, on: req.db)
        let live = contracts.filter { $0.status.isLive }
        let closed = contracts.filter { !$0.status.isLive }
        var waitRows: [[Cell]] = []
        var leaveForms: [FormBlock] = []
        for e in waitlist {
            let pos = try await req.navigator.enrollment.waitingLists.position(e, on: req.db)
            let state = switch e.status {
            case .waiting: "в очереди, место № \(pos ?? 0)"
            case .offered: "получено предложение"
            default: "исключён из очереди" + (e.reason.map { ": \($0)" } ?? "")
            }
            waitRows.append([Cell(n.children[e.childID] ?? "—"), Cell(n.groups[e.groupID] ?? "—"), Cell(state)])
            if e.status == .waiting {
                leaveForms.append(FormBlock(id: "leave-\(e.id!.uuidString.prefix(8).lowercased())", action: SiteRoute.familyWaitlistLeave(e.id!).url,
                                            submit: "Покинуть очередь: \(n.children[e.childID] ?? ""), «\(n.groups[e.groupID] ?? "")»"))
            }
        }
        let page = CabinetPage(
            layout: req.layout("Заявки и договоры"), heading: "Заявки и договоры",
            lead: "Заявки, оферты и договоры ваших детей: статус, сроки ответа и оплата по месяцам. Записаться можно со страницы программы в каталоге.",
            sections: [
                Section(heading: "Действующие заявки и договоры", tables: [Table(caption: "Заявки и договоры", headers: contractHeaders,
                        rows: contractRows(live, n, link: { SiteRoute.familyApplication($0).url }), empty: "Заявок пока нет.")],
                        links: [Cell("Найти программу в каталоге", href: SiteRoute.catalog(query: nil).url)]),
                Section(heading: "Очереди", tables: [Table(caption: "Очереди в группы", headers: ["Ребёнок", "Группа", "Положение"], rows: waitRows,
                                                           empty: "Ребёнок не стоит ни в одной очереди.")], forms: leaveForms),
                Section(heading: "Завершённые и закрытые", tables: [Table(caption: "Закрытые заявки и завершённые договоры", headers: contractHeaders,
                        rows: contractRows(closed, n, link: { SiteRoute.familyApplication($0).url }), empty: "Нет.")]),
            ])
        var out = page
        if req.query[String.self, at: "done"] == "waitlist" { out.notice = "Ребёнок поставлен в очередь. Когда место освободится, вы получите предложение." }
        return try await req.view.render("cabinet/page", out)
    }

    static func providerList(req: Request) async throws -> View {
        let p = try req.requirePrincipal()
        var q = ContractModel.scopedQuery(on: req.db, for: p)!
        let groupFilter = req.query[String.self, at: "group"].flatMap(UUID.init(uuidString:))
        if let g = groupFilter { q = q.filter(\.$groupID == g) }
        let contracts = try await q.sort(\.$createdAt, .descending).limit(2000).all()
        var wq = WaitlistModel.scopedQuery(on: req.db, for: p)!.filter(\.$status == .waiting)
        if let g = groupFilter { wq = wq.filter(\.$groupID == g) }
        let waitlist = try await wq.sort(\.$groupID).sort(\.$seq).all()
        let n = try await names(contracts, waitlist: waitlist, on: req.db)
        let link: (UUID) -> String = { SiteRoute.providerApplication($0).url }
        let incoming = contracts.filter { $0.status == .applied }
        let offers = contracts.filter { $0.status == .offered }
        let roster = contracts.filter { $0.status == .active || $0.status == .terminating }
        let closed = contracts.filter { !$0.status.isLive }
        var position: [UUID: Int] = [:]
        let waitRows = waitlist.map { e -> [Cell] in
            position[e.groupID, default: 0] += 1
            return [Cell(n.groups[e.groupID] ?? "—"), Cell("\(position[e.groupID]!)"), Cell(n.children[e.childID] ?? "—"),
                    Cell(LocalDate(e.createdAt, in: zone(e.regionCode)).russian)]
        }
        let page = CabinetPage(
            layout: req.layout("Заявки"), heading: "Заявки и договоры",
            lead: "Ответьте на заявку в течение \(ContractLifecycle.providerAnswerDays) дней: примите (родителю уйдёт оферта) или отклоните с причиной. Иначе заявка закроется сама.",
            sections: [
                Section(heading: "Новые заявки", tables: [Table(caption: "Ждут ответа", headers: contractHeaders, rows: contractRows(incoming, n, link: link),
                                                                empty: "Новых заявок нет.")]),
                Section(heading: "Оферты у родителей", tables: [Table(caption: "Оферты, ждущие согласия родителя", headers: contractHeaders,
                                                                      rows: contractRows(offers, n, link: link), empty: "Нет.")]),
                Section(heading: "Списки групп", tables: [Table(caption: "Действующие договоры", headers: contractHeaders,
                                                                rows: contractRows(roster, n, link: link), empty: "Договоров пока нет.")]),
                Section(heading: "Очереди", tables: [Table(caption: "Очереди в заполненные группы", headers: ["Группа", "Место", "Ребёнок", "В очереди с"],
                                                           rows: waitRows, empty: "Очередей нет.")]),
                Section(heading: "Закрытые", tables: [Table(caption: "Отклонённые, отозванные, просроченные и завершённые", headers: contractHeaders,
                                                            rows: contractRows(closed, n, link: link), empty: "Нет.")]),
            ])
        return try await req.view.render("cabinet/page", page)
    }

    /// The municipality (its territory), the operator and a monitor (the region or their municipality): every contract, read-only.
    static func contracts(req: Request) async throws -> View {
        let p = try req.requirePrincipal()
        var q = ContractModel.scopedQuery(on: req.db, for: p)!
        let status = req.query[String.self, at: "status"].flatMap(ContractStatus.init(rawValue:))
        if let status { q = q.filter(\.$status == status) }
        let list = try await q.sort(\.$createdAt, .descending).limit(500).all()
        let n = try await names(list, on: req.db)
        let options = [FormBlock.Option(value: "", label: "все", selected: status == nil)] +
            ContractStatus.allCases.map { FormBlock.Option(value: $0.rawValue, label: $0.title, selected: $0 == status) }
        let page = CabinetPage(
            layout: req.layout("Договоры"), heading: "Заявки и договоры",
            lead: "Заявки и договоры детей \(p.role == .municipality ? "муниципалитета" : "в области доступа"): показаны последние 500.",
            sections: [Section(heading: "Список",
                               tables: [Table(caption: "Заявки и договоры", headers: contractHeaders,
                                              rows: contractRows(list, n, link: { SiteRoute.contract($0).url }), empty: "Нет заявок и договоров.")],
                               forms: [FormBlock(id: "filter", action: SiteRoute.contracts.url,
                                                 fields: [.init("status", "Статус", type: "select", options: options, formID: "filter")],
                                                 submit: "Показать", method: "get")])])
        return try await req.view.render("cabinet/page", page)
    }

    // MARK: one application or contract

    static func familyShow(req: Request) async throws -> View { try await show(req, as: .parent) }
    static func providerShow(req: Request) async throws -> View { try await show(req, as: .provider) }
    static func readerShow(req: Request) async throws -> View { try await show(req, as: nil) }

    static func show(_ req: Request, as side: Role?, errors: [FieldError] = []) async throws -> View {
        let c = try await req.find(ContractModel.self, req.parameters.get("id", as: UUID.self), for: .read)
        guard let group = try await GroupModel.find(c.groupID, on: req.db), let module = try await ModuleModel.find(c.moduleID, on: req.db),
              let program = try await ProgramModel.find(c.programID, on: req.db),
              let provider = try await ProviderModel.find(c.providerID, on: req.db),
              let child = try await ChildModel.find(c.childID, on: req.db),
              let cert = try await CertificateModel.find(c.certificateID, on: req.db) else { throw Abort(.notFound) }
        let status = c.status
        let z = zone(c.regionCode)
        var facts = [Fact(label: "Статус", value: status.title), Fact(label: "Ребёнок", value: child.fullName),
                     Fact(label: "Сертификат", value: "№ \(cert.number ?? "—")"),
                     Fact(label: "Срок договора", value: "с \(LocalDate(iso: c.startsOn)!.russian) по \(LocalDate(iso: c.endsOn)!.russian)"),
                     Fact(label: "Стоимость", value: money(c.fullAmount)), Fact(label: "Оплачивает сертификат", value: money(c.certificateAmount)),
                     Fact(label: "Доплачивает родитель", value: money(c.parentAmount)),
                     Fact(label: "Заявка подана", value: LocalDate(c.createdAt, in: z).russian)]
        if let due = c.answerDue {
            facts.append(Fact(label: status == .applied ? "Поставщик ответит до" : "Принять оферту до", value: LocalDate(due, in: z).russian))
        }
        if let r = c.reason { facts.append(Fact(label: "Причина", value: r)) }
        if c.plannedEndsOn != c.endsOn, c.noticeAt != nil {
            facts.append(Fact(label: "Расторжение", value: "по инициативе \(c.noticeBy == .provider ? "поставщика" : "родителя"), последний день — \(LocalDate(iso: c.endsOn)!.russian)"))
        }
        if c.fromWaitlist { facts.append(Fact(label: "Место", value: "из очереди")) }
        if let prev = c.previousID {
            facts.append(Fact(label: "Продлевает договор", value: ContractModel.number(prev)))
        }
        let successor = try await ContractModel.query(on: req.db).filter(\.$previousID == c.id!).first()
        var prolongable = false
        if let period = try await PeriodModel.find(c.periodID, on: req.db) {
            if period.status == .current && Prolongations.prolongable(c, periodEnd: period.endsOn, groupEnd: group.endsOn) {
                prolongable = try await Prolongations.nextPeriodDefined(c.municipalityID, on: req.db)
            }
            if let s = successor {
                facts.append(Fact(label: "Продление", value: "продлён договором \(s.number) с \(LocalDate(iso: s.startsOn)!.russian)"))
            } else if c.prolongation == .skipped {
                facts.append(Fact(label: "Продление", value: "не продлён на следующий период"))
            } else if prolongable {
                facts.append(Fact(label: "Продление", value: c.prolongation == .declined
                                  ? "вы отказались: договор закончится \(LocalDate(iso: c.endsOn)!.russian)"
                                  : "будет продлён на следующий период автоматически (можно отказаться)"))
            }
        }
        var forms: [FormBlock] = []
        let id = c.id!
        if side == .parent && prolongable {
            let declined = c.prolongation == .declined
            forms.append(FormBlock(id: "prolongation", action: SiteRoute.familyApplicationProlongation(id).url,
                                   heading: declined ? "Продление на следующий период" : "Отказ от продления на следующий период",
                                   hidden: [.init(name: "prolong", value: declined ? "1" : "0")],
                                   submit: declined ? "Всё-таки продлить договор" : "Отказаться от продления"))
        }
        switch side {
        case .parent:
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
        default: break
        }
        var sections = [
            Section(heading: "Заявка и договор", facts: facts, forms: forms),
            Section(heading: "Группа", facts: groupFacts(group, module: module, program: program, provider: provider.fullName)),
            Section(heading: "Оплата по месяцам", tables: [monthsTable(c.parts)]),
        ]
        if status != .applied && status != .rejected {
            sections.append(offerText(c, program: program, module: module, group: group, provider: provider, child: child, cert: cert))
        }
        let notice: String? = switch req.query[String.self, at: "done"] {
        case "applied": "Заявка подана: место в группе и средства сертификата зарезервированы. Поставщик ответит в течение \(ContractLifecycle.providerAnswerDays) дней."
        case "offer": "Оферта направлена родителю."
        case "reject": "Заявка отклонена, место и средства освобождены."
        case "withdraw": "Заявка закрыта, место и средства освобождены."
        case "accept": "Договор заключён."
        case "notice": "Договор расторгается: средства за следующие месяцы возвращены на сертификат."
        case "prolong": "Договор будет продлён на следующий период."
        case "decline": "Вы отказались от продления: договор закончится вместе с периодом."
        default: nil
        }
        var page = CabinetPage(layout: req.layout("Договор \(c.number)"), heading: "\(status == .applied ? "Заявка" : "Договор") \(c.number)",
                               lead: "«\(program.name)» — \(child.fullName).", sections: sections, errors: errors)
        page.notice = notice
        return try await req.view.render("cabinet/page", page)
    }

    /// The offer: the text of the contract with its terms and the split, for printing.
    static func offerText(_ c: ContractModel, program: ProgramModel, module: ModuleModel, group: GroupModel, provider: ProviderModel,
                          child: ChildModel, cert: CertificateModel) -> Section {
        let start = LocalDate(iso: c.startsOn)!.russian, end = LocalDate(iso: c.plannedEndsOn)!.russian
        let text = """
            Договор об образовании № \(c.number) (публичная оферта). \(provider.fullName) (ИНН \(provider.inn)), далее — Исполнитель, \
            обязуется оказать образовательную услугу по дополнительной общеразвивающей программе «\(program.name)», модуль «\(module.name)», \
            группа «\(group.name)», обучающемуся \(child.fullName), сертификат дополнительного образования № \(cert.number ?? "—"), \
            в период с \(start) по \(end), а Заказчик (родитель, законный представитель) — принять и оплатить её. \
            Полная стоимость услуги за период: \(money(c.fullAmount)); из них за счёт сертификата: \(money(c.certificateAmount)); \
            оплачивает Заказчик: \(money(c.parentAmount)), ежемесячно частями, указанными в таблице оплаты. \
            Месяц оплачивается полностью, если договор действует в его первый день; занятия, отменённые Исполнителем, уменьшают оплату месяца пропорционально. \
            Любая сторона вправе расторгнуть договор, уведомив другую в личном кабинете: договор прекращается в последний день месяца уведомления, \
            неиспользованные средства сертификата возвращаются. Оферта принимается нажатием «Принять оферту» в течение \(ContractLifecycle.parentAnswerDays) дней.
            """
        return Section(heading: "Текст оферты", text: text + " (Чтобы распечатать оферту с таблицей оплаты, используйте печать браузера: меню и кнопки на бумагу не выводятся.)")
    }

    // MARK: steps from the pages

    static func step(_ req: Request, _ step: ContractEvent, done: String, back: (UUID) -> String) async throws -> Response {
        let p = try req.requirePrincipal()
        guard let id = req.parameters.get("id", as: UUID.self) else { throw Abort(.notFound) }
        _ = try await req.find(ContractModel.self, id, for: .read)
        do {
            _ = try await req.navigator.enrollment.steps.step(id, step, by: p)
            return req.redirect(to: back(id) + "?done=" + done, redirectType: .normal)
        } catch let e as Refusal where e.kind != .forbidden {
            return try await show(req, as: p.role, errors: [refusalError(e)]).encodeResponse(status: AppError(e).status, for: req)
        }
    }

    static func familyWithdraw(req: Request) async throws -> Response { try await step(req, .withdraw, done: "withdraw", back: { SiteRoute.familyApplication($0).url }) }
    static func familyAccept(req: Request) async throws -> Response { try await step(req, .accept, done: "accept", back: { SiteRoute.familyApplication($0).url }) }
    static func familyNotice(req: Request) async throws -> Response { try await step(req, .notice, done: "notice", back: { SiteRoute.familyApplication($0).url }) }
    static func familyProlongation(req: Request) async throws -> Response {
        struct F: Content { var prolong: String? }
        let p = try req.requirePrincipal()
        guard let id = req.parameters.get("id", as: UUID.self) else { throw Abort(.notFound) }
        _ = try await req.find(ContractModel.self, id, for: .read)
        let prolong = try req.content.decode(F.self).prolong == "1"
        do {
            _ = try await req.navigator.enrollment.prolongations.choose(id, prolong: prolong, by: p)
            return req.redirect(to: SiteRoute.familyApplication(id).url + "?done=" + (prolong ? "prolong" : "decline"), redirectType: .normal)
        } catch let e as Refusal where e.kind != .forbidden {
            return try await show(req, as: p.role, errors: [refusalError(e)]).encodeResponse(status: AppError(e).status, for: req)
        }
    }
    static func providerOffer(req: Request) async throws -> Response { try await step(req, .offer, done: "offer", back: { SiteRoute.providerApplication($0).url }) }
    static func providerNotice(req: Request) async throws -> Response { try await step(req, .notice, done: "notice", back: { SiteRoute.providerApplication($0).url }) }
    static func providerReject(req: Request) async throws -> Response {
        struct F: Content { var reason: String? }
        let f = try req.content.decode(F.self)
        return try await step(req, .reject(reason: f.reason ?? ""), done: "reject", back: { SiteRoute.providerApplication($0).url })
    }

    static func leaveWaitlist(req: Request) async throws -> Response {
        let e = try await req.find(WaitlistModel.self, req.parameters.get("id", as: UUID.self), for: .write)
        do {
            try await req.navigator.enrollment.waitingLists.leave(e, by: req.requirePrincipal())
        } catch let r as Refusal where r.kind != .forbidden {}
        return req.redirect(to: SiteRoute.familyApplications.url, redirectType: .normal)
    }
}
