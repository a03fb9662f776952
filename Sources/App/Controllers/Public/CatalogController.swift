import Domain
import Fluent
import Foundation
import Vapor

/// The query string of a catalogue search, shared by the page and the API.
enum CatalogParams {
    static let names = ["q", "region", "municipality", "direction", "activityKind", "age", "level", "funding", "day", "time", "free", "ovz",
                        "provider", "sort", "page", "per"]

    /// C0 control characters and DEL (what the OpenAPI pattern of a text parameter excludes).
    static func hasControl(_ s: String) -> Bool { s.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F } }

    /// The query, or the first bad parameter with a message in Russian.
    /// `strict` (the API): a parameter given with an empty value is refused, except the free-text ones; a page's
    /// form sends empty values for «any».
    static func parse(_ req: Request, today: LocalDate, strict: Bool = false) -> Result<CatalogQuery, FieldError> {
        var q = CatalogQuery(today: today)
        let freeText: Set<String> = ["q", "activityKind", "ovz"]
        var emptyGiven: String? = nil
        // The query string is parsed once (each `req.query[...]` parses it again).
        var given: [String: String] = [:]
        if let raw = req.url.query {
            for pair in raw.split(separator: "&") {
                let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let key = String(kv[0]).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(kv[0])
                guard names.contains(key), given[key] == nil else { continue }
                let value = kv.count > 1 ? String(kv[1]).replacingOccurrences(of: "+", with: " ") : ""
                guard let decoded = value.removingPercentEncoding else {
                    return .failure(FieldError(field: key, message: "Параметр \(key): неверная кодировка в адресе."))
                }
                given[key] = decoded
            }
        }
        func value(_ name: String) -> String? {
            guard let raw = given[name] else { return nil }
            let v = raw.trimmingCharacters(in: .whitespaces)
            if v.isEmpty {
                if strict && !freeText.contains(name) && emptyGiven == nil { emptyGiven = name }
                return nil
            }
            return v
        }
        func bad(_ field: String, _ message: String) -> Result<CatalogQuery, FieldError> { .failure(FieldError(field: field, message: message)) }
        for name in names { _ = value(name) }
        if let name = emptyGiven { return bad(name, "Параметр \(name) передан без значения: укажите значение или не передавайте параметр.") }
        let text = value("q") ?? ""
        if text.count > 200 || hasControl(text) { return bad("q", "Запрос — до 200 символов, без управляющих символов.") }
        q.text = text
        if let v = value("region") {
            guard ReferenceData.region(code: v) != nil else { return bad("region", "Регион: код из справочника, например 42.") }
            q.region = v
        }
        if let v = value("municipality") {
            // A well-formed code of no municipality is a filter that matches nothing.
            guard v.count == 5, v.split(separator: "-").count == 2, v.split(separator: "-").allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }) else {
                return bad("municipality", "Муниципалитет: код региона и муниципалитета через дефис, например 42-33.")
            }
            q.municipality = v
        }
        if let v = value("direction") {
            guard let d = Direction(rawValue: v) else { return bad("direction", "Направленность: одно из значений tech, science, sport, art, tourism, social.") }
            q.direction = d
        }
        if let v = value("activityKind") {
            guard v.count <= 64, !hasControl(v) else { return bad("activityKind", "Вид деятельности: код из справочника.") }
            q.activityKind = v  // an unknown code matches nothing
        }
        if let v = value("age") {
            guard let a = Int(v), (5...17).contains(a) else { return bad("age", "Возраст ребёнка — целое число лет от 5 до 17.") }
            q.age = a
        }
        if let v = value("level") {
            guard let l = ProgramLevel(rawValue: v) else { return bad("level", "Уровень: start, basic или advanced.") }
            q.level = l
        }
        if let v = value("funding") {
            guard let f = FundingKind(rawValue: v) else { return bad("funding", "Финансирование: certificate, free или paid.") }
            q.funding = f
        }
        if let v = value("day") {
            guard let d = Int(v), (1...7).contains(d) else { return bad("day", "День недели — число от 1 (понедельник) до 7 (воскресенье).") }
            q.day = d
        }
        if let v = value("time") {
            guard let t = DayPart(rawValue: v) else { return bad("time", "Время занятий: morning, afternoon или evening.") }
            q.dayPart = t
        }
        if let v = value("free") {
            guard ["1", "0", "true", "false", "on"].contains(v) else { return bad("free", "Свободные места: 1 или 0.") }
            q.freeOnly = v == "1" || v == "true" || v == "on"
        }
        if let v = value("ovz") {
            guard v.count <= 64, !hasControl(v) else { return bad("ovz", "ОВЗ: any или код категории из справочника.") }
            q.disability = v  // an unknown category matches nothing
        }
        if let v = value("provider") {
            guard let id = UUID(uuidString: v) else { return bad("provider", "Поставщик: идентификатор UUID.") }
            q.provider = id.uuidString.lowercased()
        }
        if let v = value("sort") {
            guard let s = CatalogSort(rawValue: v) else { return bad("sort", "Сортировка: relevance, rating, price или start.") }
            q.sort = s
        }
        if let v = value("page") {
            guard let p = Int(v), (1...10_000).contains(p) else { return bad("page", "Страница — целое число от 1 до 10000.") }
            q.page = p
        }
        if let v = value("per") {
            guard let p = Int(v), (1...CatalogQuery.maxPer).contains(p) else { return bad("per", "Размер страницы — от 1 до 100.") }
            q.per = p
        }
        return .success(q)
    }

    /// The query string of `q` with some parameters replaced (for facet and page links).
    static func link(_ q: CatalogQuery, _ changes: [String: String?] = [:]) -> String {
        var pairs: [(String, String)] = []
        func add(_ k: String, _ v: String?) {
            if let c = changes[k] { if let c { pairs.append((k, c)) }; return }
            if let v, !v.isEmpty { pairs.append((k, v)) }
        }
        add("q", q.text)
        add("region", q.region)
        add("municipality", q.municipality)
        add("direction", q.direction?.rawValue)
        add("activityKind", q.activityKind)
        add("age", q.age.map(String.init))
        add("level", q.level?.rawValue)
        add("funding", q.funding?.rawValue)
        add("day", q.day.map(String.init))
        add("time", q.dayPart?.rawValue)
        add("free", q.freeOnly ? "1" : nil)
        add("ovz", q.disability)
        add("provider", q.provider)
        add("sort", q.sort == .relevance ? nil : q.sort.rawValue)
        add("page", q.page > 1 ? String(q.page) : nil)
        let s = pairs.map { "\($0.0)=\(SiteRoute.encode($0.1))" }.joined(separator: "&")
        return SiteRoute.catalog(query: nil).url + (s.isEmpty ? "" : "?" + s)
    }
}

