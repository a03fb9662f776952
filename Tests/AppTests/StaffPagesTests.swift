@testable import App
import Domain
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

/// Rendering of the staff's pages: each page's query reads the demo, its pure builder makes the context (with a refused
/// form's values and errors where it has one), and the Leaf template renders it; identifiers are written in lower case.
@Suite struct StaffPagesTests {
    static let layout = LayoutContext.build(title: "Тест", path: "/", user: nil, csrf: "csrf", a11y: false)

    static func principal(_ app: Application, _ email: String) async throws -> Principal {
        try #require(try await UserModel.query(on: app.db).filter(\.$email == email).first()?.principal)
    }

    /// The page rendered through the cabinet template, checked for upper-case identifiers.
    static func html(_ app: Application, _ page: CabinetPage, sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        let view = try await app.view.render("cabinet/page", page)
        let text = String(buffer: view.data)
        #expect(IdentifierTests.upperCaseUUIDs(text).isEmpty, "\(page.heading): identifiers in upper case", sourceLocation: sourceLocation)
        return text
    }

    static func forms(_ page: CabinetPage) -> [String] { page.sections.flatMap { $0.forms.map(\.id) } }

    @Test func providerProgramPages() async throws {
        try await withNavigator(demoChildren: 0) { app in
            let p = try await Self.principal(app, "akvarel@osinniki.example")
            let catalog = app.navigator.catalog
            let list = try await ProgramsPage.query(principal: p, on: app.db)
            #expect(list.programs.contains { $0.name == "Рисование акварелью" })
            var typed = ProgramInput()
            typed.name = "Скетчинг <маркерами>"
            let refused = ProgramsPage.context(list, form: typed, errors: [FieldError(field: "direction", message: "Выберите направленность программы.")],
                                               layout: Self.layout)
            let html = try await Self.html(app, refused)
            #expect(html.contains("Рисование акварелью") && html.contains("Скетчинг &lt;маркерами&gt;") && html.contains("Выберите направленность программы."))
            let banned = ProgramsPage.context(.init(providerName: list.providerName, providerStatus: .banned, programs: list.programs), layout: Self.layout)
            #expect(!Self.forms(banned).contains("program") && Self.forms(ProgramsPage.context(list, layout: Self.layout)) == ["program"])

            let program = try #require(list.programs.first { $0.name == "Рисование акварелью" })
            let model = try await ProgramPage.query(id: program.id, principal: p, catalog: catalog, on: app.db)
            #expect(!model.modules.isEmpty && !model.groups.isEmpty)
            var module = ModuleInput()
            module.price = "много"
            let page = ProgramPage.context(model, module: module, errors: [FieldError(field: "price", message: "Цена модуля — сумма в рублях больше нуля.")],
                                           failed: .module, layout: Self.layout)
            let text = try await Self.html(app, page)
            #expect(text.contains("много") && text.contains("Цена модуля — сумма в рублях больше нуля.") && text.contains(model.modules[0].name))
            // The card shows the stored values; a program in the archive shows facts and no forms but the status.
            #expect(text.contains("value=\"Рисование акварелью\""))
            model.program.status = .archived
            #expect(Self.forms(ProgramPage.context(model, layout: Self.layout)).isEmpty)
            // Another provider's program is not found.
            let rival = try await Self.principal(app, "robostart@osinniki.example")
            await #expect(throws: Abort.self) { try await ProgramPage.query(id: program.id, principal: rival, catalog: catalog, on: app.db) }

            let modulePage = try await ModulePage.query(id: model.modules[0].id, principal: p, on: app.db)
            let moduleText = try await Self.html(app, ModulePage.context(modulePage, form: module, errors: [FieldError(field: "price", message: "Цена?")],
                                                                        layout: Self.layout))
            #expect(moduleText.contains("Нормативная стоимость") && moduleText.contains("много") && moduleText.contains("Цена?"))
            let groupPage = try await GroupPage.query(id: model.groups[0].id, principal: p, catalog: catalog, on: app.db)
            let groupText = try await Self.html(app, GroupPage.context(groupPage, layout: Self.layout))
            #expect(groupText.contains("Занято мест") && groupText.contains("?group=" + model.groups[0].id!.lowercasedString))
            #expect(groupText.contains("value=\"\(model.groups[0].moduleID.lowercasedString)\" selected"))
            await #expect(throws: Abort.self) { try await GroupPage.query(id: model.groups[0].id, principal: rival, catalog: catalog, on: app.db) }
        }
    }

