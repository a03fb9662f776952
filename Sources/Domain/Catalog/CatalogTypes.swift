import Foundation

/// A group as the public catalogue shows it.
public struct CatalogGroup: Sendable, Hashable, Codable {
    public let id: String
    public let moduleID: String
    public let name: String
    public let teacher: String
    public let address: String
    public let latitude: Double?
    public let longitude: Double?
    public let startsOn: LocalDate
    public let endsOn: LocalDate
    public let capacity: Int
    /// Changes as families apply and leave (the catalogue patches it without re-indexing).
    public var freePlaces: Int
    public let schedule: [ScheduleSlot]
    public let open: Bool

    public init(id: String, moduleID: String, name: String, teacher: String, address: String, latitude: Double?, longitude: Double?,
                startsOn: LocalDate, endsOn: LocalDate, capacity: Int, freePlaces: Int, schedule: [ScheduleSlot], open: Bool) {
        self.id = id
        self.moduleID = moduleID
        self.name = name
        self.teacher = teacher
        self.address = address
        self.latitude = latitude
        self.longitude = longitude
        self.startsOn = startsOn
        self.endsOn = endsOn
        self.capacity = capacity
        self.freePlaces = freePlaces
        self.schedule = schedule
        self.open = open
    }
}

public struct CatalogModule: Sendable, Hashable, Codable {
    public let id: String
    public let name: String
    public let months: Int
    public let hours: Int
    public let price: Int64
    public let normative: Int64?

    public init(id: String, name: String, months: Int, hours: Int, price: Int64, normative: Int64?) {
        self.id = id
        self.name = name
        self.months = months
        self.hours = hours
        self.price = price
        self.normative = normative
    }
}

/// A published program with what the catalogue filters, sorts and shows.
public struct CatalogProgram: Sendable, Hashable, Codable {
    public let id: String
    public let name: String
    public let annotation: String
    public let providerID: String
    public let providerName: String
    public let direction: Direction
    public let activityKinds: [String]
    public let level: ProgramLevel
    public let form: StudyForm
    public let ageFrom: Int
    public let ageTo: Int
    public let regionCode: String
    /// «42-33»: region code and municipality code.
    public let municipality: String
    public let municipalityName: String
    public let funding: FundingKind
    public let disabilities: [DisabilityCategory]
    public let modules: [CatalogModule]
    public var groups: [CatalogGroup]
    public let rating: Double?
    public let updatedAt: Date

    public init(id: String, name: String, annotation: String, providerID: String, providerName: String, direction: Direction,
                activityKinds: [String], level: ProgramLevel, form: StudyForm, ageFrom: Int, ageTo: Int, regionCode: String,
                municipality: String, municipalityName: String, funding: FundingKind, disabilities: [DisabilityCategory],
                modules: [CatalogModule], groups: [CatalogGroup], rating: Double?, updatedAt: Date) {
        self.id = id
        self.name = name
        self.annotation = annotation
        self.providerID = providerID
        self.providerName = providerName
        self.direction = direction
        self.activityKinds = activityKinds
        self.level = level
        self.form = form
        self.ageFrom = ageFrom
        self.ageTo = ageTo
        self.regionCode = regionCode
        self.municipality = municipality
        self.municipalityName = municipalityName
        self.funding = funding
        self.disabilities = disabilities
        self.modules = modules
        self.groups = groups
        self.rating = rating
        self.updatedAt = updatedAt
    }

    /// The lowest module price (0 for a free program).
    public var minPrice: Int64 { funding == .free ? 0 : (modules.map(\.price).min() ?? 0) }
    /// Free places in the groups open for enrollment.
    public var freePlaces: Int { groups.filter(\.open).reduce(0) { $0 + $1.freePlaces } }

    /// The text the search index holds, by field weight.
    var searchFields: [SearchIndex.Field] {
        let kinds = activityKinds.compactMap { ActivityKinds.find($0)?.title }.joined(separator: " ")
        return [SearchIndex.Field(name, weight: 3), SearchIndex.Field(kinds, weight: 2),
                SearchIndex.Field(direction.title + " " + providerName, weight: 1),
                SearchIndex.Field(annotation + " " + modules.map(\.name).joined(separator: " "), weight: 1)]
    }
}

public enum CatalogSort: String, Sendable, CaseIterable, Codable {
    case relevance, rating, price, start

    public var title: String {
        switch self {
        case .relevance: "по релевантности"
        case .rating: "по рейтингу"
        case .price: "по цене"
        case .start: "по ближайшему началу занятий"
        }
    }
}

/// The filters of a catalogue search. nil means "any".
public struct CatalogQuery: Sendable, Hashable {
    public var text = ""
    public var region: String? = nil
    public var municipality: String? = nil
    public var direction: Direction? = nil
    public var activityKind: String? = nil
    /// The child's age in full years.
    public var age: Int? = nil
    public var level: ProgramLevel? = nil
    public var funding: FundingKind? = nil
    public var day: Int? = nil
    public var dayPart: DayPart? = nil
    public var freeOnly = false
    /// "any" for any ОВЗ suitability, or a category code.
    public var disability: String? = nil
    public var provider: String? = nil
    public var sort: CatalogSort = .relevance
    public var page = 1
    public var per = 20
    public var today: LocalDate

    public init(today: LocalDate) { self.today = today }

    public static let maxPer = 100
}

public struct FacetValue: Sendable, Hashable, Codable {
    public let value: String
    public let label: String
    public let count: Int
}

public struct CatalogResult: Sendable {
    public let total: Int
    public let items: [CatalogProgram]
    /// Per filter: its values with the number of programs each would give, the other filters applied.
    public let facets: [String: [FacetValue]]
}
