import Domain
import Fluent
import Vapor

/// The landing page of each role's cabinet, and the detail pages they link to. Every row shown comes
/// through `scopedQuery` or `Request.find`, so a user sees only the scope of the role.
enum CabinetController {
    static func regionName(_ code: String) -> String { ReferenceData.region(code: code)?.name ?? code }

    static func today(_ req: Request, region: String) -> LocalDate {
        let zone = ReferenceData.region(code: region).flatMap { TimeZone(identifier: $0.timeZone) } ?? .current
        return LocalDate(req.now, in: zone)
    }

    static func render(_ req: Request, title: String, heading: String, lead: String, sections: [Section]) async throws -> View {
        try await req.view.render("cabinet/page", CabinetPage(layout: req.layout(title), heading: heading, lead: lead, sections: sections))
    }

    // MARK: provider

    static func provider(req: Request) async throws -> View {
        let p = try req.requirePrincipal()
        guard let provider = try await ProviderModel.scopedQuery(on: req.db, for: p)?.first() else { throw Abort(.notFound) }
        return try await providerPage(req, card: RegistryController.CardForm(provider), errors: [])
    }

    static func providerPage(_ req: Request, card: RegistryController.CardForm, errors: [FieldError]) async throws -> View {
        let p = try req.requirePrincipal()
        guard let provider = try await ProviderModel.scopedQuery(on: req.db, for: p)?.first() else { throw Abort(.notFound) }
        let muni = try await req.directory.municipality(provider.municipalityID)?.name ?? "—"
        var statusText = "Статус в реестре: " + provider.status.title + "."
        if let reason = provider.statusReason { statusText += " Причина: \(reason)" }
        if provider.status == .refused { statusText += " Исправьте карточку и сохраните её: она снова уйдёт на модерацию." }
        if provider.status == .new { statusText += " Оператор ПФДО проверяет карточку; до одобрения организация не видна в каталоге." }
        var sections = [Section(heading: "Статус", text: statusText,
                                facts: [Fact(label: "Муниципалитет", value: muni),
                                        Fact(label: "Пункт выдачи сертификатов", value: provider.isIssuingPoint ? "да" : "нет")])]
        let newApplications = try await ContractModel.query(on: req.db).filter(\.$providerID == provider.requireID())
            .filter(\.$status == ContractStatus.applied).count()
        sections.append(Section(heading: "Заявки",
                                text: newApplications > 0 ? "Новых заявок, ждущих ответа: \(newApplications)." : "Новых заявок нет.",
                                links: [Cell("Заявки, списки групп и очереди", href: SiteRoute.providerApplications.url)]))
        if p.mayConfirmCertificates && provider.isIssuingPoint {
            sections.append(Section(heading: "Пункт выдачи сертификатов",
                                    text: "Ваша организация — пункт выдачи: вы подтверждаете личность детей при выдаче сертификатов.",
                                    links: [Cell("Подтверждение сертификатов", href: SiteRoute.certificates(query: nil).url)]))
        }
        if provider.status != .banned {
            sections.append(Section(heading: "Карточка организации", forms: [
                FormBlock(id: "card", action: SiteRoute.providerCard.url, fields: RegistryController.cardFields(card, errors: errors, formID: "card"),
                          submit: "Сохранить карточку"),
            ]))
        }
        let staff = try await UserModel.scopedQuery(on: req.db, for: p)!.sort(\.$surname).all()
        sections.append(Section(heading: "Сотрудники", tables: [
            Table(caption: "Сотрудники организации", headers: ["ФИО", "Электронная почта"],
                  rows: staff.map { [Cell($0.fullName), Cell($0.email)] }),
        ]))
        return try await req.view.render("cabinet/page", CabinetPage(layout: req.layout("Кабинет поставщика"), heading: provider.shortName,
                                                                     lead: "Кабинет поставщика образовательных услуг.", sections: sections,
                                                                     errors: errors))
    }

    /// A provider's card for the registry: the operator, the municipality of the provider, a monitor of the
    /// scope, and the provider itself; anyone else gets 404.
    static func registryProvider(req: Request) async throws -> View {
        let provider = try await req.find(ProviderModel.self, req.parameters.get("id", as: UUID.self), for: .read)
        let muni = try await req.directory.municipality(provider.municipalityID)?.name ?? "—"
        let p = try req.requirePrincipal()
        var forms: [FormBlock] = []
        if p.role == .operator_ {
            if provider.status == .new || provider.status == .refused {
                forms.append(FormBlock(id: "approve", action: SiteRoute.registryModerate(provider.id!).url,
                                       hidden: [.init(name: "decision", value: "approve")], submit: "Одобрить"))
            }
            if provider.status == .new {
                forms.append(FormBlock(id: "refuse", action: SiteRoute.registryModerate(provider.id!).url, heading: "Отказ",
                                       fields: [.init("reason", "Причина отказа", type: "textarea", required: true, formID: "refuse")],
                                       hidden: [.init(name: "decision", value: "refuse")], submit: "Отказать", danger: true))
            }
            if provider.status != .banned {
                forms.append(FormBlock(id: "ban", action: SiteRoute.registryModerate(provider.id!).url, heading: "Исключение из реестра",
                                       fields: [.init("reason", "Причина исключения", type: "textarea", required: true, formID: "ban")],
                                       hidden: [.init(name: "decision", value: "ban")], submit: "Исключить из реестра", danger: true))
            }
        }
        if p.role == .municipality && provider.status == .active {
            forms.append(FormBlock(id: "issuing", action: SiteRoute.registryIssuingPoint(provider.id!).url,
                                   hidden: [.init(name: "value", value: provider.isIssuingPoint ? "0" : "1")],
                                   submit: provider.isIssuingPoint ? "Снять статус пункта выдачи сертификатов" : "Назначить пунктом выдачи сертификатов"))
        }
        var facts = CabinetViews.providerFacts(provider, municipality: muni)
        if let reason = provider.statusReason { facts.append(Fact(label: "Причина", value: reason)) }
        return try await render(req, title: provider.shortName, heading: provider.shortName,
                                lead: "Карточка поставщика в реестре.",
                                sections: [Section(heading: "Карточка организации", facts: facts, forms: forms)])
    }

