import Domain
import Fluent
import Vapor

/// Pages without sign-in: home, catalogue entry, sign-in and sign-out, the visually impaired mode.
enum PublicController {
    static func home(req: Request) async throws -> View {
        let page = HomePage(layout: req.layout("Навигатор дополнительного образования"),
                            catalogURL: SiteRoute.catalog(query: nil).url,
                            directions: Direction.allCases.map { Cell($0.title, href: SiteRoute.catalog(query: nil).url + "?direction=" + $0.rawValue) },
                            regions: ReferenceData.regions.map(\.name))
        return try await req.view.render("public/home", page)
    }

    // MARK: sign-in

    struct LoginForm: Content {
        var email: String?
        var password: String?
        var next: String?
    }

    static func loginPage(req: Request) async throws -> Response {
        if let user = req.user {
            return req.redirect(to: SiteRoute.cabinet(user.principal.role).url)
        }
        let next = req.query[String.self, at: "next"].flatMap { SiteRoute.isLocalPath($0) ? $0 : nil } ?? ""
        return try await renderLogin(req, email: "", next: next, errors: [], status: .ok)
    }

    static func renderLogin(_ req: Request, email: String, next: String, errors: [FieldError],
                            status: HTTPResponseStatus) async throws -> Response {
        let demo = try await DemoService.loadedLogins(on: req.db)
        let page = LoginPage(layout: req.layout("Вход"), action: SiteRoute.login(next: nil).url,
                             email: String(email.prefix(Validation.maxEmailLength)), next: next, errors: errors,
                             demoLogins: demo.map { .init(email: $0.email, note: $0.note) },
                             demoPassword: demo.isEmpty ? nil : DemoPlan.password)
        return try await req.view.render("public/login", page).encodeResponse(status: status, for: req)
    }

    static func login(req: Request) async throws -> Response {
        let form = try req.content.decode(LoginForm.self)
        let email = form.email ?? ""
        let next = form.next.flatMap { SiteRoute.isLocalPath($0) ? $0 : nil } ?? ""
        let auth = req.application.authService
        let result = try await auth.authenticate(email: email, password: form.password ?? "",
                                                 address: req.clientAddress, app: req.application, db: req.db)
        switch result {
        case .failure(.locked(let remaining)):
            req.logger.notice("login locked")
            return try await renderLogin(req, email: email, next: next,
                                         errors: [FieldError(field: "email", message: LoginThrottle.message(remaining: remaining))],
                                         status: .tooManyRequests)
        case .failure:
            req.logger.notice("login failed")
            return try await renderLogin(req, email: email, next: next,
                                         errors: [FieldError(field: "password", message: "Неверный адрес электронной почты или пароль.")],
                                         status: .unauthorized)
        case .success(let user):
            let token = try await auth.openSession(for: user, address: req.clientAddress, db: req.db)
            req.logger.info("login", metadata: ["user_id": .string(user.id?.lowercasedString ?? "")])
            let target = next.isEmpty ? SiteRoute.cabinet(user.role).url : next
            let res = req.redirect(to: target, redirectType: .normal)
            res.cookies[AuthenticationMiddleware.sessionCookie] =
                req.cookie(AuthenticationMiddleware.sessionCookie, token, maxAge: Int(req.application.config.sessionLifetime))
            CSRFMiddleware.rotate(req)
            return res
        }
    }

    static func logout(req: Request) async throws -> Response {
        if let token = req.cookies[AuthenticationMiddleware.sessionCookie]?.string {
            try await req.application.authService.closeSession(token: token, db: req.db)
        }
        req.auth.logout(AuthenticatedUser.self)
        let res = req.redirect(to: SiteRoute.home.url, redirectType: .normal)
        res.cookies[AuthenticationMiddleware.sessionCookie] = req.cookie(AuthenticationMiddleware.sessionCookie, "", maxAge: 0)
        CSRFMiddleware.rotate(req)
        return res
    }

    // MARK: the mode for the visually impaired

    struct AccessibilityForm: Content {
        var mode: String?
        var back: String?
    }

    static func accessibility(req: Request) async throws -> Response {
        let form = try req.content.decode(AccessibilityForm.self)
        let on = form.mode == "on"
        let back = form.back.flatMap { SiteRoute.isLocalPath($0) ? $0 : nil } ?? SiteRoute.home.url
        let res = req.redirect(to: back, redirectType: .normal)
        res.cookies[LayoutContext.a11yCookie] = req.cookie(LayoutContext.a11yCookie, on ? "1" : "0",
                                                           maxAge: 365 * 24 * 3600, httpOnly: false)
        return res
    }
}
