import Domain
import Vapor

/// An error with a machine code and a Russian reason, for the API and for pages alike.
struct AppError: AbortError, Sendable {
    let status: HTTPResponseStatus
    let code: String
    let reason: String
    var fields: [FieldError] = []
    var headers: HTTPHeaders = [:]

    static func validation(_ errors: [FieldError]) -> AppError {
        AppError(status: .unprocessableEntity, code: "validation_failed",
                 reason: errors.map(\.message).joined(separator: " "), fields: errors)
    }
}

extension AppError {
    /// A refusal of a lifecycle step or an application: 409 when the state does not allow it, 422 when the input is
    /// wrong, 403 when the role may never do it; the field it concerns named.
    init(_ r: Refusal) {
        let status: HTTPResponseStatus = switch r.kind {
        case .conflict: .conflict
        case .invalid: .unprocessableEntity
        case .forbidden: .forbidden
        }
        self.init(status: status, code: r.code, reason: r.message, fields: [FieldError(field: r.field, message: r.message)])
    }
}

/// Maps every error to HTTP in one place: JSON `{"error", "reason"}` under /api, an HTML page elsewhere.
/// A user never sees a stack trace; a server error is logged with the request id.
struct AppErrorMiddleware: AsyncMiddleware {
    struct APIErrorBody: Content {
        let error: String
        let reason: String
        let fields: [FieldError]?
    }

    static func code(for status: HTTPResponseStatus) -> String {
        switch status.code {
        case 400: "bad_request"
        case 401: "unauthorized"
        case 403: "forbidden"
        case 404: "not_found"
        case 405: "method_not_allowed"
        case 409: "conflict"
        case 413: "payload_too_large"
        case 415: "unsupported_media_type"
        case 422: "validation_failed"
        case 429: "too_many_requests"
        case 500...599: "internal_error"
        default: "error"
        }
    }

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: req)
        } catch {
            return await handle(error, req)
        }
    }

    func handle(_ error: any Error, _ req: Request) async -> Response {
        var status = HTTPResponseStatus.internalServerError
        var code = "internal_error"
        var reason = ErrorPage.wording(.internalServerError).1
        var fields: [FieldError]? = nil
        var headers = HTTPHeaders()
        let error = (error as? Refusal).map { AppError($0) as any Error } ?? error
        switch error {
        case let e as AppError:
            status = e.status
            code = e.code
            reason = e.reason
            fields = e.fields.isEmpty ? nil : e.fields
            headers = e.headers
        case let e as ValidationFailure:
            status = .unprocessableEntity
            code = "validation_failed"
            reason = e.summary
            fields = e.errors
        case let e as FieldError:
            status = .unprocessableEntity
            code = "validation_failed"
            reason = e.message
            fields = [e]
        case let e as any AbortError:
            status = e.status
            code = Self.code(for: status)
            headers = e.headers
            reason = e.reason == "csrf"
                ? "Форма устарела или отправлена не с этого сайта. Обновите страницу и отправьте форму снова."
                : ErrorPage.wording(status).1
        case is DecodingError:
            status = .badRequest
            code = "bad_request"
            reason = "Запрос не удалось разобрать: проверьте формат данных."
        default:
            break
        }
        if status.code >= 500 {
            req.logger.error("unhandled error", metadata: ["error": .string(String(reflecting: error))])
        }
        headers.remove(name: .contentType)
        if req.routePath.hasPrefix("/api/") {
            let body = APIErrorBody(error: code, reason: reason, fields: fields)
            let res = Response(status: status, headers: headers)
            try? res.content.encode(body, as: .json)
            return res
        }
        let (heading, generic) = ErrorPage.wording(status)
        let message = (error is AppError || error is ValidationFailure || error is FieldError || (error as? any AbortError)?.reason == "csrf") ? reason : generic
        let page = ErrorPage(layout: req.layout(heading), status: Int(status.code), heading: heading,
                             message: message, homeURL: SiteRoute.home.url)
        do {
            let view = try await req.view.render("error", page)
            let res = try await view.encodeResponse(status: status, for: req)
            for (name, value) in headers { res.headers.replaceOrAdd(name: name, value: value) }
            return res
        } catch {
            req.logger.error("error page failed to render", metadata: ["error": .string(String(describing: error))])
            let res = Response(status: status, headers: ["Content-Type": "text/plain; charset=utf-8"])
            res.body = .init(string: "\(status.code) \(heading). \(message)")
            return res
        }
    }
}
