import Vapor

/// Refuses a request whose query or body carries a NUL character (raw, `%00` or `\u0000`): no text
/// field may hold one, and PostgreSQL refuses them in text. Bodies are collected here, bounded.
struct InputSanityMiddleware: AsyncMiddleware {
    static let reason = "Запрос содержит недопустимые символы."

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if let query = req.url.query, Self.hasNul(Array(query.utf8)) { throw Self.refusal(req) }
        if req.method == .POST || req.method == .PUT || req.method == .PATCH || req.method == .DELETE {
            // Files (multipart) may be larger and binary: their fields are checked where they are read.
            let multipart = req.mediaType?.hasPrefix("multipart/") ?? false
            let limit = multipart ? ImportController.maxUpload : req.application.routes.defaultMaxBodySize.value
            if let length = req.headers.first(name: .contentLength).flatMap(Int.init), length > limit {
                throw Abort(.payloadTooLarge)
            }
            if req.body.data == nil {
                do { _ = try await req.body.collect(max: limit).get() } catch { throw Abort(.payloadTooLarge) }
            }
            if !multipart, let body = req.body.data, Self.hasNul(Array(body.readableBytesView)) { throw Self.refusal(req) }
        }
        return try await next.respond(to: req)
    }

    static func refusal(_ req: Request) -> AppError {
        AppError(status: .badRequest, code: "bad_request", reason: reason)
    }

    static func hasNul(_ bytes: [UInt8]) -> Bool {
        if bytes.contains(0) { return true }
        let patterns: [[UInt8]] = [Array("%00".utf8), Array("\\u0000".utf8)]
        for p in patterns where bytes.count >= p.count {
            for i in 0...(bytes.count - p.count) where bytes[i] == p[0] {
                var match = true
                for j in 1..<p.count where bytes[i + j] | 0x20 != p[j] | 0x20 { match = false; break }
                if match { return true }
            }
        }
        return false
    }
}
