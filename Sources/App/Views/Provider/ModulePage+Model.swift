import Domain
import Foundation

/// One module of a program (`/provider/modules/:id`): its normative cost and price, and its form.
enum ModulePage {
    struct Model: Sendable {
        let module: ModuleModel
    }

    /// Pure: the page for the model; `form` is the module's form (the stored module when nil).
    static func context(_ m: Model, form: ModuleInput? = nil, errors: [FieldError] = [], layout: LayoutContext) -> CabinetPage {
        let module = m.module
        let facts = [Fact(label: "Нормативная стоимость", value: module.normative.map { Money(kopecks: $0).formatted } ?? "не установлена"),
                     Fact(label: "Цена", value: Money(kopecks: module.price).formatted)]
        let section = Section(heading: "Модуль", facts: facts,
                              forms: [FormBlock(id: "module", action: SiteRoute.providerModule(module.id!).url,
                                                fields: ProgramForms.moduleFields(form ?? ModuleInput(module), errors: errors, formID: "module"),
                                                submit: "Сохранить модуль")],
                              links: [Cell("К программе", href: SiteRoute.providerProgram(module.programID).url)])
        return CabinetPage(layout: layout, heading: module.name, lead: "Модуль программы", sections: [section], errors: errors)
    }
}
