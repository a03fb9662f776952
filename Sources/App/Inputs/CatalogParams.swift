import Domain
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
            q.provider = id.lowercasedString
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
