import Domain
import Fluent
import Vapor

/// Pages without sign-in: home, sign-in and sign-out, the visually impaired mode. Each handler parses, calls one
/// query or service, and renders the page built by its pure builder (`Views/Public`).
enum PublicController {
    static func home(req: Request) async throws -> View {
        try await req.view.render("public/home", HomePage.context(layout: req.layout("Навигатор дополнительного образования")))
    }

    // MARK: sign-in

    static func loginPage(req: Request) async throws -> Response {
        if let user = req.user {
            return req.redirect(to: SiteRoute.cabinet(user.principal.role).url)
        }
        return try await renderLogin(req, email: "", next: LoginPage.localNext(req.query[String.self, at: "next"]), errors: [], status: .ok)
    }

    static func renderLogin(_ req: Request, email: String, next: String, errors: [FieldError],
                            status: HTTPResponseStatus) async throws -> Response {
        let model = try await LoginPage.query(on: req.db)
        let page = LoginPage.context(model, email: email, next: next, errors: errors, layout: req.layout("Вход"))
        return try await req.view.render("public/login", page).encodeResponse(status: status, for: req)
    }

    static func login(req: Request) async throws -> Response {
        let body = try InputBody.body(req)
        let credentials = try CredentialsInput(body)
        let next = LoginPage.localNext(try body.text("next"))
        let auth = req.application.authService
        let result = try await auth.authenticate(email: credentials.email, password: credentials.password,
                                                 address: req.clientAddress, app: req.application, db: req.db)
        switch result {
        case .failure(.locked(let remaining)):
            req.logger.notice("login locked")
            return try await renderLogin(req, email: credentials.email, next: next,
                                         errors: [FieldError(field: "email", message: LoginThrottle.message(remaining: remaining))],
                                         status: .tooManyRequests)
        case .failure:
            req.logger.notice("login failed")
            return try await renderLogin(req, email: credentials.email, next: next,
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

    /// `mode=on` or anything else (off), and the page to go back to (a path of this site).
    static func accessibility(req: Request) async throws -> Response {
        let body = try InputBody.body(req)
        let on = try body.text("mode") == "on"
        let back = try body.text("back").flatMap { SiteRoute.isLocalPath($0) ? $0 : nil } ?? SiteRoute.home.url
        let res = req.redirect(to: back, redirectType: .normal)
        res.cookies[LayoutContext.a11yCookie] = req.cookie(LayoutContext.a11yCookie, on ? "1" : "0",
                                                           maxAge: 365 * 24 * 3600, httpOnly: false)
        return res
    }
}
