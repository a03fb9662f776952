import Domain
import Foundation

/// The cabinets of the operator (`/cabinet/operator`) and of a monitor (`/cabinet/monitor`): the figures of the region (or of
/// the monitor's municipality), its municipalities and its providers.
enum RegionCabinetPage {
    struct Model: Sendable {
        let role: Role
        let regionCode: String
        /// The monitor's municipality, when the scope is one.
        let scopeName: String?
        let municipalities: [MunicipalityModel]
        let children: [UUID: Int]
        let providerCounts: [UUID: Int]
        let providers: [ProviderModel]
    }

    /// Pure: the page for the model.
    static func context(_ m: Model, layout: LayoutContext) -> CabinetPage {
        let region = CabinetViews.regionName(m.regionCode)
        let names = Dictionary(uniqueKeysWithValues: m.municipalities.map { ($0.id!, $0.name) })
        let totalChildren = m.municipalities.reduce(0) { $0 + (m.children[$1.id!] ?? 0) }
        let estimate = m.municipalities.reduce(0) { $0 + ($1.childrenCount ?? 0) }
        let facts = [
            Fact(label: "Регион", value: region),
            Fact(label: "Муниципалитетов", value: CabinetViews.grouped(m.municipalities.count)),
            Fact(label: "Поставщиков", value: CabinetViews.grouped(m.providers.count)),
            Fact(label: "Детей в системе", value: CabinetViews.grouped(totalChildren)),
            Fact(label: "Детей 5–17 лет (по данным, где есть оценка)", value: "≈ " + CabinetViews.grouped(estimate)),
        ]
        let sections = [
            Section(heading: "Сводка", facts: facts),
            Section(heading: "Муниципалитеты", tables: [CabinetViews.municipalityTable(m.municipalities, children: m.children, providers: m.providerCounts,
                                                                                       caption: "Муниципалитеты")]),
            Section(heading: "Реестр поставщиков", tables: [CabinetViews.providerTable(m.providers, municipalities: names)]),
        ]
        if m.role == .operator_ {
            return CabinetPage(layout: layout, heading: "Оператор ПФДО: \(region)",
                               lead: "Региональный модельный центр: реестры поставщиков и программ, настройки региона, охват.", sections: sections)
        }
        return CabinetPage(layout: layout, heading: "Наблюдатель: \(m.scopeName ?? region)", lead: "Просмотр без права изменений.", sections: sections)
    }
}
