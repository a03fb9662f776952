import Domain
import Foundation

/// One group of a program (`/provider/groups/:id`): the places taken, its form, and the links to the program and to the
/// group's applications, list and waiting list.
enum GroupPage {
    struct Model: Sendable {
        let group: GroupModel
        /// The program's modules, for the form's select.
        let modules: [ModuleModel]
    }

    /// Pure: the page for the model; `form` is the group's form (the stored group when nil).
    static func context(_ m: Model, form: GroupInput? = nil, errors: [FieldError] = [], layout: LayoutContext) -> CabinetPage {
        let g = m.group, id = g.id!
        let section = Section(heading: "Группа", facts: [Fact(label: "Занято мест", value: "\(g.taken) из \(g.capacity)")],
                              forms: [FormBlock(id: "group", action: SiteRoute.providerGroup(id).url,
                                                fields: ProgramForms.groupFields(form ?? GroupInput(g), modules: m.modules, errors: errors, formID: "group"),
                                                submit: "Сохранить группу")],
                              links: [Cell("К программе", href: SiteRoute.providerProgram(g.programID).url),
                                      Cell("Заявки, список группы и очередь", href: SiteRoute.providerApplications.url + "?group=" + id.lowercasedString)])
        return CabinetPage(layout: layout, heading: g.name, lead: "Группа программы", sections: [section], errors: errors)
    }
}
