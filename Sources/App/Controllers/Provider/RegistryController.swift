import Domain
import Fluent
import Vapor

/// Provider registration, the provider's card, moderation by the operator, issuing points.
enum RegistryController {
    struct CardForm: Content {
        var fullName: String?
        var shortName: String?
        var kind: String?
        var ownership: String?
        var inn: String?
        var ogrn: String?
        var kpp: String?
        var licenceNumber: String?
        var licenceDate: String?
        var legalAddress: String?
        var actualAddress: String?
        var phone: String?
        var email: String?
        var website: String?
        var bankName: String?
        var bankBIK: String?
        var bankAccount: String?
        var bankCorrespondentAccount: String?

        var input: ProviderInput {
            var i = ProviderInput()
            i.fullName = fullName ?? ""
            i.shortName = shortName ?? ""
            i.kind = kind ?? ""
            i.ownership = ownership ?? ""
            i.inn = inn ?? ""
            i.ogrn = ogrn ?? ""
            i.kpp = kpp ?? ""
            i.licenceNumber = licenceNumber ?? ""
            i.licenceDate = licenceDate ?? ""
            i.legalAddress = legalAddress ?? ""
            i.actualAddress = actualAddress ?? ""
            i.phone = phone ?? ""
            i.email = email ?? ""
            i.website = website ?? ""
            i.bankName = bankName ?? ""
            i.bankBIK = bankBIK ?? ""
            i.bankAccount = bankAccount ?? ""
            i.bankCorrespondentAccount = bankCorrespondentAccount ?? ""
            return i
        }

        init() {}
        init(_ p: ProviderModel) {
            fullName = p.fullName
            shortName = p.shortName
            kind = p.kind
            ownership = p.ownership
            inn = p.inn
            ogrn = p.ogrn
            kpp = p.kpp
            licenceNumber = p.licenceNumber
            licenceDate = p.licenceDate
            legalAddress = p.legalAddress
            actualAddress = p.actualAddress
            phone = p.phone
            email = p.email
            website = p.website
            bankName = p.bankName
            bankBIK = p.bankBIK
            bankAccount = p.bankAccount
            bankCorrespondentAccount = p.bankCorrespondentAccount
        }
    }

    static func cardFields(_ f: CardForm, errors: [FieldError], formID: String) -> [FormBlock.Field] {
        return [
            .init("fullName", "Полное наименование", value: f.fullName ?? "", required: true, errors: errors, formID: formID),
            .init("shortName", "Краткое наименование", value: f.shortName ?? "", required: true, errors: errors, formID: formID),
            .init("kind", "Тип поставщика", type: "select", required: true, options: FormBlock.choices(ProviderKind.allCases, { (k: ProviderKind) in k.title }, f.kind), errors: errors, formID: formID),
            .init("ownership", "Форма собственности", type: "select", required: true, options: FormBlock.choices(Ownership.allCases, { (o: Ownership) in o.title }, f.ownership), errors: errors, formID: formID),
            .init("inn", "ИНН", value: f.inn ?? "", hint: "10 цифр для организации, 12 — для ИП", required: true, errors: errors, formID: formID),
            .init("ogrn", "ОГРН или ОГРНИП", value: f.ogrn ?? "", hint: "13 цифр для организации, 15 — для ИП", required: true, errors: errors, formID: formID),
            .init("kpp", "КПП (для организаций)", value: f.kpp ?? "", errors: errors, formID: formID),
            .init("licenceNumber", "Номер лицензии на образовательную деятельность", value: f.licenceNumber ?? "", hint: "Не нужна ИП без наёмных работников", errors: errors, formID: formID),
            .init("licenceDate", "Дата лицензии", type: "date", value: f.licenceDate ?? "", errors: errors, formID: formID),
            .init("legalAddress", "Юридический адрес", value: f.legalAddress ?? "", required: true, errors: errors, formID: formID),
            .init("actualAddress", "Фактический адрес", value: f.actualAddress ?? "", required: true, errors: errors, formID: formID),
            .init("phone", "Телефон", type: "tel", value: f.phone ?? "", errors: errors, formID: formID),
            .init("email", "Электронная почта организации", type: "email", value: f.email ?? "", errors: errors, formID: formID),
            .init("website", "Сайт", value: f.website ?? "", hint: "https://…", errors: errors, formID: formID),
            .init("bankName", "Банк", value: f.bankName ?? "", errors: errors, formID: formID),
            .init("bankBIK", "БИК", value: f.bankBIK ?? "", hint: "9 цифр", errors: errors, formID: formID),
            .init("bankAccount", "Расчётный счёт", value: f.bankAccount ?? "", hint: "20 цифр", errors: errors, formID: formID),
            .init("bankCorrespondentAccount", "Корреспондентский счёт", value: f.bankCorrespondentAccount ?? "", hint: "20 цифр", errors: errors, formID: formID),
        ]
    }

    // MARK: registration

