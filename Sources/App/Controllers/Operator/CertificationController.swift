import Domain
import Fluent
import Vapor

/// The program registry as the operator keeps it (certification, the price cap) and as the municipality and
/// monitors read it.
enum CertificationController {
    static func list(req: Request) async throws -> View {
        let p = try req.requirePrincipal()
        let status = req.query[String.self, at: "status"].flatMap(ProgramStatus.init(rawValue:))
        var q = ProgramModel.scopedQuery(on: req.db, for: p)!
        if let status { q = q.filter(\.$status == status) }
        let programs = try await q.sort(\.$updatedAt, .descending).limit(500).all()
        let providerIDs = Set(programs.map(\.providerID))
        let providers = try await ProviderModel.query(on: req.db).filter(\.$id ~~ Array(providerIDs)).all()
        let names = Dictionary(uniqueKeysWithValues: providers.map { ($0.id!, $0.shortName) })
        var links = [Cell("Все", href: SiteRoute.registryPrograms.url)]
        links += ProgramStatus.allCases.map { Cell($0.title, href: SiteRoute.registryPrograms.url + "?status=" + $0.rawValue) }
        let heading = status.map { "Программы: \($0.title)" } ?? "Реестр программ"
        var sections = [Section(heading: "Фильтр по статусу", links: links),
                        Section(heading: heading, tables: [ProgramViews.programTable(programs, link: { SiteRoute.registryProgram($0).url },
                                                                                      providers: names)])]
        if p.role == .operator_ {
            let cap = try await req.application.navigator.catalog.priceCap(region: p.regionCode, on: req.db)
            sections.insert(Section(heading: "Предельная цена", text: "Цена модуля сертифицированной программы не может превышать \(cap) % его нормативной стоимости.",
                                    forms: [priceCapForm(cap: String(cap), errors: [])]), at: 0)
        }
        return try await req.view.render("cabinet/page", CabinetPage(layout: req.layout("Реестр программ"), heading: "Реестр программ",
                                                                     lead: "Программы поставщиков региона и их сертификация.", sections: sections))
    }

    static func priceCapForm(cap: String, errors: [FieldError]) -> FormBlock {
        FormBlock(id: "price-cap", action: SiteRoute.regionSettings.url,
                  fields: [.init("priceCapPercent", "Предельная цена, % нормативной стоимости", type: "number", value: cap,
                                 hint: "От 50 до 300. Уже сертифицированные цены не меняются.", required: true, errors: errors, formID: "price-cap")],
                  submit: "Сохранить")
    }

    struct CapForm: Content { var priceCapPercent: String? }

    static func setPriceCap(req: Request) async throws -> Response {
        let p = try req.requirePrincipal()
        guard p.role == .operator_ else { throw Abort(.forbidden) }
        let f = try req.content.decode(CapForm.self)
        do {
            try await req.application.navigator.catalog.setPriceCap(region: p.regionCode, raw: f.priceCapPercent ?? "")
        } catch let e as ValidationFailure {
            let page = CabinetPage(layout: req.layout("Предельная цена"), heading: "Предельная цена", lead: "",
                                   sections: [Section(heading: "Предельная цена", forms: [priceCapForm(cap: f.priceCapPercent ?? "", errors: e.errors)])],
                                   errors: e.errors)
            return try await req.view.render("cabinet/page", page).encodeResponse(status: .unprocessableEntity, for: req)
        }
        return req.redirect(to: SiteRoute.registryPrograms.url, redirectType: .normal)
    }

    static func show(req: Request) async throws -> View {
        let program = try await req.find(ProgramModel.self, req.parameters.get("id", as: UUID.self), for: .read)
        return try await render(req, program, normatives: nil, errors: [])
    }

