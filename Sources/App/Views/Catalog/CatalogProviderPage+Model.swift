import Domain
import Foundation

/// A provider in the public catalogue (`/catalog/providers/{id}`): the organisation and its published programs.
enum CatalogProviderPage {
    struct Model: Sendable {
        let provider: ProviderModel
        let municipality: String
        let programs: [CatalogProgram]
    }

    static func facts(_ provider: ProviderModel, municipality: String) -> [Fact] {
        var facts = [
            Fact(label: "Полное наименование", value: provider.fullName),
            Fact(label: "Тип", value: ProviderKind(rawValue: provider.kind)?.title ?? provider.kind),
            Fact(label: "Форма собственности", value: Ownership(rawValue: provider.ownership)?.title ?? provider.ownership),
            Fact(label: "Муниципалитет", value: municipality),
            Fact(label: "Адрес", value: provider.actualAddress),
            Fact(label: "ИНН", value: provider.inn),
        ]
        if let v = provider.phone { facts.append(Fact(label: "Телефон", value: v)) }
        if let v = provider.email { facts.append(Fact(label: "Электронная почта", value: v)) }
        if let v = provider.website { facts.append(Fact(label: "Сайт", value: v)) }
        if let n = provider.licenceNumber {
            facts.append(Fact(label: "Лицензия", value: "№ \(n)" + (provider.licenceDate.flatMap(LocalDate.init(iso:)).map { " от \($0.russian)" } ?? "")))
        }
        return facts
    }

    static func context(_ m: Model, layout: LayoutContext) -> CabinetPage {
        let table = Table(caption: "Программы организации", headers: ["Программа", "Направленность", "Возраст", "Оплата", "Места"],
                          rows: m.programs.map { p in
                              let i = CatalogViews.item(p)
                              return [Cell(p.name, href: i.href), Cell(i.direction), Cell(i.age), Cell(i.price), Cell(i.freePlaces)]
                          }, empty: "Опубликованных программ пока нет.")
        return CabinetPage(layout: layout, heading: m.provider.shortName, lead: "Поставщик образовательных услуг",
                           sections: [Section(heading: "Об организации", facts: facts(m.provider, municipality: m.municipality)),
                                      Section(heading: "Программы", tables: [table])])
    }
}
