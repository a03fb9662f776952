import Domain
import Foundation

/// The bulk import of certificates from a CSV or XLSX file (`/municipality/import`): the form and, after an upload, the
/// report of every row. It reads nothing from the database.
enum ImportPage {
    /// Pure: the page with the report of the last upload, if any, and the errors of a refused file.
    static func context(report: ImportService.Report?, errors: [FieldError] = [], layout: LayoutContext) -> CabinetPage {
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
        return CabinetPage(layout: layout, heading: "Загрузка сертификатов из файла",
                           lead: "Массовая регистрация детей и выдача подтверждённых сертификатов муниципалитета.", sections: sections, errors: errors)
    }
}
