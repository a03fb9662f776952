import Vapor

/// CSRF protection of every form POST (double-submit: a random token in an HttpOnly, SameSite=Lax cookie
/// and the same token in a hidden field of every form). The token is rotated at sign-in.
struct CSRFMiddleware: AsyncMiddleware {
    static let cookie = "nav_csrf"
    static let field = "_csrf"

    private struct TokenKey: StorageKey { typealias Value = String }

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if req.routePath.hasPrefix("/api/") { return try await next.respond(to: req) }
        let existing: String? = req.cookies[Self.cookie].flatMap { $0.string.count == 43 ? $0.string : nil }
        if req.method == .POST || req.method == .PUT || req.method == .PATCH || req.method == .DELETE {
            // The body was collected (bounded) by InputSanityMiddleware.
            let sent = try? req.content.get(String.self, at: Self.field)
            guard let existing, let sent, Tokens.equal(existing, sent) else {
                throw Abort(.forbidden, reason: "csrf")
            }
        }
        let token = existing ?? Tokens.random()
        req.storage[TokenKey.self] = token
        let res = try await next.respond(to: req)
        if let rotated = req.storage[TokenKey.self], rotated != existing {
            res.cookies[Self.cookie] = req.cookie(Self.cookie, rotated, maxAge: nil)
        }
        return res
    }

    static func token(_ req: Request) -> String { req.storage[TokenKey.self] ?? "" }

    /// A new token (after sign-in or sign-out); the response sets it.
    static func rotate(_ req: Request) {
        req.storage[TokenKey.self] = Tokens.random()
    }
}
