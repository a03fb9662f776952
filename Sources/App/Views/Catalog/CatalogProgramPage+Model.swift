import Domain
import Foundation

/// A program in the public catalogue (`/catalog/programs/{id}`): its facts, modules with what the certificate covers,
/// and groups with their places and the way to enrol.
enum CatalogProgramPage {
    struct Model: Sendable {
        let program: CatalogProgram
    }

    struct Context: Encodable, Sendable {
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

    static func facts(_ p: CatalogProgram) -> [Fact] {
        var facts = [
            Fact(label: "Направленность", value: p.direction.title),
            Fact(label: "Виды деятельности", value: CatalogViews.kindsText(p)),
            Fact(label: "Возраст", value: ProgramInput.ageText(from: p.ageFrom, to: p.ageTo)),
            Fact(label: "Уровень", value: p.level.title),
            Fact(label: "Форма обучения", value: p.form.title),
            Fact(label: "Муниципалитет", value: p.municipalityName),
            Fact(label: "Оплата", value: CatalogMoney.priceText(p)),
        ]
        if !p.disabilities.isEmpty {
            facts.append(Fact(label: "Подходит детям с ОВЗ", value: p.disabilities.map(\.title).joined(separator: ", ")))
        }
        return facts
    }

    static func context(_ m: Model, layout: LayoutContext) -> Context {
        let p = m.program
        let moduleNames = Dictionary(uniqueKeysWithValues: p.modules.map { ($0.id, $0.name) })
        return Context(
            layout: layout, name: p.name, annotation: p.annotation, provider: p.providerName,
            providerHref: SiteRoute.catalogProvider(UUID(uuidString: p.providerID)!).url, facts: facts(p),
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
    }
}
