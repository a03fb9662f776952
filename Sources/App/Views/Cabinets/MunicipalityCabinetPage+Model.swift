import Domain
import Foundation

/// The municipality's cabinet (`/cabinet/municipality`): the territory's figures, the links to its work and its providers.
enum MunicipalityCabinetPage {
    struct Model: Sendable {
        let municipality: MunicipalityModel
        let providers: [ProviderModel]
        let children: Int
        let parents: Int
    }

    /// Pure: the page for the model.
    static func context(_ m: Model, layout: LayoutContext) -> CabinetPage {
        let muni = m.municipality
        let estimate = muni.childrenCount.map { (muni.childrenIsEstimate ? "≈ " : "") + CabinetViews.grouped($0) } ?? "нет данных"
        let facts = [
            Fact(label: "Муниципалитет", value: muni.name),
            Fact(label: "Регион", value: CabinetViews.regionName(muni.regionCode)),
            Fact(label: "Детей 5–17 лет на территории", value: estimate),
            Fact(label: "Детей в системе", value: CabinetViews.grouped(m.children)),
            Fact(label: "Семей в системе", value: CabinetViews.grouped(m.parents)),
            Fact(label: "Поставщиков", value: CabinetViews.grouped(m.providers.count)),
        ]
        return CabinetPage(layout: layout, heading: muni.name,
                           lead: "Кабинет уполномоченного органа: программа персонифицированного финансирования, поставщики и дети территории.",
                           sections: [Section(heading: "Территория", facts: facts,
                                              links: [Cell("Программа ПФДО: периоды, группы, номиналы", href: SiteRoute.program.url),
                                                      Cell("Соглашения с поставщиками", href: SiteRoute.agreements.url),
                                                      Cell("Подтверждение сертификатов", href: SiteRoute.certificates(query: nil).url),
                                                      Cell("Загрузка сертификатов из файла", href: SiteRoute.programImport.url)]),
                                      Section(heading: "Поставщики территории",
                                              tables: [CabinetViews.providerTable(m.providers, municipalities: [muni.id!: muni.name])])])
    }
}
