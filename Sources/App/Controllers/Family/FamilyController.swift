import Domain
import Fluent
import Vapor

/// The family cabinet: registration, children, certificates, balances and statements, notifications. Each handler
/// parses, calls one query or service, and renders the page built by its pure builder (`Views/Family`) or redirects.
enum FamilyController {
    // MARK: registration

    /// The select of every municipality (also the provider registration's, `RegistryController`).
    static func municipalityOptions(_ db: any Database, selected: String?) async throws -> [FormBlock.Option] {
        FamilyRegistrationPage.municipalityOptions(try await FamilyRegistrationPage.query(on: db), selected: selected)
    }

    static func registerPage(req: Request) async throws -> View {
        try await renderRegister(req, input: FamilyRegistrationInput(), errors: [])
    }

    static func renderRegister(_ req: Request, input: FamilyRegistrationInput, errors: [FieldError]) async throws -> View {
        let model = try await FamilyRegistrationPage.query(on: req.db)
        return try await req.view.render("cabinet/page", FamilyRegistrationPage.context(model, input: input.withoutPasswords, errors: errors,
                                                                                       layout: req.layout("Регистрация семьи")))
    }

    static func register(req: Request) async throws -> Response {
        let input = try FamilyRegistrationInput(InputBody.body(req))
        let user: UserModel
        do {
            user = try await req.navigator.families.register(input, on: req.db)
        } catch let e as ValidationFailure {
            return try await renderRegister(req, input: input, errors: e.errors).encodeResponse(status: .unprocessableEntity, for: req)
        }
        let token = try await req.application.authService.openSession(for: user, address: req.clientAddress, db: req.db)
        let res = req.redirect(to: SiteRoute.cabinet(.parent).url, redirectType: .normal)
        res.cookies[AuthenticationMiddleware.sessionCookie] =
            req.cookie(AuthenticationMiddleware.sessionCookie, token, maxAge: Int(req.application.config.sessionLifetime))
        CSRFMiddleware.rotate(req)
        return res
    }

    // MARK: cabinet

    static func family(req: Request) async throws -> View {
        let model = try await FamilyCabinetPage.query(principal: try req.requirePrincipal(), now: req.now,
                                                      notifications: req.navigator.notifications, on: req.db)
        return try await req.view.render("cabinet/page", FamilyCabinetPage.context(model, layout: req.layout("Кабинет родителя")))
    }

    // MARK: children

    static func renderChildForm(_ req: Request, _ input: ChildInput, errors: [FieldError], action: String, heading: String,
                                status: HTTPResponseStatus = .ok) async throws -> Response {
        let page = ChildFormPage.context(input, errors: errors, action: action, heading: heading, layout: req.layout(heading))
        return try await req.view.render("cabinet/page", page).encodeResponse(status: status, for: req)
    }

    static func newChildPage(req: Request) async throws -> Response {
        try await renderChildForm(req, .blank, errors: [], action: SiteRoute.familyChildNew.url, heading: "Новый ребёнок")
    }

    static func createChild(req: Request) async throws -> Response {
        let p = try req.requirePrincipal()
        let input = try ChildInput(InputBody.body(req))
        guard let family = try await UserModel.find(p.userID, on: req.db) else { throw Abort(.unauthorized) }
        do {
            let child = try await req.navigator.certificates.addChild(family: family, input: input, on: req.db)
            return req.redirect(to: SiteRoute.familyChild(child.id!).url, redirectType: .normal)
        } catch let errors as ValidationFailure {
            return try await renderChildForm(req, input, errors: errors.errors, action: SiteRoute.familyChildNew.url, heading: "Новый ребёнок",
                                             status: .unprocessableEntity)
        } catch let e as FieldError {
            return try await renderChildForm(req, input, errors: [e], action: SiteRoute.familyChildNew.url, heading: "Новый ребёнок",
                                             status: .unprocessableEntity)
        }
    }

    static func editChildPage(req: Request) async throws -> Response {
        let child = try await req.find(ChildModel.self, req.parameters.get("id", as: UUID.self), for: .write)
        return try await renderChildForm(req, ChildInput(child), errors: [], action: SiteRoute.familyChildEdit(child.id!).url,
                                         heading: "Изменить данные ребёнка")
    }

    static func updateChild(req: Request) async throws -> Response {
        let child = try await req.find(ChildModel.self, req.parameters.get("id", as: UUID.self), for: .write)
        let input = try ChildInput(InputBody.body(req))
        let action = SiteRoute.familyChildEdit(child.id!).url
        do {
            try await req.navigator.certificates.updateChild(child, input: input, on: req.db)
            return req.redirect(to: SiteRoute.familyChild(child.id!).url, redirectType: .normal)
        } catch let errors as ValidationFailure {
            return try await renderChildForm(req, input, errors: errors.errors, action: action, heading: "Изменить данные ребёнка",
                                             status: .unprocessableEntity)
        } catch let e as FieldError {
            return try await renderChildForm(req, input, errors: [e], action: action, heading: "Изменить данные ребёнка", status: .unprocessableEntity)
        }
    }

    static func deleteChild(req: Request) async throws -> Response {
        let child = try await req.find(ChildModel.self, req.parameters.get("id", as: UUID.self), for: .write)
        try await req.navigator.certificates.removeChild(child, on: req.db)
        return req.redirect(to: SiteRoute.cabinet(.parent).url, redirectType: .normal)
    }

    static func apply(req: Request) async throws -> Response {
        let child = try await req.find(ChildModel.self, req.parameters.get("id", as: UUID.self), for: .write)
        _ = try await req.navigator.certificates.apply(for: child, on: req.db)
        return req.redirect(to: SiteRoute.familyChild(child.id!).url + "?done=applied", redirectType: .normal)
    }

    static func financing(req: Request) async throws -> Response {
        let child = try await req.find(ChildModel.self, req.parameters.get("id", as: UUID.self), for: .write)
        let certificates = req.navigator.certificates
        guard let cert = try await certificates.certificate(ofChild: child.requireID(), on: req.db) else { throw Abort(.notFound) }
        _ = try await certificates.makeFinancing(cert.requireID(), on: req.db)
        return req.redirect(to: SiteRoute.familyChild(child.id!).url + "?done=financing", redirectType: .normal)
    }

    // MARK: the child's page: data, certificate, balances, statement

    static func child(req: Request) async throws -> View {
        let child = try await req.find(ChildModel.self, req.parameters.get("id", as: UUID.self), for: .read)
        let model = try await ChildPage.query(child: child, principal: try req.requirePrincipal(), now: req.now, ledger: req.navigator.ledger,
                                              on: req.db)
        return try await req.view.render("cabinet/page", ChildPage.context(model, done: req.query[String.self, at: "done"],
                                                                          layout: req.layout(child.fullName)))
    }

    // MARK: notifications

    /// Shows the notifications as they were, then marks them read.
    static func notifications(req: Request) async throws -> View {
        let p = try req.requirePrincipal()
        let model = try await NotificationsPage.query(principal: p, notifications: req.navigator.notifications, on: req.db)
        try await req.navigator.notifications.markAllRead(p.userID, on: req.db)
        return try await req.view.render("cabinet/page", NotificationsPage.context(model, layout: req.layout("Уведомления")))
    }
}
