import Domain
import Fluent
import Vapor

/// Provider staff keep their programs, modules and groups and send programs to certification.
enum ProgramsController {
    // MARK: forms

    struct ProgramForm: Content {
        var name: String?
        var annotation: String?
        var direction: String?
        var activityKinds: [String]?
        var level: String?
        var form: String?
        var distance: String?
        var ageFromYears: String?
        var ageFromMonths: String?
        var ageToYears: String?
        var ageToMonths: String?
        var disabilities: [String]?
        var funding: String?

        var input: ProgramInput {
            var i = ProgramInput()
            i.name = name ?? ""
            i.annotation = annotation ?? ""
            i.direction = direction ?? ""
            i.activityKinds = activityKinds ?? []
            i.level = level ?? ""
            i.form = form ?? ""
            i.distance = distance == "on" || distance == "true"
            i.ageFromYears = ageFromYears ?? ""
            i.ageFromMonths = ageFromMonths ?? ""
            i.ageToYears = ageToYears ?? ""
            i.ageToMonths = ageToMonths ?? ""
            i.disabilities = disabilities ?? []
            i.funding = funding ?? ""
            return i
        }

        init() {}
        init(_ p: ProgramModel) {
            name = p.name
            annotation = p.annotation
            direction = p.direction
            activityKinds = p.kindCodes
            level = p.level
            form = p.form
            distance = p.distance ? "on" : nil
            ageFromYears = String(p.ageFrom / 12)
            ageFromMonths = String(p.ageFrom % 12)
            ageToYears = String(p.ageTo / 12)
            ageToMonths = String(p.ageTo % 12)
            disabilities = p.disabilityCodes
            funding = p.funding.rawValue
        }
    }

    struct ModuleForm: Content {
        var name: String?
        var months: String?
        var hours: String?
        var minChildren: String?
        var maxChildren: String?
        var price: String?

        var input: ModuleInput {
            var i = ModuleInput()
            i.name = name ?? ""
            i.months = months ?? ""
            i.hours = hours ?? ""
            i.minChildren = minChildren ?? ""
            i.maxChildren = maxChildren ?? ""
            i.price = price ?? ""
            return i
        }

        init() {}
        init(_ m: ModuleModel) {
            name = m.name
            months = String(m.months)
            hours = String(m.hours)
            minChildren = String(m.minChildren)
            maxChildren = String(m.maxChildren)
            price = Roubles.text(m.price)
        }
    }

    struct GroupForm: Content {
        var module: String?
        var name: String?
        var teacher: String?
        var address: String?
        var latitude: String?
        var longitude: String?
        var startsOn: String?
        var endsOn: String?
        var capacity: String?
        var schedule: String?
        var enrollFrom: String?
        var enrollUntil: String?
        var status: String?

        var input: GroupInput {
            var i = GroupInput()
            i.name = name ?? ""
            i.teacher = teacher ?? ""
            i.address = address ?? ""
            i.latitude = latitude ?? ""
            i.longitude = longitude ?? ""
            i.startsOn = startsOn ?? ""
            i.endsOn = endsOn ?? ""
            i.capacity = capacity ?? ""
            i.schedule = schedule ?? ""
            i.enrollFrom = enrollFrom ?? ""
            i.enrollUntil = enrollUntil ?? ""
            i.status = status ?? GroupStatus.open.rawValue
            return i
        }

        init() {}
        init(_ g: GroupModel) {
            module = g.moduleID.lowercasedString
            name = g.name
            teacher = g.teacher
            address = g.address
            latitude = g.latitude.map { String($0) }
            longitude = g.longitude.map { String($0) }
            startsOn = g.startsOn
            endsOn = g.endsOn
            capacity = String(g.capacity)
            schedule = ScheduleSlot.text(g.slots)
            enrollFrom = g.enrollFrom
            enrollUntil = g.enrollUntil
            status = g.status.rawValue
        }
    }

