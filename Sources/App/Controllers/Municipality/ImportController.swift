import Domain
import Vapor

/// Bulk import of certificates from CSV or XLSX, with a report per row.
enum ImportController {
    static let maxUpload = 20 * 1024 * 1024

    static func page(req: Request) async throws -> View {
        _ = try ProgramController.municipalityID(req)
        return try await render(req, report: nil, errors: [])
    }

    static func render(_ req: Request, report: ImportService.Report?, errors: [FieldError]) async throws -> View {
        var sections = [Section(heading: "Файл", text: "CSV (UTF-8, разделитель «;») или XLSX. Первая строка — заголовок: " +
                                ImportService.columns.joined(separator: "; ") + ". Повторная загрузка того же файла ничего не меняет.",
                                forms: [FormBlock(id: "import", action: SiteRoute.programImport.url,
                                                  fields: [.init("file", "Файл CSV или XLSX", type: "file", required: true, errors: errors, formID: "import")],
                                                  submit: "Загрузить")])]
        if let report {
            let rows = report.rows.map { r -> [Cell] in
                switch r.outcome {
                case .created(let n): [Cell(String(r.line)), Cell(r.child), Cell("создан"), Cell("Сертификат № \(n)")]
                case .unchanged(let n): [Cell(String(r.line)), Cell(r.child), Cell("без изменений"), Cell("Уже загружен: № \(n)")]
                case .failed(let m): [Cell(String(r.line)), Cell(r.child), Cell("ошибка"), Cell(m.joined(separator: " "))]
                }
            }
            sections.append(Section(heading: "Результат", text: "Создано: \(report.created), без изменений: \(report.unchanged), ошибок: \(report.failed).",
                                    tables: [Table(caption: "Строки файла", headers: ["Строка", "Ребёнок", "Итог", "Подробности"], rows: rows,
                                                   empty: "В файле нет строк с данными.")]))
        }
        let page = CabinetPage(layout: req.layout("Загрузка сертификатов"), heading: "Загрузка сертификатов из файла",
                               lead: "Массовая регистрация детей и выдача подтверждённых сертификатов муниципалитета.",
                               sections: sections, errors: errors)
        return try await req.view.render("cabinet/page", page)
    }

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
            let report = try await req.application.navigator.imports.run(data: Array(file.data.readableBytesView), municipalityID: m, by: p)
            req.logger.info("certificates imported", metadata: ["created": "\(report.created)", "unchanged": "\(report.unchanged)", "failed": "\(report.failed)"])
            return try await render(req, report: report, errors: []).encodeResponse(for: req)
        } catch let e as FieldError {
            return try await render(req, report: nil, errors: [e]).encodeResponse(status: .unprocessableEntity, for: req)
        }
    }
}