/// What a family sees of the money of a module.
enum CatalogMoney {
    static func priceText(_ p: CatalogProgram) -> String {
        switch p.funding {
        case .free: return "бесплатно"
        case .paid: return "от \(Money(kopecks: p.minPrice).formatted), оплачивают родители"
        case .certificate:
            let parent = p.modules.map { max(0, $0.price - ($0.normative ?? $0.price)) }.min() ?? 0
            return "от \(Money(kopecks: p.minPrice).formatted) по сертификату" + (parent > 0 ? ", доплата родителей от \(Money(kopecks: parent).formatted)" : "")
        }
    }

    static func coverText(_ p: CatalogProgram, _ m: CatalogModule) -> String {
        switch p.funding {
        case .free: return "Бесплатно для семьи."
        case .paid: return "Оплачивают родители: \(Money(kopecks: m.price).formatted) за модуль. Сертификат не применяется."
        case .certificate:
            let normative = m.normative ?? m.price
            let cert = min(m.price, normative)
            let parent = m.price - cert
            return "Сертификат оплачивает до \(Money(kopecks: cert).formatted) за модуль (в пределах остатка на сертификате)" +
                (parent > 0 ? "; доплата родителей — \(Money(kopecks: parent).formatted) и разница, если остатка не хватит." : "; если остатка хватает, семья не доплачивает.")
        }
    }
}