    static func programFields(_ f: ProgramForm, errors: [FieldError], formID: String) -> [FormBlock.Field] {
        let kinds = ActivityKinds.all.map { k in
            FormBlock.Option(value: k.code, label: "\(k.title) (\(k.direction.title))", selected: f.activityKinds?.contains(k.code) == true)
        }
        let dis = DisabilityCategory.allCases.map { d in
            FormBlock.Option(value: d.rawValue, label: d.title, selected: f.disabilities?.contains(d.rawValue) == true)
        }
        return [
            .init("name", "Название программы", value: f.name ?? "", required: true, errors: errors, formID: formID),
            .init("annotation", "Аннотация", type: "textarea", value: f.annotation ?? "", hint: "Чему научится ребёнок, как проходят занятия. До 5000 символов.",
                  required: true, errors: errors, formID: formID),
            .init("direction", "Направленность", type: "select", required: true,
                  options: FormBlock.choices(Direction.allCases, { (d: Direction) in d.title }, f.direction), errors: errors, formID: formID),
            .init("activityKinds", "Виды деятельности", type: "checkboxes", hint: "Только виды выбранной направленности.", required: true,
                  options: kinds, errors: errors, formID: formID),
            .init("level", "Уровень", type: "select", required: true,
                  options: FormBlock.choices(ProgramLevel.allCases, { (l: ProgramLevel) in l.title }, f.level), errors: errors, formID: formID),
            .init("form", "Форма обучения", type: "select", required: true,
                  options: FormBlock.choices(StudyForm.allCases, { (s: StudyForm) in s.title }, f.form), errors: errors, formID: formID),
            .init("distance", "С применением дистанционных технологий", type: "checkbox", checked: f.distance == "on", errors: errors, formID: formID),
            .init("ageFromYears", "Возраст с, лет", type: "number", value: f.ageFromYears ?? "", required: true, errors: errors, formID: formID),
            .init("ageFromMonths", "и месяцев", type: "number", value: f.ageFromMonths ?? "0", errors: errors, formID: formID),
            .init("ageToYears", "Возраст по, лет", type: "number", value: f.ageToYears ?? "", required: true, errors: errors, formID: formID),
            .init("ageToMonths", "и месяцев", type: "number", value: f.ageToMonths ?? "0", hint: "Например, «по 17 лет 11 месяцев» — до 18-летия.",
                  errors: errors, formID: formID),
            .init("disabilities", "Подходит детям с ОВЗ", type: "checkboxes", options: dis, errors: errors, formID: formID),
            .init("funding", "Вид финансирования", type: "select", required: true,
                  options: FormBlock.choices(FundingKind.allCases, { (k: FundingKind) in k.title }, f.funding), errors: errors, formID: formID),
        ]
    }

    static func moduleFields(_ f: ModuleForm, errors: [FieldError], formID: String) -> [FormBlock.Field] {
        [
            .init("name", "Название модуля", value: f.name ?? "", hint: "Например, «Первый год обучения».", required: true, errors: errors, formID: formID),
            .init("months", "Продолжительность, месяцев", type: "number", value: f.months ?? "", required: true, errors: errors, formID: formID),
            .init("hours", "Объём, часов", type: "number", value: f.hours ?? "", required: true, errors: errors, formID: formID),
            .init("minChildren", "Детей в группе: не меньше", type: "number", value: f.minChildren ?? "", required: true, errors: errors, formID: formID),
            .init("maxChildren", "Детей в группе: не больше", type: "number", value: f.maxChildren ?? "", required: true, errors: errors, formID: formID),
            .init("price", "Цена модуля, ₽", value: f.price ?? "", hint: "За весь модуль, например 18 000,00. Для бесплатной программы оставьте пустым.",
                  errors: errors, formID: formID),
        ]
    }

