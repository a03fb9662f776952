import Domain
import Foundation

/// The public catalogue (`/catalog`): the search box, the filters with their counts, the results and the pages.
enum CatalogPage {
    struct Model: Sendable {
        let query: CatalogQuery
        let result: CatalogResult
        /// A parameter that was not applied, and why.
        let error: String?
    }

    struct Context: Encodable, Sendable {
        struct Option: Encodable, Sendable {
            let value: String
            let label: String
            let selected: Bool
        }

        struct Filter: Encodable, Sendable {
            let name: String
            let label: String
            let options: [Option]
        }

        struct PageLink: Encodable, Sendable {
            let label: String
            let href: String
            let current: Bool
        }

        let layout: LayoutContext
        let action: String
        let query: String
        let age: String
        let freeOnly: Bool
        let freeCount: Int
        let filters: [Filter]
        let sorts: [Option]
        let total: Int
        let totalText: String
        let items: [CatalogViews.Item]
        let pages: [PageLink]
        let error: String?
        let resetURL: String
    }

    static func title(_ m: Model) -> String {
        m.query.text.isEmpty ? "Каталог программ" : "«\(m.query.text)» — каталог программ"
    }

    /// Pure: the page for a search and its result.
    static func context(_ m: Model, layout: LayoutContext) -> Context {
        let query = m.query, result = m.result
        func options(_ key: String, selected: String?, any: String) -> [Context.Option] {
            [.init(value: "", label: any, selected: selected == nil)] + (result.facets[key] ?? []).map {
                .init(value: $0.value, label: "\($0.label) (\($0.count))", selected: selected == $0.value)
            }
        }
        let filters: [Context.Filter] = [
            .init(name: "municipality", label: "Муниципалитет", options: options("municipality", selected: query.municipality, any: "все муниципалитеты")),
            .init(name: "direction", label: "Направленность", options: options("direction", selected: query.direction?.rawValue, any: "все направленности")),
            .init(name: "activityKind", label: "Вид деятельности", options: options("activityKind", selected: query.activityKind, any: "все виды")),
            .init(name: "funding", label: "Оплата", options: options("funding", selected: query.funding?.rawValue, any: "любая")),
            .init(name: "level", label: "Уровень", options: options("level", selected: query.level?.rawValue, any: "любой")),
            .init(name: "day", label: "День недели", options: options("day", selected: query.day.map(String.init), any: "любой")),
            .init(name: "time", label: "Время занятий", options: options("time", selected: query.dayPart?.rawValue, any: "любое")),
            .init(name: "ovz", label: "Для детей с ОВЗ", options: options("ovz", selected: query.disability, any: "не важно")),
        ]
        let sorts = CatalogSort.allCases.map { Context.Option(value: $0.rawValue, label: $0.title, selected: $0 == query.sort) }
        return Context(layout: layout, action: SiteRoute.catalog(query: nil).url, query: query.text, age: query.age.map(String.init) ?? "",
                       freeOnly: query.freeOnly, freeCount: result.facets["free"]?.first?.count ?? 0, filters: filters, sorts: sorts,
                       total: result.total, totalText: totalText(result.total, query: query.text), items: result.items.map(CatalogViews.item),
                       pages: pageLinks(query, total: result.total), error: m.error, resetURL: SiteRoute.catalog(query: nil).url)
    }

    /// The links to pages of results: all of them up to seven, otherwise the first, the last and the current one's
    /// neighbours.
    static func pageLinks(_ query: CatalogQuery, total: Int) -> [Context.PageLink] {
        let per = min(max(query.per, 1), CatalogQuery.maxPer)
        let pageCount = max(1, (total + per - 1) / per)
        let current = min(query.page, pageCount)
        guard pageCount > 1 else { return [] }
        var shown = Set([1, pageCount, current - 1, current, current + 1].filter { (1...pageCount).contains($0) })
        if pageCount <= 7 { shown = Set(1...pageCount) }
        return shown.sorted().map { n in
            .init(label: String(n), href: CatalogParams.link(query, ["page": n > 1 ? String(n) : nil]), current: n == current)
        }
    }

    static func totalText(_ n: Int, query: String) -> String {
        let word: String
        switch (n % 100, n % 10) {
        case (11...14, _): word = "программ"
        case (_, 1): word = "программа"
        case (_, 2...4): word = "программы"
        default: word = "программ"
        }
        if n == 0 { return query.isEmpty ? "Программ не найдено. Измените фильтры." : "По запросу «\(query)» ничего не найдено. Проверьте написание или уберите фильтры." }
        return "Найдено: \(CabinetViews.grouped(n)) \(word)"
    }
}