    @Test func registrationAndProviderCards() async throws {
        try await withNavigator(demoChildren: 0) { app in
            let register = try await ProviderRegisterPage.query(on: app.db)
            let osinniki = try #require(register.municipalities.first { $0.label.hasPrefix("Осинниковский") })
            var input = ProviderRegistration()
            input.card.shortName = "Рост"
            input.municipality = osinniki.id
            input.staffPassword = "never shown"
            let text = try await Self.html(app, ProviderRegisterPage.context(register, input: input, errors: [FieldError(field: "inn", message: "ИНН?")],
                                                                            layout: Self.layout))
            #expect(text.contains("value=\"Рост\"") && text.contains("ИНН?") && !text.contains("never shown"))
            #expect(text.contains("value=\"\(osinniki.id.lowercasedString)\" selected"))

            let staff = try await Self.principal(app, "akvarel@osinniki.example")
            let cabinet = try await ProviderCabinetPage.query(principal: staff, on: app.db)
            #expect(!cabinet.staff.isEmpty && cabinet.municipalityName == "Осинниковский городской округ")
            var card = ProviderInput(cabinet.provider)
            card.inn = "123"
            let cabinetText = try await Self.html(app, ProviderCabinetPage.context(cabinet, card: card, errors: [FieldError(field: "inn", message: "ИНН из 10 цифр.")],
                                                                                  layout: Self.layout))
            #expect(cabinetText.contains("value=\"123\"") && cabinetText.contains("ИНН из 10 цифр.") && cabinetText.contains(cabinet.provider.shortName))

            let providerID = try cabinet.provider.requireID()
            let op = try await Self.principal(app, "operator@kuzbass.example")
            let byOperator = try await RegistryProviderPage.query(id: providerID, principal: op, on: app.db)
            #expect(Self.forms(RegistryProviderPage.context(byOperator, layout: Self.layout)) == ["ban"])
            byOperator.provider.status = .new
            let moderation = RegistryProviderPage.context(byOperator, layout: Self.layout)
            #expect(Self.forms(moderation) == ["approve", "refuse", "ban"])
            let moderationText = try await Self.html(app, moderation)
            #expect(moderationText.contains("value=\"approve\"") && moderationText.contains("Карточка поставщика в реестре."))
            let muni = try await Self.principal(app, "osinniki@kuzbass.example")
            let byMunicipality = try await RegistryProviderPage.query(id: providerID, principal: muni, on: app.db)
            #expect(Self.forms(RegistryProviderPage.context(byMunicipality, layout: Self.layout)) == ["issuing"])
            let nk = try await Self.principal(app, "novokuznetsk@kuzbass.example")
            await #expect(throws: Abort.self) { try await RegistryProviderPage.query(id: providerID, principal: nk, on: app.db) }
        }
    }

    @Test func landingPagesOfTheMunicipalityTheOperatorAndMonitors() async throws {
        try await withNavigator(demoChildren: 0) { app in
            let muni = try await MunicipalityCabinetPage.query(principal: try await Self.principal(app, "osinniki@kuzbass.example"), on: app.db)
            let muniText = try await Self.html(app, MunicipalityCabinetPage.context(muni, layout: Self.layout))
            #expect(muniText.contains("Осинниковский городской округ") && muniText.contains("Поставщики территории") && !muni.providers.isEmpty)
            #expect(muni.providers.allSatisfy { $0.municipalityID == muni.municipality.id })

            let region = try await RegionCabinetPage.query(principal: try await Self.principal(app, "operator@kuzbass.example"), on: app.db)
            let regionPage = RegionCabinetPage.context(region, layout: Self.layout)
            #expect(regionPage.heading.hasPrefix("Оператор ПФДО") && region.municipalities.count > 1)
            _ = try await Self.html(app, regionPage)
            let monitor = try await RegionCabinetPage.query(principal: try await Self.principal(app, "monitor.osinniki@kuzbass.example"), on: app.db)
            #expect(RegionCabinetPage.context(monitor, layout: Self.layout).heading == "Наблюдатель: Осинниковский городской округ" && monitor.municipalities.count == 1)
        }
    }