    static func groupFields(_ f: GroupForm, modules: [ModuleModel], errors: [FieldError], formID: String) -> [FormBlock.Field] {
        let moduleOptions = [FormBlock.Option(value: "", label: "— выберите —", selected: f.module == nil)] +
            modules.map { FormBlock.Option(value: $0.id!.lowercasedString, label: $0.name, selected: f.module?.lowercased() == $0.id!.lowercasedString) }
        return [
            .init("module", "Модуль", type: "select", required: true, options: moduleOptions, errors: errors, formID: formID),
            .init("name", "Название группы", value: f.name ?? "", required: true, errors: errors, formID: formID),
            .init("teacher", "Педагог", value: f.teacher ?? "", required: true, errors: errors, formID: formID),
            .init("address", "Адрес занятий", value: f.address ?? "", required: true, errors: errors, formID: formID),
            .init("latitude", "Широта", value: f.latitude ?? "", hint: "Необязательно, например 53,5990", errors: errors, formID: formID),
            .init("longitude", "Долгота", value: f.longitude ?? "", hint: "Необязательно, например 87,3366", errors: errors, formID: formID),
            .init("startsOn", "Начало занятий", type: "date", value: f.startsOn ?? "", required: true, errors: errors, formID: formID),
            .init("endsOn", "Окончание занятий", type: "date", value: f.endsOn ?? "", required: true, errors: errors, formID: formID),
            .init("capacity", "Мест в группе", type: "number", value: f.capacity ?? "", required: true, errors: errors, formID: formID),
            .init("schedule", "Расписание", value: f.schedule ?? "", hint: "Например: пн 15:00-16:30; ср 15:00-16:30", required: true,
                  errors: errors, formID: formID),
            .init("enrollFrom", "Приём заявок с", type: "date", value: f.enrollFrom ?? "", errors: errors, formID: formID),
            .init("enrollUntil", "Приём заявок по", type: "date", value: f.enrollUntil ?? "", errors: errors, formID: formID),
            .init("status", "Набор", type: "select", required: true,
                  options: GroupStatus.allCases.map { .init(value: $0.rawValue, label: $0.title, selected: (f.status ?? GroupStatus.open.rawValue) == $0.rawValue) },
                  errors: errors, formID: formID),
        ]
    }

    // MARK: loading within scope

    static func ownProvider(_ req: Request) async throws -> ProviderModel {
        let p = try req.requirePrincipal()
        guard let provider = try await ProviderModel.scopedQuery(on: req.db, for: p)?.first() else { throw Abort(.notFound) }
        return provider
    }

    static func ownProgram(_ req: Request, for action: AccessAction = .write) async throws -> ProgramModel {
        try await req.find(ProgramModel.self, req.parameters.get("id", as: UUID.self), for: action)
    }

    // MARK: pages

    static func list(req: Request) async throws -> View {
        try await renderList(req, form: ProgramForm(), errors: [])
    }

    static func renderList(_ req: Request, form: ProgramForm, errors: [FieldError]) async throws -> View {
        let provider = try await ownProvider(req)
        let programs = try await ProgramModel.scopedQuery(on: req.db, for: try req.requirePrincipal())!.sort(\.$name).all()
        var sections = [Section(heading: "Программы", tables: [ProgramViews.programTable(programs, link: { SiteRoute.providerProgram($0).url })])]
        if provider.status == .banned {
            sections.append(Section(heading: "Новая программа", text: "Поставщик исключён из реестра: добавлять программы нельзя."))
        } else {
            sections.append(Section(heading: "Новая программа",
                                    text: "Программа сохраняется черновиком. Добавьте модули и группы и отправьте её на сертификацию: в каталоге она появится после решения оператора." +
                                        (provider.status == .active ? "" : " Пока карточка организации не одобрена оператором, программы не видны в каталоге."),
                                    forms: [FormBlock(id: "program", action: SiteRoute.providerPrograms.url,
                                                      fields: programFields(form, errors: errors, formID: "program"), submit: "Создать программу")]))
        }
        return try await req.view.render("cabinet/page", CabinetPage(layout: req.layout("Программы"), heading: "Программы",
                                                                     lead: provider.shortName, sections: sections, errors: errors))
    }

    static func create(req: Request) async throws -> Response {
        let provider = try await ownProvider(req)
        let form = try req.content.decode(ProgramForm.self)
        do {
            let p = try await req.application.navigator.catalog.createProgram(provider: provider, input: form.input)
            return req.redirect(to: SiteRoute.providerProgram(p.id!).url, redirectType: .normal)
        } catch let e as ValidationFailure {
            return try await renderList(req, form: form, errors: e.errors).encodeResponse(status: .unprocessableEntity, for: req)
        }
    }

    static func show(req: Request) async throws -> View {
        let program = try await ownProgram(req, for: .read)
        return try await renderProgram(req, program, card: ProgramForm(program), module: ModuleForm(), group: GroupForm(), errors: [], formWithErrors: nil)
    }