struct CatalogPageContext: Encodable, Sendable {
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

    struct Item: Encodable, Sendable {
        let name: String
        let href: String
        let provider: String
        let providerHref: String
        let direction: String
        let kinds: String
        let age: String
        let municipality: String
        let funding: String
        let price: String
        let freePlaces: String
        let schedule: String
        let disabilities: Bool
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
    let items: [Item]
    let pages: [PageLink]
    let error: String?
    let resetURL: String
}

struct ProgramPageContext: Encodable, Sendable {
    struct Module: Encodable, Sendable {
        let name: String
        let months: Int
        let hours: Int
        let price: String
        let priceValue: String
        let normative: String
        let cover: String
    }

    struct Group: Encodable, Sendable {
        let name: String
        let module: String
        let teacher: String
        let address: String
        let dates: String
        let startISO: String
        let endISO: String
        let schedule: String
        let places: String
        let open: Bool
        let status: String
        let map: String?
        let enrollURL: String?
        let enrollLabel: String
    }

    let layout: LayoutContext
    let name: String
    let annotation: String
    let provider: String
    let providerHref: String
    let facts: [Fact]
    let typicalAgeRange: String
    let level: String
    let modules: [Module]
    let groups: [Group]
    let catalogURL: String
}

enum CatalogController {
    static func today(_ req: Request) -> LocalDate {
        LocalDate(req.now, in: CatalogStore.zone)
    }

    static func item(_ p: CatalogProgram) -> CatalogPageContext.Item {
        let free = p.freePlaces
        let slots = p.groups.filter(\.open).flatMap(\.schedule)
        let days = Set(slots.map(\.day)).sorted().map { Weekday.short[$0 - 1] }.joined(separator: ", ")
        return .init(name: p.name, href: SiteRoute.catalogProgram(UUID(uuidString: p.id)!).url, provider: p.providerName,
                     providerHref: SiteRoute.catalogProvider(UUID(uuidString: p.providerID)!).url, direction: p.direction.title,
                     kinds: p.activityKinds.compactMap { ActivityKinds.find($0)?.title }.joined(separator: ", "),
                     age: ProgramInput.ageText(from: p.ageFrom, to: p.ageTo), municipality: p.municipalityName, funding: p.funding.title,
                     price: CatalogMoney.priceText(p), freePlaces: free > 0 ? "свободных мест: \(free)" : "свободных мест нет",
                     schedule: days.isEmpty ? "набор закрыт" : "занятия: \(days)", disabilities: !p.disabilities.isEmpty)
    }

