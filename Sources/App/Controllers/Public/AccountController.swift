import Domain
import Vapor

/// The signed-in user's own account: changing the password (`Views/Public/PasswordPage`).
enum AccountController {
    static func passwordPage(req: Request) async throws -> View {
        _ = try req.requirePrincipal()
        let page = PasswordPage.context(errors: [], done: req.query[String.self, at: "done"] == "1", layout: req.layout("Смена пароля"))
        return try await req.view.render("account/password", page)
    }

    static func changePassword(req: Request) async throws -> Response {
        guard let user = req.user else { throw Abort(.unauthorized) }
        let input = try PasswordChangeInput(InputBody.body(req))
        let errors = try await req.application.authService.changePassword(
            userID: user.principal.userID, current: input.current, new: input.new, repeated: input.repeated,
            keepSession: user.sessionID, app: req.application, db: req.db)
        if errors.isEmpty {
            req.logger.info("password changed", metadata: ["user_id": .string(user.principal.userID.lowercasedString)])
            return req.redirect(to: SiteRoute.password.url + "?done=1", redirectType: .normal)
        }
        let page = PasswordPage.context(errors: errors, done: false, layout: req.layout("Смена пароля"))
        return try await req.view.render("account/password", page).encodeResponse(status: .unprocessableEntity, for: req)
    }
}