    static func renderProgram(_ req: Request, _ program: ProgramModel, card: ProgramForm, module: ModuleForm, group: GroupForm,
                              errors: [FieldError], formWithErrors: String?) async throws -> View {
        let id = program.id!
        let service = req.application.navigator.catalog
        let modules = try await service.modules(of: id, on: req.db)
        let groups = try await service.groups(of: id, on: req.db)
        let status = program.status
        var statusText = "Статус: \(status.title)."
        if let r = program.statusReason { statusText += " \(r)" }
        if status == .certified { statusText += " Программа опубликована в каталоге, если карточка организации одобрена." }
        var actions: [FormBlock] = []
        if status.maySubmit {
            actions.append(FormBlock(id: "submit", action: SiteRoute.providerProgramSubmit(id).url, submit: "Отправить на сертификацию"))
        }
        if status != .archived {
            actions.append(FormBlock(id: "archive", action: SiteRoute.providerProgramArchive(id).url, heading: "Архив",
                                     submit: "Перенести в архив", danger: true))
        }
        var links: [Cell] = [Cell("Все программы", href: SiteRoute.providerPrograms.url)]
        if status == .certified { links.append(Cell("Страница программы в каталоге", href: SiteRoute.catalogProgram(id).url)) }
        var sections = [Section(heading: "Статус", text: statusText, forms: actions, links: links)]
        let e = { (name: String) in formWithErrors == name ? errors : [] }
        if status.mayEdit {
            sections.append(Section(heading: "Карточка программы", forms: [
                FormBlock(id: "card", action: SiteRoute.providerProgram(id).url, fields: programFields(card, errors: e("card"), formID: "card"),
                          submit: "Сохранить карточку"),
            ]))
        } else {
            sections.append(Section(heading: "Карточка программы", facts: ProgramViews.programFacts(program)))
        }
        var moduleForms: [FormBlock] = []
        if status.mayEdit {
            moduleForms.append(FormBlock(id: "module", action: SiteRoute.providerProgramModules(id).url, heading: "Новый модуль",
                                         fields: moduleFields(module, errors: e("module"), formID: "module"), submit: "Добавить модуль"))
        }
        sections.append(Section(heading: "Модули",
                                text: "Изменение цены, продолжительности или объёма модуля сертифицированной программы снова отправляет её на сертификацию; заключённые договоры не меняются.",
                                tables: [ProgramViews.moduleTable(modules, link: { SiteRoute.providerModule($0).url })], forms: moduleForms))
        var groupForms: [FormBlock] = []
        if status.mayEdit && !modules.isEmpty {
            groupForms.append(FormBlock(id: "group", action: SiteRoute.providerProgramGroups(id).url, heading: "Новая группа",
                                        fields: groupFields(group, modules: modules, errors: e("group"), formID: "group"), submit: "Добавить группу"))
        }
        sections.append(Section(heading: "Группы", text: modules.isEmpty ? "Сначала добавьте модуль." : nil,
                                tables: [ProgramViews.groupTable(groups, modules: modules, link: { SiteRoute.providerGroup($0).url })], forms: groupForms))
        return try await req.view.render("cabinet/page", CabinetPage(layout: req.layout(program.name), heading: program.name,
                                                                     lead: "Программа поставщика", sections: sections, errors: errors))
    }

    static func update(req: Request) async throws -> Response {
        let program = try await ownProgram(req)
        let form = try req.content.decode(ProgramForm.self)
        do {
            try await req.application.navigator.catalog.updateProgram(program, input: form.input)
        } catch let e as ValidationFailure {
            return try await renderProgram(req, program, card: form, module: ModuleForm(), group: GroupForm(), errors: e.errors, formWithErrors: "card")
                .encodeResponse(status: .unprocessableEntity, for: req)
        }
        return req.redirect(to: SiteRoute.providerProgram(program.id!).url, redirectType: .normal)
    }

    static func addModule(req: Request) async throws -> Response {
        let program = try await ownProgram(req)
        let form = try req.content.decode(ModuleForm.self)
        do {
            _ = try await req.application.navigator.catalog.saveModule(nil, program: program, input: form.input)
        } catch let e as ValidationFailure {
            return try await renderProgram(req, program, card: ProgramForm(program), module: form, group: GroupForm(), errors: e.errors,
                                           formWithErrors: "module").encodeResponse(status: .unprocessableEntity, for: req)
        }
        return req.redirect(to: SiteRoute.providerProgram(program.id!).url, redirectType: .normal)
    }

