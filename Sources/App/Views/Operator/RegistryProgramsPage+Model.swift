import Domain
import Foundation

/// The registry of programs (`/registry/programs`) for the operator, the municipality and monitors: a filter by status and
/// the programs with their providers; the operator also sets the region's price cap here.
enum RegistryProgramsPage {
    struct Model: Sendable {
        let status: ProgramStatus?
        let programs: [ProgramModel]
        /// Short names of the programs' providers.
        let providers: [UUID: String]
        /// The region's price cap, for the operator only.
        let priceCap: Int?
    }

    /// Pure: the page for the model.
    static func context(_ m: Model, layout: LayoutContext) -> CabinetPage {
        var links = [Cell("Все", href: SiteRoute.registryPrograms.url)]
        links += ProgramStatus.allCases.map { Cell($0.title, href: SiteRoute.registryPrograms.url + "?status=" + $0.rawValue) }
        let heading = m.status.map { "Программы: \($0.title)" } ?? "Реестр программ"
        var sections = [Section(heading: "Фильтр по статусу", links: links),
                        Section(heading: heading, tables: [ProgramViews.programTable(m.programs, link: { SiteRoute.registryProgram($0).url },
                                                                                      providers: m.providers)])]
        if let cap = m.priceCap {
            sections.insert(Section(heading: "Предельная цена", text: "Цена модуля сертифицированной программы не может превышать \(cap) % его нормативной стоимости.",
                                    forms: [PriceCapPage.form(PriceCapInput(percent: String(cap)), errors: [])]), at: 0)
        }
        return CabinetPage(layout: layout, heading: "Реестр программ", lead: "Программы поставщиков региона и их сертификация.", sections: sections)
    }
}
