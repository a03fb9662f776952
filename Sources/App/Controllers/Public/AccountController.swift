import Domain
import Vapor

/// The signed-in user's own account: changing the password.
enum AccountController {
    static func passwordPage(req: Request) async throws -> View {
        _ = try req.requirePrincipal()
        let done = req.query[String.self, at: "done"] == "1"
        return try await req.view.render("account/password",
                                         PasswordPage(layout: req.layout("Смена пароля"), action: SiteRoute.password.url,
                                                      errors: [], done: done))
    }

    struct PasswordForm: Content {
        var currentPassword: String?
        var newPassword: String?
        var repeatPassword: String?
    }

    static func changePassword(req: Request) async throws -> Response {
        guard let user = req.user else { throw Abort(.unauthorized) }
        let form = try req.content.decode(PasswordForm.self)
        let errors = try await req.application.authService.changePassword(
            userID: user.principal.userID, current: form.currentPassword ?? "", new: form.newPassword ?? "",
            repeated: form.repeatPassword ?? "", keepSession: user.sessionID, app: req.application, db: req.db)
        if errors.isEmpty {
            req.logger.info("password changed", metadata: ["user_id": .string(user.principal.userID.lowercasedString)])
            return req.redirect(to: SiteRoute.password.url + "?done=1", redirectType: .normal)
        }
        let page = PasswordPage(layout: req.layout("Смена пароля"), action: SiteRoute.password.url, errors: errors, done: false)
        return try await req.view.render("account/password", page).encodeResponse(status: .unprocessableEntity, for: req)
    }
}
