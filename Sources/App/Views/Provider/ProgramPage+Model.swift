import Domain
import Foundation

/// One program of the provider (`/provider/programs/:id`): its status and actions, the card, the modules and the groups,
/// with the forms of a new module and a new group while the program may be edited.
enum ProgramPage {
    struct Model: Sendable {
        let program: ProgramModel
        let modules: [ModuleModel]
        let groups: [GroupModel]
    }

    /// The form a refusal is shown on.
    enum Form: String, Sendable { case card, module, group }

    /// Pure: the page for the model. `card` is the card's form (the stored card when nil); after a refusal the form it
    /// concerns (`failed`) shows the values typed and the errors.
    static func context(_ m: Model, card: ProgramInput? = nil, module: ModuleInput = ModuleInput(), group: GroupInput = GroupInput(),
                        errors: [FieldError] = [], failed: Form? = nil, layout: LayoutContext) -> CabinetPage {
        let program = m.program, id = program.id!, status = program.status
        var statusText = "Статус: \(status.title)."
        if let r = program.statusReason { statusText += " \(r)" }
        if status == .certified { statusText += " Программа опубликована в каталоге, если карточка организации одобрена." }
        var actions: [FormBlock] = []
        if status.maySubmit {
            actions.append(FormBlock(id: "submit", action: SiteRoute.providerProgramSubmit(id).url, submit: "Отправить на сертификацию"))
        }
        if status != .archived {
            actions.append(FormBlock(id: "archive", action: SiteRoute.providerProgramArchive(id).url, heading: "Архив",
                                     submit: "Перенести в архив", danger: true))
        }
        var links: [Cell] = [Cell("Все программы", href: SiteRoute.providerPrograms.url)]
        if status == .certified { links.append(Cell("Страница программы в каталоге", href: SiteRoute.catalogProgram(id).url)) }
        var sections = [Section(heading: "Статус", text: statusText, forms: actions, links: links)]
        let e = { (form: Form) in failed == form ? errors : [] }
        if status.mayEdit {
            sections.append(Section(heading: "Карточка программы", forms: [
                FormBlock(id: Form.card.rawValue, action: SiteRoute.providerProgram(id).url,
                          fields: ProgramForms.programFields(card ?? ProgramInput(program), errors: e(.card), formID: Form.card.rawValue),
                          submit: "Сохранить карточку"),
            ]))
        } else {
            sections.append(Section(heading: "Карточка программы", facts: ProgramViews.programFacts(program)))
        }
        var moduleForms: [FormBlock] = []
        if status.mayEdit {
            moduleForms.append(FormBlock(id: Form.module.rawValue, action: SiteRoute.providerProgramModules(id).url, heading: "Новый модуль",
                                         fields: ProgramForms.moduleFields(module, errors: e(.module), formID: Form.module.rawValue), submit: "Добавить модуль"))
        }
        sections.append(Section(heading: "Модули",
                                text: "Изменение цены, продолжительности или объёма модуля сертифицированной программы снова отправляет её на сертификацию; заключённые договоры не меняются.",
                                tables: [ProgramViews.moduleTable(m.modules, link: { SiteRoute.providerModule($0).url })], forms: moduleForms))
        var groupForms: [FormBlock] = []
        if status.mayEdit && !m.modules.isEmpty {
            groupForms.append(FormBlock(id: Form.group.rawValue, action: SiteRoute.providerProgramGroups(id).url, heading: "Новая группа",
                                        fields: ProgramForms.groupFields(group, modules: m.modules, errors: e(.group), formID: Form.group.rawValue),
                                        submit: "Добавить группу"))
        }
        sections.append(Section(heading: "Группы", text: m.modules.isEmpty ? "Сначала добавьте модуль." : nil,
                                tables: [ProgramViews.groupTable(m.groups, modules: m.modules, link: { SiteRoute.providerGroup($0).url })], forms: groupForms))
        return CabinetPage(layout: layout, heading: program.name, lead: "Программа поставщика", sections: sections, errors: errors)
    }
}
