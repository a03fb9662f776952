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

    /// A random id in the form of a UUID (8-4-4-4-12 hex digits), without Foundation's formatting on every request.
    static func newID() -> String {
        var g = SystemRandomNumberGenerator()
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(36)
        var v = g.next(), left = 16
        for i in 0..<32 {
            if i == 8 || i == 12 || i == 16 || i == 20 { out.append(UInt8(ascii: "-")) }
            if left == 0 { v = g.next(); left = 16 }
            out.append(digits[Int(v & 15)])
            v >>= 4
            left -= 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let id = Self.sanitize(req.headers.first(name: Self.header)) ?? Self.newID()
        req.logger[metadataKey: "request-id"] = .string(id)
        let start = DispatchTime.now().uptimeNanoseconds
        let response: Response
        do {
            response = try await next.respond(to: req)
        } catch {
            // The error middleware sits inside this one; anything reaching here is logged and rethrown.
            req.logger.error("request failed", metadata: ["method": .string(req.method.rawValue), "path": .string(req.routePath)])
            throw error
        }
        response.headers.replaceOrAdd(name: Self.header, value: id)
        let ms = Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000
        let level: Logger.Level = response.status.code >= 500 ? .error : .info
        req.logger.log(level: level, "request", metadata: [
            "method": .string(req.method.rawValue),
            "path": .string(req.routePath),
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
        if req.user != nil || req.routePath.hasPrefix("/api/") {
            res.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        }
        return res
    }
}

/// Serves the files of `Public/` (style sheets and scripts) and nothing else: only GET and HEAD requests for a
/// path under one of its folders reach Vapor's file middleware, which otherwise asks the file system (on
/// the thread pool) on every request, API calls included.
struct StaticFilesMiddleware: AsyncMiddleware {
    let files: FileMiddleware
    static let prefixes = ["/css/", "/js/"]

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard req.method == .GET || req.method == .HEAD, Self.prefixes.contains(where: { req.routePath.hasPrefix($0) }) else {
            return try await next.respond(to: req)
        }
        return try await files.respond(to: req, chainingTo: next)
    }
}