    struct StaffForm: Content {
        var municipality: String?
        var staffSurname: String?
        var staffName: String?
        var staffEmail: String?
        var staffPassword: String?
    }

    static func registerPage(req: Request) async throws -> View {
        try await renderRegister(req, card: CardForm(), staff: StaffForm(), errors: [])
    }

    static func renderRegister(_ req: Request, card: CardForm, staff: StaffForm, errors: [FieldError]) async throws -> View {
        let id = "provider"
        let fields = cardFields(card, errors: errors, formID: id) + [
            .init("municipality", "Муниципалитет", type: "select", required: true,
                  options: try await FamilyController.municipalityOptions(req.db, selected: staff.municipality), errors: errors, formID: id),
            .init("staffSurname", "Фамилия сотрудника", value: staff.staffSurname ?? "", required: true, errors: errors, formID: id),
            .init("staffName", "Имя сотрудника", value: staff.staffName ?? "", required: true, errors: errors, formID: id),
            .init("staffEmail", "Электронная почта для входа", type: "email", value: staff.staffEmail ?? "", required: true, errors: errors, formID: id),
            .init("staffPassword", "Пароль", type: "password", hint: "Не менее 8 символов, хотя бы одна буква и одна цифра.", required: true,
                  autocomplete: "new-password", errors: errors, formID: id),
        ]
        let page = CabinetPage(layout: req.layout("Регистрация поставщика"), heading: "Регистрация поставщика образовательных услуг",
                               lead: "Организации любой формы собственности и индивидуальные предприниматели. Карточку проверит оператор ПФДО.",
                               sections: [Section(heading: "Карточка организации", forms: [
                                   FormBlock(id: id, action: SiteRoute.providerRegister.url, fields: fields, submit: "Зарегистрироваться"),
                               ])], errors: errors)
        return try await req.view.render("cabinet/page", page)
    }

    static func register(req: Request) async throws -> Response {
        let card = try req.content.decode(CardForm.self)
        let staff = try req.content.decode(StaffForm.self)
        do {
            let (_, user) = try await req.application.navigator.registry.register(
                card.input, municipalityID: staff.municipality.flatMap(UUID.init(uuidString:)), staffEmail: staff.staffEmail ?? "",
                staffPassword: staff.staffPassword ?? "", staffSurname: staff.staffSurname ?? "", staffName: staff.staffName ?? "")
            let token = try await req.application.authService.openSession(for: user, address: req.clientAddress, db: req.db)
            let res = req.redirect(to: SiteRoute.cabinet(.provider).url, redirectType: .normal)
            res.cookies[AuthenticationMiddleware.sessionCookie] =
                req.cookie(AuthenticationMiddleware.sessionCookie, token, maxAge: Int(req.application.config.sessionLifetime))
            CSRFMiddleware.rotate(req)
            return res
        } catch let e as ValidationFailure {
            var s = staff
            s.staffPassword = nil
            return try await renderRegister(req, card: card, staff: s, errors: e.errors).encodeResponse(status: .unprocessableEntity, for: req)
        }
    }

    // MARK: the provider's own card

    static func updateCard(req: Request) async throws -> Response {
        let p = try req.requirePrincipal()
        guard let provider = try await ProviderModel.scopedQuery(on: req.db, for: p)?.first() else { throw Abort(.notFound) }
        let card = try req.content.decode(CardForm.self)
        do {
            try await req.application.navigator.registry.update(provider, input: card.input)
        } catch let e as ValidationFailure {
            return try await CabinetController.providerPage(req, card: card, errors: e.errors).encodeResponse(status: .unprocessableEntity, for: req)
        }
        return req.redirect(to: SiteRoute.cabinet(.provider).url, redirectType: .normal)
    }

    // MARK: moderation and issuing points

    struct DecisionForm: Content { var decision: String?; var reason: String? }

    static func moderate(req: Request) async throws -> Response {
        let provider = try await req.find(ProviderModel.self, req.parameters.get("id", as: UUID.self), for: .write)
        guard try req.requirePrincipal().role == .operator_ else { throw Abort(.forbidden) }
        let f = try req.content.decode(DecisionForm.self)
        guard let decision = RegistryService.Decision(rawValue: f.decision ?? "") else { throw Abort(.badRequest) }
        try await req.application.navigator.registry.moderate(provider, decision, reason: f.reason ?? "")
        return req.redirect(to: SiteRoute.registryProvider(provider.id!).url, redirectType: .normal)
    }

    struct IssuingForm: Content { var value: String? }

    static func issuingPoint(req: Request) async throws -> Response {
        let provider = try await req.find(ProviderModel.self, req.parameters.get("id", as: UUID.self), for: .write)
        guard try req.requirePrincipal().role == .municipality else { throw Abort(.forbidden) }
        let f = try req.content.decode(IssuingForm.self)
        try await req.application.navigator.registry.setIssuingPoint(provider, f.value == "1")
        return req.redirect(to: SiteRoute.registryProvider(provider.id!).url, redirectType: .normal)
    }
}
