import Domain
import Foundation

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

/// Pieces the catalogue's pages share: pure builders from catalogue values.
enum CatalogViews {
    /// A program as a line of results (the catalogue) or of a provider's programs.
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

    static func item(_ p: CatalogProgram) -> Item {
        let free = p.freePlaces
        let slots = p.groups.filter(\.open).flatMap(\.schedule)
        let days = Set(slots.map(\.day)).sorted().map { Weekday.short[$0 - 1] }.joined(separator: ", ")
        return Item(name: p.name, href: SiteRoute.catalogProgram(UUID(uuidString: p.id)!).url, provider: p.providerName,
                    providerHref: SiteRoute.catalogProvider(UUID(uuidString: p.providerID)!).url, direction: p.direction.title,
                    kinds: kindsText(p), age: ProgramInput.ageText(from: p.ageFrom, to: p.ageTo), municipality: p.municipalityName,
                    funding: p.funding.title, price: CatalogMoney.priceText(p),
                    freePlaces: free > 0 ? "свободных мест: \(free)" : "свободных мест нет",
                    schedule: days.isEmpty ? "набор закрыт" : "занятия: \(days)", disabilities: !p.disabilities.isEmpty)
    }

    static func kindsText(_ p: CatalogProgram) -> String {
        p.activityKinds.compactMap { ActivityKinds.find($0)?.title }.joined(separator: ", ")
    }
}
