import Foundation
import Vapor

/// Gives every request an id (the incoming `X-Request-Id` when it is sane, a new one otherwise), puts it
/// in the request's logger metadata and in the response, and logs one structured line per request.
struct RequestLogMiddleware: AsyncMiddleware {
    static let header = "X-Request-Id"

    static func sanitize(_ raw: String?) -> String? {
        guard let raw, (1...64).contains(raw.count),
              raw.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "-_.".unicodeScalars.contains($0)) })
        else { return nil }
        return raw
    }

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let id = Self.sanitize(req.headers.first(name: Self.header)) ?? UUID().uuidString.lowercased()
        req.logger[metadataKey: "request-id"] = .string(id)
        let start = DispatchTime.now().uptimeNanoseconds
        let response: Response
        do {
            response = try await next.respond(to: req)
        } catch {
            // The error middleware sits inside this one; anything reaching here is logged and rethrown.
            req.logger.error("request failed", metadata: ["method": .string(req.method.rawValue), "path": .string(req.url.path)])
            throw error
        }
        response.headers.replaceOrAdd(name: Self.header, value: id)
        let ms = Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000
        let level: Logger.Level = response.status.code >= 500 ? .error : .info
        req.logger.log(level: level, "request", metadata: [
            "method": .string(req.method.rawValue),
            "path": .string(req.url.path),
            "status": .stringConvertible(response.status.code),
            "duration_ms": .string(String(format: "%.1f", ms)),
        ])
        return response
    }
}

/// Security headers for every response: no external requests, no framing, no sniffing.
struct SecurityHeadersMiddleware: AsyncMiddleware {
    static let contentSecurityPolicy =
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let res = try await next.respond(to: req)
        res.headers.replaceOrAdd(name: "Content-Security-Policy", value: Self.contentSecurityPolicy)
        res.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        res.headers.replaceOrAdd(name: "X-Frame-Options", value: "DENY")
        res.headers.replaceOrAdd(name: "Referrer-Policy", value: "same-origin")
        if req.user != nil || req.url.path.hasPrefix("/api/") {
            res.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        }
        return res
    }
}
