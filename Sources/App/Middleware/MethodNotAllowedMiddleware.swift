import NIOConcurrencyHelpers
import Vapor

/// A request for a path the site has, with a method it does not serve there, gets 405 with an `Allow`
/// header instead of the router's 404 (HTTP semantics; API clients and fuzzers rely on it).
struct MethodNotAllowedMiddleware: AsyncMiddleware {
    private final class Shapes: Sendable {
        let value = NIOLockedValueBox<[(HTTPMethod, [PathComponent])]?>(nil)
    }
    private let shapes = Shapes()

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: req)
        } catch let error as any AbortError where error.status == .notFound {
            let routes = shapes.value.withLockedValue { cached in
                if let cached { return cached }
                let all = req.application.routes.all.map { ($0.method, $0.path) }
                cached = all
                return all
            }
            let parts = req.routePath.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
            func matches(_ pattern: [PathComponent]) -> Bool {
                guard pattern.count == parts.count else { return false }
                for (p, s) in zip(pattern, parts) {
                    if case .constant(let c) = p, c != s { return false }
                }
                return true
            }
            let allowed = routes.filter { matches($0.1) }.map(\.0)
            guard !allowed.isEmpty, !allowed.contains(req.method), !(req.method == .HEAD && allowed.contains(.GET)) else { throw error }
            var e = AppError(status: .methodNotAllowed, code: "method_not_allowed",
                             reason: "Адрес \(req.routePath) не поддерживает метод \(req.method.rawValue); допустимо: \(Set(allowed.map(\.rawValue)).sorted().joined(separator: ", ")).")
            e.headers.replaceOrAdd(name: .allow, value: Set(allowed.map(\.rawValue)).sorted().joined(separator: ", "))
            throw e
        }
    }
}
