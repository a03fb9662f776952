import Foundation

/// Reference data of the system: regions, municipalities, directions, levels, forms of study and ОВЗ
/// categories. Codes are stable: they are stored in the database and appear in the API.
public enum ReferenceData {
    public static let regions: [RegionRecord] = [
        RegionRecord(code: "42", name: "Кемеровская область – Кузбасс", timeZone: "Asia/Novokuznetsk"),
        RegionRecord(code: "22", name: "Алтайский край", timeZone: "Asia/Barnaul"),
    ]

    /// The local date in a region at an instant (periods, months and deadlines are local dates).
    public static func localDate(region: String, at instant: Date) -> LocalDate {
        let zone = self.region(code: region).flatMap { TimeZone(identifier: $0.timeZone) } ?? TimeZone(identifier: "Asia/Novokuznetsk")!
        return LocalDate(instant, in: zone)
    }

    public static func region(code: String) -> RegionRecord? {
        regions.first { $0.code == code }
    }

    public static func municipality(regionCode: String, code: String) -> MunicipalityRecord? {
        municipalities.first { $0.regionCode == regionCode && $0.code == code }
    }
}

public struct RegionRecord: Sendable, Hashable, Codable {
    public let code: String
    public let name: String
    /// IANA time zone; dates of periods and months are local dates of this zone.
    public let timeZone: String
}

public enum MunicipalityKind: String, Sendable, Codable, CaseIterable {
    case district        // муниципальный район / округ
    case cityDistrict    // городской округ

    public var title: String {
        switch self {
        case .district: "муниципальный район"
        case .cityDistrict: "городской округ"
        }
    }
}

public struct MunicipalityRecord: Sendable, Hashable, Codable {
    public let regionCode: String
    /// Two digits, unique inside the region.
    public let code: String
    public let name: String
    public let kind: MunicipalityKind
    public let centerOKTMO: String?
    /// Estimated number of children aged 5–17; nil where the data does not allow an estimate.
    public let childrenEstimate: Int?

    public init(regionCode: String, code: String, name: String, kind: MunicipalityKind,
                centerOKTMO: String?, childrenEstimate: Int?) {
        self.regionCode = regionCode
        self.code = code
        self.name = name
        self.kind = kind
        self.centerOKTMO = centerOKTMO
        self.childrenEstimate = childrenEstimate
    }
}

/// Направленность: exactly six, with stable codes.
public enum Direction: String, Sendable, Codable, CaseIterable {
    case technical = "tech"
    case science = "science"
    case sport = "sport"
    case art = "art"
    case tourism = "tourism"
    case social = "social"

    public var title: String {
        switch self {
        case .technical: "техническая"
        case .science: "естественнонаучная"
        case .sport: "физкультурно-спортивная"
        case .art: "художественная"
        case .tourism: "туристско-краеведческая"
        case .social: "социально-гуманитарная"
        }
    }
}

/// Уровень программы.
public enum ProgramLevel: String, Sendable, Codable, CaseIterable {
    case starting = "start", basic = "basic", advanced = "advanced"

    public var title: String {
        switch self {
        case .starting: "стартовый"
        case .basic: "базовый"
        case .advanced: "продвинутый"
        }
    }
}

/// Форма обучения.
public enum StudyForm: String, Sendable, Codable, CaseIterable {
    case fullTime = "full-time", mixed = "mixed", extramural = "extramural"

    public var title: String {
        switch self {
        case .fullTime: "очная"
        case .mixed: "очно-заочная"
        case .extramural: "заочная"
        }
    }
}

/// Категории ОВЗ (ограниченные возможности здоровья) for the suitability flags of a program.
public enum DisabilityCategory: String, Sendable, Codable, CaseIterable {
    case hearing, vision, speech, musculoskeletal, intellectual, autism, mental, complex

    public var title: String {
        switch self {
        case .hearing: "нарушения слуха"
        case .vision: "нарушения зрения"
        case .speech: "тяжёлые нарушения речи"
        case .musculoskeletal: "нарушения опорно-двигательного аппарата"
        case .intellectual: "интеллектуальные нарушения"
        case .autism: "расстройства аутистического спектра"
        case .mental: "задержка психического развития"
        case .complex: "сложные дефекты"
        }
    }
}

/// Тип поставщика.
public enum ProviderKind: String, Sendable, Codable, CaseIterable {
    case educational = "educational"          // образовательная организация
    case training = "training"                // организация, осуществляющая обучение
    case soleWithStaff = "sole-with-staff"    // ИП с наймом
    case soleAlone = "sole-alone"             // ИП без найма

    public var title: String {
        switch self {
        case .educational: "образовательная организация"
        case .training: "организация, осуществляющая обучение"
        case .soleWithStaff: "индивидуальный предприниматель с наймом работников"
        case .soleAlone: "индивидуальный предприниматель без найма работников"
        }
    }

    public var isSoleProprietor: Bool { self == .soleWithStaff || self == .soleAlone }
}

/// Форма собственности.
public enum Ownership: String, Sendable, Codable, CaseIterable {
    case state, municipal, `private`

    public var title: String {
        switch self {
        case .state: "государственная"
        case .municipal: "муниципальная"
        case .private: "частная"
        }
    }
}
