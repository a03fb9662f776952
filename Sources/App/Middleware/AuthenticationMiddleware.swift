import Domain
import Vapor

/// Signs the request in from the session cookie (pages) or the bearer token (`/api`). Only one of the
/// two applies: the API never reads cookies, so it needs no CSRF protection.
struct AuthenticationMiddleware: AsyncMiddleware {
    static let sessionCookie = "nav_session"

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let auth = req.application.authService
        if req.routePath.hasPrefix("/api/") {
            if let bearer = req.headers.bearerAuthorization, let user = try await auth.apiUser(bearer: bearer.token, db: req.db, read: req.application.fastSQL) {
                req.auth.login(user)
            }
        } else if let token = req.cookies[Self.sessionCookie]?.string, !token.isEmpty,
                  let (user, session) = try await auth.user(sessionToken: token, db: req.db), let p = user.principal {
            req.auth.login(AuthenticatedUser(principal: p, displayName: user.fullName, email: user.email, sessionID: session.id))
        }
        return try await next.respond(to: req)
    }
}

/// Lets through only signed-in users of the given roles. Pages send a stranger to the login form and a
/// user of another role to 403; the API answers 401 and 403.
struct RoleGuard: AsyncMiddleware {
    let roles: Set<Role>

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let user = req.user else {
            if req.routePath.hasPrefix("/api/") { throw Abort(.unauthorized) }
            let back = req.routePath + (req.url.query.map { "?" + $0 } ?? "")
            return req.redirect(to: SiteRoute.login(next: back).url)
        }
        guard roles.contains(user.principal.role) else { throw Abort(.forbidden) }
        return try await next.respond(to: req)
    }
}

extension Request {
    /// Whether the request reached us over TLS, directly or through a trusted proxy.
    var isSecure: Bool {
        if application.config.secureCookies { return true }
        if url.scheme == "https" { return true }
        if application.config.trustProxy, headers.first(name: "X-Forwarded-Proto")?.lowercased() == "https" { return true }
        return false
    }

    /// The client's address, from the proxy header only when the proxy is trusted.
    var clientAddress: String? {
        if application.config.trustProxy, let forwarded = headers.first(name: "X-Forwarded-For") {
            let first = forwarded.split(separator: ",").first.map { $0.trimmingCharacters(in: .whitespaces) }
            if let first, !first.isEmpty, first.count <= 64 { return first }
        }
        return remoteAddress?.ipAddress
    }

    func cookie(_ name: String, _ value: String, maxAge: Int?, httpOnly: Bool = true) -> HTTPCookies.Value {
        HTTPCookies.Value(string: value, expires: nil, maxAge: maxAge, domain: nil, path: "/",
                          isSecure: isSecure, isHTTPOnly: httpOnly, sameSite: .lax)
    }
}