    static func page(req: Request) async throws -> Response {
        let today = today(req)
        var error: String? = nil
        var query: CatalogQuery
        switch CatalogParams.parse(req, today: today) {
        case .success(let q): query = q
        case .failure(let e):
            error = e.message + " Фильтр не применён."
            query = CatalogQuery(today: today)
            query.text = String((req.query[String.self, at: "q"] ?? "").prefix(200))
        }
        let catalog = try await req.application.catalogStore.current(req.application)
        let result = catalog.search(query)
        func options(_ key: String, selected: String?, any: String) -> [CatalogPageContext.Option] {
            [.init(value: "", label: any, selected: selected == nil)] + (result.facets[key] ?? []).map {
                .init(value: $0.value, label: "\($0.label) (\($0.count))", selected: selected == $0.value)
            }
        }
        let filters: [CatalogPageContext.Filter] = [
            .init(name: "municipality", label: "Муниципалитет", options: options("municipality", selected: query.municipality, any: "все муниципалитеты")),
            .init(name: "direction", label: "Направленность", options: options("direction", selected: query.direction?.rawValue, any: "все направленности")),
            .init(name: "activityKind", label: "Вид деятельности", options: options("activityKind", selected: query.activityKind, any: "все виды")),
            .init(name: "funding", label: "Оплата", options: options("funding", selected: query.funding?.rawValue, any: "любая")),
            .init(name: "level", label: "Уровень", options: options("level", selected: query.level?.rawValue, any: "любой")),
            .init(name: "day", label: "День недели", options: options("day", selected: query.day.map(String.init), any: "любой")),
            .init(name: "time", label: "Время занятий", options: options("time", selected: query.dayPart?.rawValue, any: "любое")),
            .init(name: "ovz", label: "Для детей с ОВЗ", options: options("ovz", selected: query.disability, any: "не важно")),
        ]
        let per = min(max(query.per, 1), CatalogQuery.maxPer)
        let pageCount = max(1, (result.total + per - 1) / per)
        var pages: [CatalogPageContext.PageLink] = []
        let current = min(query.page, pageCount)
        if pageCount > 1 {
            var shown = Set([1, pageCount, current - 1, current, current + 1].filter { (1...pageCount).contains($0) })
            if pageCount <= 7 { shown = Set(1...pageCount) }
            for n in shown.sorted() {
                pages.append(.init(label: String(n), href: CatalogParams.link(query, ["page": n > 1 ? String(n) : nil]), current: n == current))
            }
        }
        let sorts = CatalogSort.allCases.map { CatalogPageContext.Option(value: $0.rawValue, label: $0.title, selected: $0 == query.sort) }
        let ctx = CatalogPageContext(
            layout: req.layout(query.text.isEmpty ? "Каталог программ" : "«\(query.text)» — каталог программ"),
            action: SiteRoute.catalog(query: nil).url, query: query.text, age: query.age.map(String.init) ?? "", freeOnly: query.freeOnly,
            freeCount: result.facets["free"]?.first?.count ?? 0, filters: filters, sorts: sorts, total: result.total,
            totalText: totalText(result.total, query: query.text), items: result.items.map(item), pages: pages, error: error,
            resetURL: SiteRoute.catalog(query: nil).url)
        return try await req.view.render("public/catalog", ctx).encodeResponse(status: error == nil ? .ok : .badRequest, for: req)
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

    static func program(req: Request) async throws -> View {
        guard let id = req.parameters.get("id", as: UUID.self) else { throw Abort(.notFound) }
        let catalog = try await req.application.catalogStore.current(req.application)
        guard let p = catalog.program(id.uuidString.lowercased()) else { throw Abort(.notFound) }
        let moduleNames = Dictionary(uniqueKeysWithValues: p.modules.map { ($0.id, $0.name) })
        var facts = [
            Fact(label: "Направленность", value: p.direction.title),
            Fact(label: "Виды деятельности", value: p.activityKinds.compactMap { ActivityKinds.find($0)?.title }.joined(separator: ", ")),
            Fact(label: "Возраст", value: ProgramInput.ageText(from: p.ageFrom, to: p.ageTo)),
            Fact(label: "Уровень", value: p.level.title),
            Fact(label: "Форма обучения", value: p.form.title),
            Fact(label: "Муниципалитет", value: p.municipalityName),
            Fact(label: "Оплата", value: CatalogMoney.priceText(p)),
        ]
        if !p.disabilities.isEmpty {
            facts.append(Fact(label: "Подходит детям с ОВЗ", value: p.disabilities.map(\.title).joined(separator: ", ")))
        }
        let ctx = ProgramPageContext(
            layout: req.layout(p.name), name: p.name, annotation: p.annotation, provider: p.providerName,
            providerHref: SiteRoute.catalogProvider(UUID(uuidString: p.providerID)!).url, facts: facts,
            typicalAgeRange: "\(p.ageFrom / 12)-\(p.ageTo / 12)", level: p.level.title,
            modules: p.modules.map { m in
                .init(name: m.name, months: m.months, hours: m.hours, price: Money(kopecks: m.price).formatted,
                      priceValue: String(format: "%d.%02d", m.price / 100, m.price % 100),
                      normative: m.normative.map { Money(kopecks: $0).formatted } ?? "—", cover: CatalogMoney.coverText(p, m))
            },
            groups: p.groups.map { g in
                .init(name: g.name, module: moduleNames[g.moduleID] ?? "", teacher: g.teacher, address: g.address,
                      dates: "\(g.startsOn.russian) – \(g.endsOn.russian)", startISO: g.startsOn.iso, endISO: g.endsOn.iso,
                      schedule: ScheduleSlot.text(g.schedule), places: "свободно \(g.freePlaces) из \(g.capacity)", open: g.open,
                      status: g.open ? (g.freePlaces > 0 ? "идёт набор" : "мест нет") : "набор закрыт",
                      map: g.latitude.flatMap { lat in g.longitude.map { String(format: "%.5f, %.5f", lat, $0) } },
                      enrollURL: g.open ? SiteRoute.familyEnroll.url + "?group=" + g.id : nil,
                      enrollLabel: g.freePlaces > 0 ? "Записаться в группу «\(g.name)»" : "Встать в очередь в группу «\(g.name)»")
            },
            catalogURL: SiteRoute.catalog(query: nil).url)
        return try await req.view.render("public/program", ctx)
    }

    static func provider(req: Request) async throws -> View {
        guard let id = req.parameters.get("id", as: UUID.self), let provider = try await ProviderModel.find(id, on: req.db),
              provider.status == .active else { throw Abort(.notFound) }
        let catalog = try await req.application.catalogStore.current(req.application)
        var q = CatalogQuery(today: today(req))
        q.provider = id.uuidString.lowercased()
        q.per = CatalogQuery.maxPer
        let programs = catalog.search(q).items
        let muni = try await req.directory.municipality(provider.municipalityID)?.name ?? "—"
        var facts = [
            Fact(label: "Полное наименование", value: provider.fullName),
            Fact(label: "Тип", value: ProviderKind(rawValue: provider.kind)?.title ?? provider.kind),
            Fact(label: "Форма собственности", value: Ownership(rawValue: provider.ownership)?.title ?? provider.ownership),
            Fact(label: "Муниципалитет", value: muni),
            Fact(label: "Адрес", value: provider.actualAddress),
            Fact(label: "ИНН", value: provider.inn),
        ]
        if let v = provider.phone { facts.append(Fact(label: "Телефон", value: v)) }
        if let v = provider.email { facts.append(Fact(label: "Электронная почта", value: v)) }
        if let v = provider.website { facts.append(Fact(label: "Сайт", value: v)) }
        if let n = provider.licenceNumber {
            facts.append(Fact(label: "Лицензия", value: "№ \(n)" + (provider.licenceDate.flatMap(LocalDate.init(iso:)).map { " от \($0.russian)" } ?? "")))
        }
        let table = Table(caption: "Программы организации", headers: ["Программа", "Направленность", "Возраст", "Оплата", "Места"],
                          rows: programs.map { p in
                              let i = item(p)
                              return [Cell(p.name, href: i.href), Cell(i.direction), Cell(i.age), Cell(i.price), Cell(i.freePlaces)]
                          }, empty: "Опубликованных программ пока нет.")
        return try await req.view.render("cabinet/page", CabinetPage(layout: req.layout(provider.shortName), heading: provider.shortName,
                                                                     lead: "Поставщик образовательных услуг",
                                                                     sections: [Section(heading: "Об организации", facts: facts),
                                                                                Section(heading: "Программы", tables: [table])]))
    }
}