    static func addGroup(req: Request) async throws -> Response {
        let program = try await ownProgram(req)
        let form = try req.content.decode(GroupForm.self)
        do {
            _ = try await req.application.navigator.catalog.saveGroup(nil, program: program, moduleID: form.module.flatMap(UUID.init(uuidString:)),
                                                                         input: form.input)
        } catch let e as ValidationFailure {
            return try await renderProgram(req, program, card: ProgramForm(program), module: ModuleForm(), group: form, errors: e.errors,
                                           formWithErrors: "group").encodeResponse(status: .unprocessableEntity, for: req)
        }
        return req.redirect(to: SiteRoute.providerProgram(program.id!).url, redirectType: .normal)
    }

    static func submit(req: Request) async throws -> Response {
        let program = try await ownProgram(req)
        try await req.application.navigator.catalog.submit(program)
        return req.redirect(to: SiteRoute.providerProgram(program.id!).url, redirectType: .normal)
    }

    static func archive(req: Request) async throws -> Response {
        let program = try await ownProgram(req)
        try await req.application.navigator.catalog.archive(program, by: req.requirePrincipal())
        return req.redirect(to: SiteRoute.providerProgram(program.id!).url, redirectType: .normal)
    }

    // MARK: a module's and a group's own page

    static func modulePage(req: Request) async throws -> View {
        let m = try await req.find(ModuleModel.self, req.parameters.get("id", as: UUID.self), for: .read)
        return try await renderModule(req, m, form: ModuleForm(m), errors: [])
    }

    static func renderModule(_ req: Request, _ m: ModuleModel, form: ModuleForm, errors: [FieldError]) async throws -> View {
        var facts = [Fact(label: "Нормативная стоимость", value: m.normative.map { Money(kopecks: $0).formatted } ?? "не установлена")]
        facts.append(Fact(label: "Цена", value: Money(kopecks: m.price).formatted))
        let section = Section(heading: "Модуль", facts: facts,
                              forms: [FormBlock(id: "module", action: SiteRoute.providerModule(m.id!).url,
                                                fields: moduleFields(form, errors: errors, formID: "module"), submit: "Сохранить модуль")],
                              links: [Cell("К программе", href: SiteRoute.providerProgram(m.programID).url)])
        return try await req.view.render("cabinet/page", CabinetPage(layout: req.layout(m.name), heading: m.name, lead: "Модуль программы",
                                                                     sections: [section], errors: errors))
    }

    static func updateModule(req: Request) async throws -> Response {
        let m = try await req.find(ModuleModel.self, req.parameters.get("id", as: UUID.self), for: .write)
        guard let program = try await ProgramModel.find(m.programID, on: req.db) else { throw Abort(.notFound) }
        let form = try req.content.decode(ModuleForm.self)
        do {
            _ = try await req.application.navigator.catalog.saveModule(m, program: program, input: form.input)
        } catch let e as ValidationFailure {
            return try await renderModule(req, m, form: form, errors: e.errors).encodeResponse(status: .unprocessableEntity, for: req)
        }
        return req.redirect(to: SiteRoute.providerProgram(program.id!).url, redirectType: .normal)
    }

    static func groupPage(req: Request) async throws -> View {
        let g = try await req.find(GroupModel.self, req.parameters.get("id", as: UUID.self), for: .read)
        return try await renderGroup(req, g, form: GroupForm(g), errors: [])
    }

    static func renderGroup(_ req: Request, _ g: GroupModel, form: GroupForm, errors: [FieldError]) async throws -> View {
        let modules = try await req.application.navigator.catalog.modules(of: g.programID, on: req.db)
        let section = Section(heading: "Группа", facts: [Fact(label: "Занято мест", value: "\(g.taken) из \(g.capacity)")],
                              forms: [FormBlock(id: "group", action: SiteRoute.providerGroup(g.id!).url,
                                                fields: groupFields(form, modules: modules, errors: errors, formID: "group"), submit: "Сохранить группу")],
                              links: [Cell("К программе", href: SiteRoute.providerProgram(g.programID).url),
                                      Cell("Заявки, список группы и очередь", href: SiteRoute.providerApplications.url + "?group=" + g.id!.lowercasedString)])
        return try await req.view.render("cabinet/page", CabinetPage(layout: req.layout(g.name), heading: g.name, lead: "Группа программы",
                                                                     sections: [section], errors: errors))
    }