    @Test func municipalProgrammeAgreementsAndImport() async throws {
        try await withNavigator(demoChildren: 0) { app in
            let p = try await Self.principal(app, "osinniki@kuzbass.example")
            let m = try #require(p.municipalityID)
            let service = app.navigator.programme
            _ = try await service.saveGroup(nil, municipalityID: m, input: CertificateGroupInput(name: "Тестовая", capCount: "5", capSum: "150 000,00"),
                                            on: app.db)
            let model = try await MunicipalProgramPage.query(municipalityID: m, prolongations: app.navigator.enrollment.prolongations, on: app.db)
            let group = try #require(model.groups.first { $0.name == "Тестовая" })
            let page = MunicipalProgramPage.context(model, errors: [FieldError(field: "nominal", message: "Номинал?")], notice: MunicipalProgramPage.notice("group"),
                                                    layout: Self.layout)
            let text = try await Self.html(app, page)
            #expect(text.contains("Тестовая") && text.contains("150000,00") && text.contains("Номинал?") && text.contains("Группа сертификатов сохранена."))
            #expect(Self.forms(page).contains("group-" + group.id!.lowercasedString.prefix(8)) && Self.forms(page).contains("sweep"))

            let agreements = try await AgreementsPage.query(municipalityID: m, agreements: app.navigator.agreements, on: app.db)
            #expect(!agreements.rows.isEmpty)
            let agreementsText = try await Self.html(app, AgreementsPage.context(agreements, errors: [FieldError(field: "provider", message: "Выберите поставщика.")],
                                                                                layout: Self.layout))
            #expect(agreementsText.contains("Выберите поставщика.") && agreementsText.contains(agreements.rows[0].provider.shortName))

            var report = ImportService.Report()
            report.rows = [.init(line: 2, child: "Иванов Иван", outcome: .created("4233000001")),
                           .init(line: 3, child: "Петров Пётр", outcome: .failed(["СНИЛС неверен."]))]
            let importText = try await Self.html(app, ImportPage.context(report: report, layout: Self.layout))
            #expect(importText.contains("Создано: 1, без изменений: 0, ошибок: 1.") && importText.contains("СНИЛС неверен."))
            #expect(!Self.forms(ImportPage.context(report: nil, errors: [FieldError(field: "file", message: "Файл?")], layout: Self.layout)).isEmpty)
        }
    }

    @Test func registryOfProgramsAndCertification() async throws {
        try await withNavigator(demoChildren: 0) { app in
            let op = try await Self.principal(app, "operator@kuzbass.example")
            let catalog = app.navigator.catalog
            let list = try await RegistryProgramsPage.query(principal: op, status: nil, catalog: catalog, on: app.db)
            #expect(list.priceCap == PriceCap.defaultPercent && !list.programs.isEmpty)
            let listText = try await Self.html(app, RegistryProgramsPage.context(list, layout: Self.layout))
            #expect(listText.contains("Предельная цена") && listText.contains(list.programs[0].name))
            let muni = try await Self.principal(app, "osinniki@kuzbass.example")
            let muniList = try await RegistryProgramsPage.query(principal: muni, status: .certified, catalog: catalog, on: app.db)
            #expect(muniList.priceCap == nil && muniList.programs.allSatisfy { $0.status == .certified && $0.municipalityID == muni.municipalityID })
            #expect(RegistryProgramsPage.context(muniList, layout: Self.layout).sections[1].heading == "Программы: \(ProgramStatus.certified.title)")

            let program = try #require(list.programs.first { $0.funding == .certificate })
            program.status = .certification
            try await program.save(on: app.db)
            let model = try await RegistryProgramPage.query(id: program.id, principal: op, catalog: catalog, on: app.db)
            #expect(model.priceCap == PriceCap.defaultPercent && model.provider != nil)
            let page = RegistryProgramPage.context(model, normatives: ["1"], errors: [FieldError(field: "normative0", message: "Выше предельной.")],
                                                   layout: Self.layout)
            #expect(Self.forms(page) == ["certify", "refuse", "archive"])
            let text = try await Self.html(app, page)
            #expect(text.contains("certify-normative0") && text.contains("Выше предельной.") && text.contains("value=\"1\""))
            let byMunicipality = try await RegistryProgramPage.query(id: program.id, principal: muni, catalog: catalog, on: app.db)
            #expect(byMunicipality.priceCap == nil && Self.forms(RegistryProgramPage.context(byMunicipality, layout: Self.layout)).isEmpty)

            let capText = try await Self.html(app, PriceCapPage.context(PriceCapInput(percent: "20"), errors: [FieldError(field: "priceCapPercent", message: "От 50 до 300.")],
                                                                        layout: Self.layout))
            #expect(capText.contains("value=\"20\"") && capText.contains("От 50 до 300."))
        }
    }
}
