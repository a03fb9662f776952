import Domain
import Foundation

extension CabinetViews {
    /// The providers of a scope, each linked to its card in the registry.
    static func providerTable(_ providers: [ProviderModel], municipalities: [UUID: String]) -> Table {
        Table(caption: "Поставщики", headers: ["Поставщик", "Муниципалитет", "Тип", "Статус", "Пункт выдачи"],
              rows: providers.map { p in
                  [Cell(p.shortName, href: p.id.map { SiteRoute.registryProvider($0).url }),
                   Cell(municipalities[p.municipalityID] ?? "—"),
                   Cell(ProviderKind(rawValue: p.kind)?.title ?? p.kind),
                   Cell(p.status.title), Cell(p.isIssuingPoint ? "да" : "нет")]
              },
              empty: "Поставщиков пока нет.")
    }

    static func regionName(_ code: String) -> String { ReferenceData.region(code: code)?.name ?? code }
}
