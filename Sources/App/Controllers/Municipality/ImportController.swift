import Domain
import Vapor

/// Bulk import of certificates from CSV or XLSX, with a report per row (`Views/Municipality/ImportPage`).
enum ImportController {
    static let maxUpload = 20 * 1024 * 1024

    static func page(req: Request) async throws -> View {
        _ = try ProgramController.municipalityID(req)
        return try await render(req, report: nil, errors: [])
    }

    static func render(_ req: Request, report: ImportService.Report?, errors: [FieldError]) async throws -> View {
        try await req.view.render("cabinet/page", ImportPage.context(report: report, errors: errors, layout: req.layout("Загрузка сертификатов")))
    }

    /// The multipart upload: the file's bytes, not a form's fields.
    struct Upload: Content {
        var file: File?
    }

    static func upload(req: Request) async throws -> Response {
        let m = try ProgramController.municipalityID(req)
        let p = try req.requirePrincipal()
        let upload = try? req.content.decode(Upload.self)
        guard let file = upload?.file, file.data.readableBytes > 0 else {
            return try await render(req, report: nil, errors: [FieldError(field: "file", message: "Выберите файл CSV или XLSX.")])
                .encodeResponse(status: .unprocessableEntity, for: req)
        }
        do {
            let report = try await req.navigator.imports.run(data: Array(file.data.readableBytesView), municipalityID: m, by: p)
            req.logger.info("certificates imported", metadata: ["created": "\(report.created)", "unchanged": "\(report.unchanged)", "failed": "\(report.failed)"])
            return try await render(req, report: report, errors: []).encodeResponse(for: req)
        } catch let e as FieldError {
            return try await render(req, report: nil, errors: [e]).encodeResponse(status: .unprocessableEntity, for: req)
        }
    }
}