    static func providerTable(_ providers: [ProviderModel], municipalities: [UUID: String]) -> Table {
        Table(caption: "Поставщики", headers: ["Поставщик", "Муниципалитет", "Тип", "Статус", "Пункт выдачи"],
              rows: providers.map { p in
                  [Cell(p.shortName, href: p.id.map { SiteRoute.registryProvider($0).url }),
                   Cell(municipalities[p.municipalityID] ?? "—"),
                   Cell(ProviderKind(rawValue: p.kind)?.title ?? p.kind),
                   Cell(p.status.title), Cell(p.isIssuingPoint ? "да" : "нет")]
              },
              empty: "Поставщиков пока нет.")
    }

    // MARK: municipality

    static func municipality(req: Request) async throws -> View {
        let p = try req.requirePrincipal()
        guard let m = try await req.directory.municipality(p.municipalityID) else { throw Abort(.notFound) }
        let providers = try await ProviderModel.scopedQuery(on: req.db, for: p)!.sort(\.$shortName).all()
        let children = try await req.directory.count("children", region: p.regionCode, municipality: m.id)
        let parents = try await req.directory.count("users", region: p.regionCode, municipality: m.id, role: .parent)
        let estimate = m.childrenCount.map { (m.childrenIsEstimate ? "≈ " : "") + CabinetViews.grouped($0) } ?? "нет данных"
        let facts = [
            Fact(label: "Муниципалитет", value: m.name),
            Fact(label: "Регион", value: regionName(m.regionCode)),
            Fact(label: "Детей 5–17 лет на территории", value: estimate),
            Fact(label: "Детей в системе", value: CabinetViews.grouped(children)),
            Fact(label: "Семей в системе", value: CabinetViews.grouped(parents)),
            Fact(label: "Поставщиков", value: CabinetViews.grouped(providers.count)),
        ]
        return try await render(req, title: "Кабинет муниципалитета", heading: m.name,
                                lead: "Кабинет уполномоченного органа: программа персонифицированного финансирования, поставщики и дети территории.",
                                sections: [Section(heading: "Территория", facts: facts,
                                                   links: [Cell("Программа ПФДО: периоды, группы, номиналы", href: SiteRoute.program.url),
                                                           Cell("Соглашения с поставщиками", href: SiteRoute.agreements.url),
                                                           Cell("Подтверждение сертификатов", href: SiteRoute.certificates(query: nil).url),
                                                           Cell("Загрузка сертификатов из файла", href: SiteRoute.programImport.url)]),
                                           Section(heading: "Поставщики территории",
                                                   tables: [providerTable(providers, municipalities: [m.id!: m.name])])])
    }

    // MARK: operator and monitor

    static func regionSections(req: Request, principal p: Principal) async throws -> [Section] {
        var ms = try await req.directory.municipalities(region: p.regionCode)
        if let only = p.municipalityID { ms = ms.filter { $0.id == only } }
        let names = Dictionary(uniqueKeysWithValues: ms.map { ($0.id!, $0.name) })
        let children = try await req.directory.countsByMunicipality("children", region: p.regionCode)
        let providerCounts = try await req.directory.countsByMunicipality("providers", region: p.regionCode)
        let providers = try await ProviderModel.scopedQuery(on: req.db, for: p)!.sort(\.$shortName).all()
        let inScope = ms.map(\.id!)
        let totalChildren = inScope.reduce(0) { $0 + (children[$1] ?? 0) }
        let estimate = ms.reduce(0) { $0 + ($1.childrenCount ?? 0) }
        let facts = [
            Fact(label: "Регион", value: regionName(p.regionCode)),
            Fact(label: "Муниципалитетов", value: CabinetViews.grouped(ms.count)),
            Fact(label: "Поставщиков", value: CabinetViews.grouped(providers.count)),
            Fact(label: "Детей в системе", value: CabinetViews.grouped(totalChildren)),
            Fact(label: "Детей 5–17 лет (по данным, где есть оценка)", value: "≈ " + CabinetViews.grouped(estimate)),
        ]
        return [
            Section(heading: "Сводка", facts: facts),
            Section(heading: "Муниципалитеты", tables: [CabinetViews.municipalityTable(ms, children: children, providers: providerCounts, caption: "Муниципалитеты")]),
            Section(heading: "Реестр поставщиков", tables: [providerTable(providers, municipalities: names)]),
        ]
    }

    static func operatorHome(req: Request) async throws -> View {
        let p = try req.requirePrincipal()
        return try await render(req, title: "Кабинет оператора", heading: "Оператор ПФДО: \(regionName(p.regionCode))",
                                lead: "Региональный модельный центр: реестры поставщиков и программ, настройки региона, охват.",
                                sections: try await regionSections(req: req, principal: p))
    }

    static func monitor(req: Request) async throws -> View {
        let p = try req.requirePrincipal()
        var scope = regionName(p.regionCode)
        if let m = try await req.directory.municipality(p.municipalityID) { scope = m.name }
        return try await render(req, title: "Кабинет наблюдателя", heading: "Наблюдатель: \(scope)",
                                lead: "Просмотр без права изменений.",
                                sections: try await regionSections(req: req, principal: p))
    }
}