    static func render(_ req: Request, _ program: ProgramModel, normatives: [String]?, errors: [FieldError]) async throws -> View {
        let p = try req.requirePrincipal()
        let id = program.id!
        let service = req.application.navigator.catalog
        let modules = try await service.modules(of: id, on: req.db)
        let groups = try await service.groups(of: id, on: req.db)
        let provider = try await ProviderModel.find(program.providerID, on: req.db)
        var facts = ProgramViews.programFacts(program)
        facts.insert(Fact(label: "Поставщик", value: provider?.shortName ?? "—"), at: 1)
        var forms: [FormBlock] = []
        if p.role == .operator_ && program.status == .certification {
            let cap = try await service.priceCap(region: program.regionCode, on: req.db)
            var fields: [FormBlock.Field] = []
            if program.funding == .certificate {
                for (i, m) in modules.enumerated() {
                    let value = normatives.flatMap { i < $0.count ? $0[i] : nil } ?? m.normative.map(Roubles.text) ?? Roubles.text(m.price)
                    fields.append(.init("normative\(i)", "Нормативная стоимость модуля «\(m.name)», ₽", value: value,
                                        hint: "Цена поставщика \(Money(kopecks: m.price).formatted); предел — \(cap) % нормативной стоимости.",
                                        required: true, errors: errors, formID: "certify"))
                }
            }
            forms.append(FormBlock(id: "certify", action: SiteRoute.registryProgramCertify(id).url, heading: "Сертификация", fields: fields,
                                   submit: "Сертифицировать"))
            forms.append(FormBlock(id: "refuse", action: SiteRoute.registryProgramRefuse(id).url, heading: "Отказ в сертификации",
                                   fields: [.init("reason", "Причина отказа", type: "textarea", required: true, errors: errors, formID: "refuse")],
                                   submit: "Отказать", danger: true))
        }
        if p.role == .operator_ && program.status != .archived {
            forms.append(FormBlock(id: "archive", action: SiteRoute.registryProgramArchive(id).url, heading: "Архив",
                                   submit: "Перенести в архив", danger: true))
        }
        var links: [Cell] = [Cell("Реестр программ", href: SiteRoute.registryPrograms.url)]
        if program.status == .certified { links.append(Cell("Страница в каталоге", href: SiteRoute.catalogProgram(id).url)) }
        if let provider { links.append(Cell("Карточка поставщика", href: SiteRoute.registryProvider(provider.id!).url)) }
        let sections = [
            Section(heading: "Программа", facts: facts, links: links),
            Section(heading: "Модули и группы", tables: [ProgramViews.moduleTable(modules, link: nil),
                                                         ProgramViews.groupTable(groups, modules: modules, link: nil)]),
            Section(heading: "Решение", text: forms.isEmpty ? "Действий нет." : nil, forms: forms),
        ]
        return try await req.view.render("cabinet/page", CabinetPage(layout: req.layout(program.name), heading: program.name,
                                                                     lead: "Программа в реестре", sections: sections, errors: errors))
    }

    static func certify(req: Request) async throws -> Response {
        let program = try await req.find(ProgramModel.self, req.parameters.get("id", as: UUID.self), for: .write)
        guard try req.requirePrincipal().role == .operator_ else { throw Abort(.forbidden) }
        let modules = try await req.application.navigator.catalog.modules(of: program.id!, on: req.db)
        let values = modules.indices.map { (try? req.content.get(String.self, at: "normative\($0)")) ?? "" }
        do {
            try await req.application.navigator.catalog.certify(program, normatives: values)
        } catch let e as ValidationFailure {
            return try await render(req, program, normatives: values, errors: e.errors).encodeResponse(status: .unprocessableEntity, for: req)
        }
        return req.redirect(to: SiteRoute.registryProgram(program.id!).url, redirectType: .normal)
    }

    struct ReasonForm: Content { var reason: String? }

    static func refuse(req: Request) async throws -> Response {
        let program = try await req.find(ProgramModel.self, req.parameters.get("id", as: UUID.self), for: .write)
        guard try req.requirePrincipal().role == .operator_ else { throw Abort(.forbidden) }
        let f = try req.content.decode(ReasonForm.self)
        do {
            try await req.application.navigator.catalog.refuse(program, reason: f.reason ?? "")
        } catch let e as ValidationFailure {
            return try await render(req, program, normatives: nil, errors: e.errors).encodeResponse(status: .unprocessableEntity, for: req)
        }
        return req.redirect(to: SiteRoute.registryProgram(program.id!).url, redirectType: .normal)
    }

    static func archive(req: Request) async throws -> Response {
        let program = try await req.find(ProgramModel.self, req.parameters.get("id", as: UUID.self), for: .write)
        guard try req.requirePrincipal().role == .operator_ else { throw Abort(.forbidden) }
        try await req.application.navigator.catalog.archive(program, by: req.requirePrincipal())
        return req.redirect(to: SiteRoute.registryProgram(program.id!).url, redirectType: .normal)
    }
}
