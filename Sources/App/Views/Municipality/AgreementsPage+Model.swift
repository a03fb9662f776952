import Domain
import Foundation

/// The municipality's agreements with the providers of its region (`/municipality/agreements`): the list, and the forms to
/// conclude one with a provider without it and to terminate one in force.
enum AgreementsPage {
    struct Model: Sendable {
        let rows: [AgreementService.Row]
    }

    static func statusText(_ a: AgreementModel?) -> String {
        guard let a else { return "нет соглашения" }
        if a.status == .active { return "действует с \(LocalDate(iso: a.concludedOn)?.russian ?? a.concludedOn)" }
        return "расторгнуто \(a.terminatedOn.flatMap(LocalDate.init(iso:))?.russian ?? "")"
    }

    /// The notice after an action (`?done=`).
    static func notice(_ key: String) -> String { key == "terminated" ? "Соглашение расторгнуто." : "Соглашение заключено." }

    /// Pure: the page for the model, with the errors of a refused form and the notice of a done action.
    static func context(_ m: Model, errors: [FieldError] = [], notice: String? = nil, layout: LayoutContext) -> CabinetPage {
        let table = Table(caption: "Поставщики региона и соглашения", headers: ["Поставщик", "ИНН", "Соглашение", "Номер"],
                          rows: m.rows.map { r in
                              [Cell(r.provider.shortName, href: SiteRoute.catalogProvider(r.provider.id!).url), Cell(r.provider.inn),
                               Cell(statusText(r.agreement)), Cell(r.agreement?.number ?? "—")]
                          }, empty: "В регионе нет действующих поставщиков.")
        let without = m.rows.filter { $0.agreement?.status != .active }
        let with = m.rows.filter { $0.agreement?.status == .active }
        let choose = FormBlock.Option(value: "", label: "— выберите —", selected: true)
        var forms: [FormBlock] = []
        if !without.isEmpty {
            forms.append(FormBlock(id: "conclude", action: SiteRoute.agreements.url, heading: "Заключить соглашение",
                                   fields: [.init("provider", "Поставщик", type: "select", required: true,
                                                  options: [choose] + without.map { .init(value: $0.provider.id!.lowercasedString, label: $0.provider.shortName, selected: false) },
                                                  errors: errors, formID: "conclude")],
                                   submit: "Заключить соглашение"))
        }
        if !with.isEmpty {
            forms.append(FormBlock(id: "terminate", action: SiteRoute.agreementTerminate.url, heading: "Расторгнуть соглашение",
                                   fields: [.init("agreement", "Соглашение", type: "select",
                                                  hint: "Заключённые договоры действуют до окончания; новые заявки по сертификатам детей муниципалитета этот поставщик принимать не сможет.",
                                                  required: true, options: [choose] + with.map {
                                                      .init(value: $0.agreement!.id!.lowercasedString, label: "\($0.agreement!.number) — \($0.provider.shortName)", selected: false)
                                                  }, errors: errors, formID: "terminate")],
                                   submit: "Расторгнуть соглашение", danger: true))
        }
        var page = CabinetPage(layout: layout, heading: "Соглашения с поставщиками",
                               lead: "Записаться по сертификату муниципалитета можно только к поставщику, с которым у муниципалитета действует соглашение.",
                               sections: [Section(heading: "Соглашения", tables: [table], forms: forms)], errors: errors)
        page.notice = notice
        return page
    }
}
