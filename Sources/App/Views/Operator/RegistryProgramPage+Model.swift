import Domain
import Foundation

/// A program in the registry (`/registry/programs/:id`): its card, modules and groups, and for the operator the decision —
/// certification with the normative cost of every module (of a program paid by certificates), refusal with a reason, archive.
enum RegistryProgramPage {
    struct Model: Sendable {
        let program: ProgramModel
        let modules: [ModuleModel]
        let groups: [GroupModel]
        let provider: ProviderModel?
        /// The reader's role: only the operator decides.
        let role: Role
        /// The region's price cap, read when the operator may certify the program.
        let priceCap: Int?
    }

    /// The operator may certify or refuse the program now.
    static func decides(role: Role, _ program: ProgramModel) -> Bool { role == .operator_ && program.status == .certification }

    /// Pure: the page for the model; after a refusal, the normatives typed and the errors.
    static func context(_ m: Model, normatives: [String]? = nil, errors: [FieldError] = [], layout: LayoutContext) -> CabinetPage {
        let program = m.program, id = program.id!
        var facts = ProgramViews.programFacts(program)
        facts.insert(Fact(label: "Поставщик", value: m.provider?.shortName ?? "—"), at: 1)
        var forms: [FormBlock] = []
        if decides(role: m.role, program) {
            let cap = m.priceCap ?? PriceCap.defaultPercent
            var fields: [FormBlock.Field] = []
            if program.funding == .certificate {
                for (i, module) in m.modules.enumerated() {
                    let value = normatives.flatMap { i < $0.count ? $0[i] : nil } ?? module.normative.map(Roubles.text) ?? Roubles.text(module.price)
                    fields.append(.init("normative\(i)", "Нормативная стоимость модуля «\(module.name)», ₽", value: value,
                                        hint: "Цена поставщика \(Money(kopecks: module.price).formatted); предел — \(cap) % нормативной стоимости.",
                                        required: true, errors: errors, formID: "certify"))
                }
            }
            forms.append(FormBlock(id: "certify", action: SiteRoute.registryProgramCertify(id).url, heading: "Сертификация", fields: fields,
                                   submit: "Сертифицировать"))
            forms.append(FormBlock(id: "refuse", action: SiteRoute.registryProgramRefuse(id).url, heading: "Отказ в сертификации",
                                   fields: [.init("reason", "Причина отказа", type: "textarea", required: true, errors: errors, formID: "refuse")],
                                   submit: "Отказать", danger: true))
        }
        if m.role == .operator_ && program.status != .archived {
            forms.append(FormBlock(id: "archive", action: SiteRoute.registryProgramArchive(id).url, heading: "Архив",
                                   submit: "Перенести в архив", danger: true))
        }
        var links: [Cell] = [Cell("Реестр программ", href: SiteRoute.registryPrograms.url)]
        if program.status == .certified { links.append(Cell("Страница в каталоге", href: SiteRoute.catalogProgram(id).url)) }
        if let provider = m.provider { links.append(Cell("Карточка поставщика", href: SiteRoute.registryProvider(provider.id!).url)) }
        let sections = [
            Section(heading: "Программа", facts: facts, links: links),
            Section(heading: "Модули и группы", tables: [ProgramViews.moduleTable(m.modules, link: nil),
                                                         ProgramViews.groupTable(m.groups, modules: m.modules, link: nil)]),
            Section(heading: "Решение", text: forms.isEmpty ? "Действий нет." : nil, forms: forms),
        ]
        return CabinetPage(layout: layout, heading: program.name, lead: "Программа в реестре", sections: sections, errors: errors)
    }
}
