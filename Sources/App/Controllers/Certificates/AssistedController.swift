import Domain
import Fluent
import Vapor

/// Assisted issuance: a family comes in person; the staff of an issuing point or of the municipality
/// registers the parent (or finds the account by e-mail), the child, and confirms the certificate at once.
enum AssistedController {
    struct Form: Content {
        var parentSurname: String?
        var parentName: String?
        var parentPatronymic: String?
        var parentEmail: String?
        var parentPhone: String?
        var parentPassword: String?
    }

    static func page(req: Request) async throws -> View {
        _ = try await CertificatesController.confirmingMunicipality(req)
        return try await render(req, form: Form(), child: .init(), errors: [])
    }

    static func render(_ req: Request, form f: Form, child: FamilyController.ChildForm, errors: [FieldError],
                       notice: String? = nil) async throws -> View {
        let id = "assisted"
        let parent: [FormBlock.Field] = [
            .init("parentSurname", "Фамилия родителя", value: f.parentSurname ?? "", required: true, errors: errors, formID: id),
            .init("parentName", "Имя родителя", value: f.parentName ?? "", required: true, errors: errors, formID: id),
            .init("parentPatronymic", "Отчество родителя", value: f.parentPatronymic ?? "", errors: errors, formID: id),
            .init("parentEmail", "Электронная почта родителя", type: "email", value: f.parentEmail ?? "",
                  hint: "Если учётная запись с этим адресом уже есть, ребёнок будет добавлен в неё.", required: true, errors: errors, formID: id),
            .init("parentPhone", "Телефон родителя", type: "tel", value: f.parentPhone ?? "", errors: errors, formID: id),
            .init("parentPassword", "Временный пароль для новой учётной записи", type: "password",
                  hint: "Сообщите его родителю: он сменит пароль при первом входе. Для существующей учётной записи не нужен.",
                  autocomplete: "new-password", errors: errors, formID: id),
        ]
        let fields = parent + FamilyController.childFields(child, errors: errors, formID: id)
        var page = CabinetPage(layout: req.layout("Оформление при личном обращении"), heading: "Оформление сертификата при личном обращении",
                               lead: "Проверьте документы родителя и ребёнка: сертификат будет подтверждён сразу.",
                               sections: [Section(heading: "Семья и ребёнок", forms: [
                                   FormBlock(id: id, action: SiteRoute.certificateAssisted.url, fields: fields, submit: "Оформить и подтвердить сертификат"),
                               ])], errors: errors)
        page.notice = notice
        return try await req.view.render("cabinet/page", page)
    }

    static func submit(req: Request) async throws -> Response {
        let municipalityID = try await CertificatesController.confirmingMunicipality(req)
        let p = try req.requirePrincipal()
        let f = try req.content.decode(Form.self)
        let child = try req.content.decode(FamilyController.ChildForm.self)
        var errors: [FieldError] = []
        func name(_ raw: String?, _ field: String, _ label: String, required: Bool) -> String {
            switch Validation.personName(raw ?? "", field: field, label: label, required: required) {
            case .success(let s): return s
            case .failure(let e): errors.append(e); return ""
            }
        }
        let surname = name(f.parentSurname, "parentSurname", "фамилию родителя", required: true)
        let given = name(f.parentName, "parentName", "имя родителя", required: true)
        let patronymic = name(f.parentPatronymic, "parentPatronymic", "отчество родителя", required: false)
        var email = ""
        switch Validation.email(f.parentEmail ?? "", field: "parentEmail") {
        case .success(let e): email = e
        case .failure(let e): errors.append(e)
        }
        let service = req.application.navigator.certificates
        let today = service.today(p.regionCode)
        if case .failure(let e) = child.input.validate(today: today) { errors += e.errors }
        var existing: UserModel? = nil
        if !email.isEmpty {
            existing = try await UserModel.query(on: req.db).filter(\.$email == email).first()
            if let u = existing, u.role != Role.parent || u.regionCode != p.regionCode {
                errors.append(FieldError(field: "parentEmail", message: "Этот адрес принадлежит учётной записи, которая не является учётной записью семьи этого региона."))
            }
            if existing == nil, let e = Validation.newPassword(f.parentPassword ?? "", field: "parentPassword") { errors.append(e) }
        }
        guard errors.isEmpty else {
            var form = f
            form.parentPassword = nil
            return try await render(req, form: form, child: child, errors: errors).encodeResponse(status: .unprocessableEntity, for: req)
        }
        let family: UserModel
        if let existing {
            family = existing
        } else {
            family = UserModel()
            family.email = email
            family.passwordHash = try await req.application.authService.hashPassword(f.parentPassword!, on: req.application)
            family.surname = surname
            family.name = given
            family.patronymic = patronymic
            family.phone = f.parentPhone.flatMap { $0.isEmpty ? nil : String($0.prefix(30)) }
            family.role = Role.parent
            family.regionCode = p.regionCode
            family.municipalityID = municipalityID
            family.mayConfirmCertificates = false
            family.isActive = true
            try await family.create(on: req.db)
        }
        do {
            let added = try await service.addChild(family: family, input: child.input, on: req.db)
            let cert = try await service.apply(for: added, on: req.db)
            let confirmed = try await service.confirm(cert.requireID(), by: p, on: req.db)
            return req.redirect(to: SiteRoute.certificate(confirmed.id!).url, redirectType: .normal)
        } catch let e as FieldError {
            var form = f
            form.parentPassword = nil
            return try await render(req, form: form, child: child, errors: [e]).encodeResponse(status: .unprocessableEntity, for: req)
        }
    }
}
