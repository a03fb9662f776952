import Fluent
import Foundation
import SQLKit
import Vapor

/// `Idempotency-Key` on the API's mutating requests: the first request with a key runs and its answer is
/// kept (per user, for a day); a retry with the same key gets that answer again and changes nothing,
/// also when it arrives while the first is still running (it waits for it). The same key with a different
/// request is refused. A request that failed is not kept: the retry runs again.
struct IdempotencyMiddleware: AsyncMiddleware {
    static let header = "Idempotency-Key"
    static let keep: TimeInterval = 24 * 3600

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        // Sign-in answers carry a token: they are never stored.
        guard req.routePath.hasPrefix("/api/"), !req.routePath.hasPrefix("/api/v1/auth/"), [.POST, .PUT, .PATCH, .DELETE].contains(req.method),
              let key = req.headers.first(name: Self.header) else {
            return try await next.respond(to: req)
        }
        guard (1...200).contains(key.count), key.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else {
            throw AppError(status: .badRequest, code: "invalid_idempotency_key",
                           reason: "Idempotency-Key: от 1 до 200 печатных символов ASCII без пробелов.")
        }
        let user = req.user?.principal.userID ?? UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
        var hasher = SHA256()
        hasher.update(data: Data(req.method.rawValue.utf8))
        hasher.update(data: Data(req.routePath.utf8))
        if let body = req.body.data { hasher.update(data: Data(body.readableBytesView)) }
        let hash = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        let app = req.application
        let now = app.clock.now()
        let method = req.method.rawValue, path = req.routePath
        do {
            try await app.hotWrite { sql in
                try await sql.insert(into: "idempotency_keys")
                    .columns("user_id", "key", "method", "path", "request_hash", "created_at")
                    .values(SQLBind(user), SQLBind(key), SQLBind(method), SQLBind(path), SQLBind(hash), SQLBind(now))
                    .run()
            }
        } catch where LedgerService.isUniqueViolation(error) {
            return try await replay(req, next, user: user, key: key, hash: hash)
        }
        let response: Response
        do {
            response = try await next.respond(to: req)
        } catch {
            try? await forget(app, user, key)
            throw error
        }
        guard response.status.code < 500, let body = response.body.buffer ?? response.body.data.map({ ByteBuffer(data: $0) }) else {
            try? await forget(app, user, key)
            return response
        }
        let status = Int(response.status.code), contentType = response.headers.first(name: .contentType) ?? "application/json"
        let data = Data(body.readableBytesView)
        try await app.hotWrite { sql in
            try await sql.update("idempotency_keys")
                .set("status", to: status).set("content_type", to: contentType).set("body", to: data)
                .where("user_id", .equal, user).where("key", .equal, key).run()
        }
        return response
    }

    private func forget(_ app: Application, _ user: UUID, _ key: String) async throws {
        try await app.hotWrite { sql in
            try await sql.delete(from: "idempotency_keys").where("user_id", .equal, user).where("key", .equal, key).run()
        }
    }

    /// The kept answer of the first request with this key (waiting up to 10 s while it still runs).
    private func replay(_ req: Request, _ next: any AsyncResponder, user: UUID, key: String, hash: String) async throws -> Response {
        for _ in 0..<200 {
            guard let row = try await req.application.fastSQL.select().columns("request_hash", "status", "content_type", "body", "created_at")
                .from("idempotency_keys").where("user_id", .equal, user).where("key", .equal, key).first() else {
                // The first request failed and was forgotten: run this one.
                return try await respond(to: req, chainingTo: next)
            }
            guard try row.decode(column: "request_hash", as: String.self) == hash else {
                throw AppError(status: .unprocessableEntity, code: "idempotency_key_reused",
                               reason: "Этот Idempotency-Key уже использован для другого запроса.")
            }
            if let status = try row.decode(column: "status", as: Int?.self) {
                let body = try row.decode(column: "body", as: Data?.self) ?? Data()
                var headers = HTTPHeaders()
                headers.replaceOrAdd(name: .contentType, value: try row.decode(column: "content_type", as: String?.self) ?? "application/json")
                headers.replaceOrAdd(name: "Idempotent-Replayed", value: "true")
                return Response(status: HTTPResponseStatus(statusCode: status), headers: headers, body: .init(data: body))
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw AppError(status: .conflict, code: "idempotency_in_progress",
                       reason: "Запрос с этим Idempotency-Key ещё выполняется: повторите позже.")
    }

    /// Removes the answers older than a day (the sweep calls it).
    static func prune(_ db: any Database, now: Date) async throws {
        try await db.sql.delete(from: "idempotency_keys").where("created_at", .lessThan, now.addingTimeInterval(-keep)).run()
    }
}
