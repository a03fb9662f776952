import Domain
import Foundation

/// The provider's programs and the form of a new one (`/provider/programs`).
enum ProgramsPage {
    struct Model: Sendable {
        let providerName: String
        let providerStatus: ProviderStatus
        let programs: [ProgramModel]
    }

    /// Pure: the page for the model, with the new program's form (the values typed, and the errors, after a refusal).
    static func context(_ m: Model, form: ProgramInput = ProgramInput(), errors: [FieldError] = [], layout: LayoutContext) -> CabinetPage {
        var sections = [Section(heading: "Программы", tables: [ProgramViews.programTable(m.programs, link: { SiteRoute.providerProgram($0).url })])]
        if m.providerStatus == .banned {
            sections.append(Section(heading: "Новая программа", text: "Поставщик исключён из реестра: добавлять программы нельзя."))
        } else {
            sections.append(Section(heading: "Новая программа",
                                    text: "Программа сохраняется черновиком. Добавьте модули и группы и отправьте её на сертификацию: в каталоге она появится после решения оператора." +
                                        (m.providerStatus == .active ? "" : " Пока карточка организации не одобрена оператором, программы не видны в каталоге."),
                                    forms: [FormBlock(id: "program", action: SiteRoute.providerPrograms.url,
                                                      fields: ProgramForms.programFields(form, errors: errors, formID: "program"), submit: "Создать программу")]))
        }
        return CabinetPage(layout: layout, heading: "Программы", lead: m.providerName, sections: sections, errors: errors)
    }
}