    static func updateGroup(req: Request) async throws -> Response {
        let g = try await req.find(GroupModel.self, req.parameters.get("id", as: UUID.self), for: .write)
        guard let program = try await ProgramModel.find(g.programID, on: req.db) else { throw Abort(.notFound) }
        let form = try req.content.decode(GroupForm.self)
        do {
            _ = try await req.application.navigator.catalog.saveGroup(g, program: program, moduleID: form.module.flatMap(UUID.init(uuidString:)),
                                                                         input: form.input)
        } catch let e as ValidationFailure {
            return try await renderGroup(req, g, form: form, errors: e.errors).encodeResponse(status: .unprocessableEntity, for: req)
        }
        return req.redirect(to: SiteRoute.providerProgram(program.id!).url, redirectType: .normal)
    }
}

/// Pure builders of program sections (shared by the provider's, the operator's and the municipality's pages).
enum ProgramViews {
    static func programTable(_ programs: [ProgramModel], link: (UUID) -> String, providers: [UUID: String]? = nil) -> Table {
        var headers = ["Программа", "Направленность", "Возраст", "Финансирование", "Статус"]
        if providers != nil { headers.insert("Поставщик", at: 1) }
        return Table(caption: "Программы", headers: headers, rows: programs.map { p in
            var row = [Cell(p.name, href: link(p.id!)),
                       Cell(Direction(rawValue: p.direction)?.title ?? p.direction),
                       Cell(ProgramInput.ageText(from: p.ageFrom, to: p.ageTo)),
                       Cell(p.funding.title), Cell(p.status.title)]
            if let providers { row.insert(Cell(providers[p.providerID] ?? "—"), at: 1) }
            return row
        }, empty: "Программ пока нет.")
    }

    static func programFacts(_ p: ProgramModel) -> [Fact] {
        [
            Fact(label: "Название", value: p.name),
            Fact(label: "Аннотация", value: p.annotation),
            Fact(label: "Направленность", value: Direction(rawValue: p.direction)?.title ?? p.direction),
            Fact(label: "Виды деятельности", value: p.kindCodes.compactMap { ActivityKinds.find($0)?.title }.joined(separator: ", ")),
            Fact(label: "Уровень", value: ProgramLevel(rawValue: p.level)?.title ?? p.level),
            Fact(label: "Форма обучения", value: (StudyForm(rawValue: p.form)?.title ?? p.form) + (p.distance ? ", с дистанционными технологиями" : "")),
            Fact(label: "Возраст", value: ProgramInput.ageText(from: p.ageFrom, to: p.ageTo)),
            Fact(label: "Подходит детям с ОВЗ", value: p.disabilityCodes.isEmpty ? "нет" :
                    p.disabilityCodes.compactMap { DisabilityCategory(rawValue: $0)?.title }.joined(separator: ", ")),
            Fact(label: "Финансирование", value: p.funding.title),
            Fact(label: "Статус", value: p.status.title + (p.statusReason.map { ". " + $0 } ?? "")),
        ]
    }

    static func moduleTable(_ modules: [ModuleModel], link: ((UUID) -> String)?) -> Table {
        Table(caption: "Модули", headers: ["Модуль", "Месяцев", "Часов", "Детей в группе", "Цена", "Нормативная стоимость"],
              rows: modules.map { m in
                  [Cell(m.name, href: link?(m.id!)), Cell(String(m.months)), Cell(String(m.hours)), Cell("\(m.minChildren)–\(m.maxChildren)"),
                   Cell(Money(kopecks: m.price).formatted), Cell(m.normative.map { Money(kopecks: $0).formatted } ?? "—")]
              }, empty: "Модулей пока нет.")
    }

    static func groupTable(_ groups: [GroupModel], modules: [ModuleModel], link: ((UUID) -> String)?) -> Table {
        let names = Dictionary(uniqueKeysWithValues: modules.map { ($0.id!, $0.name) })
        return Table(caption: "Группы", headers: ["Группа", "Модуль", "Педагог", "Даты", "Расписание", "Места", "Набор"],
                     rows: groups.map { g in
                         [Cell(g.name, href: link?(g.id!)), Cell(names[g.moduleID] ?? "—"), Cell(g.teacher),
                          Cell("\(LocalDate(iso: g.startsOn)?.russian ?? g.startsOn) – \(LocalDate(iso: g.endsOn)?.russian ?? g.endsOn)"),
                          Cell(ScheduleSlot.text(g.slots)), Cell("свободно \(g.capacity - g.taken) из \(g.capacity)"),
                          Cell(g.status.title)]
                     }, empty: "Групп пока нет.")
    }
}
