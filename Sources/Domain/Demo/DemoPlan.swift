import Foundation

/// The deterministic demo: everything is derived from the seed and the sizes, so a run that was
/// interrupted can be resumed batch by batch and gives the same data.
public struct DemoPlan: Sendable {
    public static let defaultSeed: UInt64 = 42
    public static let defaultChildren = 300
    public static let password = "demo12345"

    public let seed: UInt64
    public let children: Int
    public let programs: Int

    public init(seed: UInt64 = DemoPlan.defaultSeed, children: Int = DemoPlan.defaultChildren, programs: Int = 0) {
        self.seed = seed
        self.children = children
        self.programs = programs
    }

    // MARK: fixed accounts

    public struct Staff: Sendable, Hashable {
        public let email: String
        public let surname: String
        public let name: String
        public let patronymic: String
        public let role: Role
        public let regionCode: String
        /// Municipality code inside the region (municipality staff, scoped monitors).
        public let municipalityCode: String?
        /// Index into `providers` (provider staff).
        public let providerIndex: Int?
        public let mayConfirmCertificates: Bool
        /// What the README and the start-up banner say of this login.
        public let note: String
    }

    public struct DemoMunicipality: Sendable, Hashable {
        public let regionCode: String
        public let code: String
        public let login: String
        /// Weight of the municipality when demo families are spread.
        public let weight: Int
    }

    public struct DemoProvider: Sendable, Hashable {
        public let fullName: String
        public let shortName: String
        public let kind: ProviderKind
        public let ownership: Ownership
        public let regionCode: String
        public let municipalityCode: String
        public let inn: String
        public let ogrn: String
        public let kpp: String?
        public let licenceNumber: String?
        public let licenceDate: String?
        public let address: String
        public let phone: String
        public let email: String
        public let isIssuingPoint: Bool
        public let staffLogin: String
    }

    /// Municipalities that get staff and families in the demo. Осинники first.
    public static let municipalities: [DemoMunicipality] = [
        DemoMunicipality(regionCode: "42", code: "33", login: "osinniki@kuzbass.example", weight: 8),
        DemoMunicipality(regionCode: "42", code: "30", login: "novokuznetsk@kuzbass.example", weight: 10),
        DemoMunicipality(regionCode: "42", code: "23", login: "kemerovo@kuzbass.example", weight: 10),
        DemoMunicipality(regionCode: "42", code: "34", login: "kaltan@kuzbass.example", weight: 3),
        DemoMunicipality(regionCode: "22", code: "60", login: "barnaul@altai.example", weight: 10),
        DemoMunicipality(regionCode: "22", code: "63", login: "biysk@altai.example", weight: 5),
    ]

    public var providers: [DemoProvider] {
        var rng = SeededRandom(seed: seed, stream: 1)
        func digits(_ n: Int, prefix: [Int]) -> [Int] {
            prefix + (0..<(n - prefix.count)).map { _ in Int.random(in: 0...9, using: &rng) }
        }
        func org(_ full: String, _ short: String, _ kind: ProviderKind, _ own: Ownership, _ region: String,
                 _ muni: String, _ address: String, _ phone: String, _ login: String, issuing: Bool = false) -> DemoProvider {
            let regionDigits = region.compactMap(\.wholeNumberValue)
            let sole = kind.isSoleProprietor
            let inn = sole ? Identifiers.makePersonINN(from: digits(10, prefix: regionDigits))
                           : Identifiers.makeOrganizationINN(from: digits(9, prefix: regionDigits))
            let ogrn = sole ? Identifiers.makeOGRNIP(from: digits(14, prefix: [3, 2, 2] + regionDigits))
                            : Identifiers.makeOGRN(from: digits(12, prefix: [1, 0, 2] + regionDigits))
            let kpp = sole ? nil : region + "2" + String(Int.random(in: 1...9, using: &rng)) + "01001"
            let licence = kind == .soleAlone ? nil : "ЛО35-01" + region + "-" + String(Int.random(in: 100000...999999, using: &rng))
            let licenceDate = kind == .soleAlone ? nil : "20\(Int.random(in: 12...23, using: &rng))-0\(Int.random(in: 1...9, using: &rng))-1\(Int.random(in: 0...9, using: &rng))"
            return DemoProvider(fullName: full, shortName: short, kind: kind, ownership: own, regionCode: region,
                                municipalityCode: muni, inn: inn, ogrn: ogrn, kpp: kpp, licenceNumber: licence,
                                licenceDate: licenceDate, address: address, phone: phone, email: login,
                                isIssuingPoint: issuing, staffLogin: login)
        }
        return [
            org("Муниципальное бюджетное учреждение дополнительного образования «Дом детского творчества» Осинниковского городского округа",
                "ДДТ г. Осинники", .educational, .municipal, "42", "33",
                "652811, Кемеровская область – Кузбасс, г. Осинники, ул. Советская, 17", "+7 (38471) 4-25-10",
                "ddt@osinniki.example", issuing: true),
            org("Муниципальное бюджетное учреждение дополнительного образования «Станция юных техников» Осинниковского городского округа",
                "СЮТ г. Осинники", .educational, .municipal, "42", "33",
                "652810, Кемеровская область – Кузбасс, г. Осинники, ул. Ленина, 40", "+7 (38471) 5-33-47",
                "syut@osinniki.example"),
            org("Муниципальное бюджетное учреждение дополнительного образования «Детско-юношеская спортивная школа» Осинниковского городского округа",
                "ДЮСШ г. Осинники", .educational, .municipal, "42", "33",
                "652815, Кемеровская область – Кузбасс, г. Осинники, ул. Победы, 27", "+7 (38471) 4-61-02",
                "dyussh@osinniki.example"),
            org("Общество с ограниченной ответственностью «Робостарт»", "ООО «Робостарт»", .training, .private, "42", "33",
                "652811, Кемеровская область – Кузбасс, г. Осинники, ул. Гагарина, 5, оф. 12", "+7 (913) 402-18-55",
                "robostart@osinniki.example"),
            org("Индивидуальный предприниматель Соколова Анна Викторовна", "ИП Соколова А. В. (студия «Акварель»)",
                .soleAlone, .private, "42", "33",
                "652810, Кемеровская область – Кузбасс, г. Осинники, ул. Мира, 11", "+7 (923) 611-40-27",
                "akvarel@osinniki.example"),
            org("Муниципальное автономное учреждение дополнительного образования «Дворец творчества детей и молодёжи» г. Новокузнецка",
                "Дворец творчества г. Новокузнецк", .educational, .municipal, "42", "30",
                "654000, Кемеровская область – Кузбасс, г. Новокузнецк, пр. Металлургов, 28", "+7 (3843) 74-12-90",
                "dvorec@novokuznetsk.example", issuing: true),
            org("Государственное бюджетное учреждение дополнительного образования «Кузбасский центр детского и юношеского туризма и краеведения»",
                "ГБУ ДО «КЦДЮТК»", .educational, .state, "42", "23",
                "650000, Кемеровская область – Кузбасс, г. Кемерово, ул. Красная, 14", "+7 (3842) 36-25-88",
                "turizm@kemerovo.example"),
            org("Муниципальное бюджетное учреждение дополнительного образования «Дворец детского творчества» г. Барнаула",
                "ДДТ г. Барнаул", .educational, .municipal, "22", "60",
                "656056, Алтайский край, г. Барнаул, ул. Пушкина, 68", "+7 (3852) 63-44-21",
                "ddt@barnaul.example", issuing: true),
            org("Индивидуальный предприниматель Кузнецов Игорь Сергеевич", "ИП Кузнецов И. С. (шахматный клуб «Ладья»)",
                .soleWithStaff, .private, "22", "60",
                "656049, Алтайский край, г. Барнаул, пр. Ленина, 61", "+7 (962) 790-11-34",
                "ladya@barnaul.example"),
            org("Муниципальное бюджетное учреждение дополнительного образования «Станция юных натуралистов» г. Бийска",
                "СЮН г. Бийск", .educational, .municipal, "22", "63",
                "659300, Алтайский край, г. Бийск, ул. Советская, 201", "+7 (3854) 33-72-15",
                "syun@biysk.example"),
        ]
    }

    public var staff: [Staff] {
        var list: [Staff] = [
            Staff(email: "operator@kuzbass.example", surname: "Громова", name: "Ирина", patronymic: "Павловна",
                  role: .operator_, regionCode: "42", municipalityCode: nil, providerIndex: nil,
                  mayConfirmCertificates: false, note: "оператор ПФДО, Кузбасс"),
            Staff(email: "operator@altai.example", surname: "Белов", name: "Константин", patronymic: "Андреевич",
                  role: .operator_, regionCode: "22", municipalityCode: nil, providerIndex: nil,
                  mayConfirmCertificates: false, note: "оператор ПФДО, Алтайский край"),
            Staff(email: "monitor@kuzbass.example", surname: "Орлова", name: "Светлана", patronymic: "Игоревна",
                  role: .monitor, regionCode: "42", municipalityCode: nil, providerIndex: nil,
                  mayConfirmCertificates: false, note: "наблюдатель, весь Кузбасс"),
            Staff(email: "monitor.osinniki@kuzbass.example", surname: "Тарасов", name: "Олег", patronymic: "Юрьевич",
                  role: .monitor, regionCode: "42", municipalityCode: "33", providerIndex: nil,
                  mayConfirmCertificates: false, note: "наблюдатель, Осинниковский городской округ"),
        ]
        let municipalStaff: [(String, String, String)] = [
            ("Кондратьева", "Елена", "Викторовна"), ("Семёнов", "Андрей", "Николаевич"), ("Лебедева", "Ольга", "Сергеевна"),
            ("Захаров", "Павел", "Олегович"), ("Макарова", "Наталья", "Ивановна"), ("Григорьев", "Дмитрий", "Алексеевич"),
        ]
        for (i, m) in Self.municipalities.enumerated() {
            let name = ReferenceData.municipality(regionCode: m.regionCode, code: m.code)?.name ?? m.code
            let p = municipalStaff[i % municipalStaff.count]
            list.append(Staff(email: m.login, surname: p.0, name: p.1, patronymic: p.2, role: .municipality,
                              regionCode: m.regionCode, municipalityCode: m.code, providerIndex: nil,
                              mayConfirmCertificates: false, note: "муниципалитет: \(name)"))
        }
        let providerStaff: [(String, String, String)] = [
            ("Шахтина", "Галина", "Михайловна"), ("Воробьёв", "Сергей", "Павлович"), ("Романов", "Виктор", "Иванович"),
            ("Никитин", "Артём", "Дмитриевич"), ("Соколова", "Анна", "Викторовна"), ("Яковлева", "Марина", "Юрьевна"),
            ("Борисов", "Алексей", "Константинович"), ("Егорова", "Людмила", "Петровна"), ("Кузнецов", "Игорь", "Сергеевич"),
            ("Зайцева", "Татьяна", "Андреевна"),
        ]
        for (i, p) in providers.enumerated() {
            let s = providerStaff[i % providerStaff.count]
            list.append(Staff(email: p.staffLogin, surname: s.0, name: s.1, patronymic: s.2, role: .provider,
                              regionCode: p.regionCode, municipalityCode: p.municipalityCode, providerIndex: i,
                              mayConfirmCertificates: p.isIssuingPoint,
                              note: "поставщик: \(p.shortName)" + (p.isIssuingPoint ? ", пункт выдачи сертификатов" : "")))
        }
        list.append(Staff(email: "parent@osinniki.example", surname: "Морозова", name: "Екатерина", patronymic: "Андреевна",
                          role: .parent, regionCode: "42", municipalityCode: "33", providerIndex: nil,
                          mayConfirmCertificates: false, note: "родитель, трое детей, Осинники"))
        list.append(Staff(email: "parent@barnaul.example", surname: "Волков", name: "Денис", patronymic: "Олегович",
                          role: .parent, regionCode: "22", municipalityCode: "60", providerIndex: nil,
                          mayConfirmCertificates: false, note: "родитель, один ребёнок, Барнаул"))
        return list
    }

    /// Children of the two named demo parents: (parent e-mail, surname, name, patronymic, sex, age in years).
    /// Their СНИЛС use indices far above any generated child.
    public static let namedChildIndexBase = 899_000_000
    /// The certificates of the named children, in the same order.
    public static let namedCertificates: [CertificateState] = [.financing, .accounting, .pending, .financing]
    public static let namedChildren: [(String, String, String, String, Sex, Int)] = [
        ("parent@osinniki.example", "Морозова", "Варвара", "Дмитриевна", .female, 6),
        ("parent@osinniki.example", "Морозов", "Матвей", "Дмитриевич", .male, 11),
        ("parent@osinniki.example", "Морозова", "Полина", "Дмитриевна", .female, 15),
        ("parent@barnaul.example", "Волков", "Глеб", "Денисович", .male, 9),
    ]

    // MARK: generated families

    public enum Sex: String, Sendable, Codable, CaseIterable {
        case male, female
        public var title: String { self == .male ? "мужской" : "женский" }
    }

    public struct Person: Sendable, Hashable {
        public let surname: String
        public let name: String
        public let patronymic: String
        public let sex: Sex
    }

    public struct Family: Sendable {
        public let index: Int
        public let email: String
        public let parent: Person
        public let phone: String
        public let regionCode: String
        public let municipalityCode: String
        public let address: String
        public let children: [Child]
    }

    /// What a demo child holds: no certificate, a pending application, a confirmed учёта or ПФ certificate.
    public enum CertificateState: String, Sendable, CaseIterable {
        case none, pending, accounting, financing
    }

    /// Six children in ten hold a confirmed certificate (three of them ПФ), two have applied, two have not.
    public static func certificateState(forChild index: Int) -> CertificateState {
        switch (index &* 37 &+ 11) % 10 {
        case 0, 1, 2: .financing
        case 3, 4, 5: .accounting
        case 6, 7: .pending
        default: .none
        }
    }

    /// The demo nominal of a region's municipalities, in kopecks.
    public static func nominal(region: String) -> Int64 { region == "42" ? 1_200_000 : 900_000 }

    public struct Child: Sendable {
        /// Global index of the child in the demo (0-based), the basis of its СНИЛС.
        public let index: Int
        public var certificate: CertificateState { DemoPlan.certificateState(forChild: index) }
        public let person: Person
        public let birthDate: LocalDate
        public let snils: String
        public let birthCertificateSeries: String
        public let birthCertificateNumber: String
    }

    /// Generated families hold 1–3 children; a family index maps to a fixed range of child indices,
    /// so a batch of families can be regenerated alone.
    public static let childrenPerFamilySlots = 3

    /// Number of generated families needed for `children` children.
    public var familyCount: Int { (children + 1) / 2 }

    /// The families with indices in `range`, with their children; the child count over all families is
    /// exactly `children` (family i holds the children 2i and 2i+1, the last possibly only one).
    public func families(_ range: Range<Int>, today: LocalDate) -> [Family] {
        let totalWeight = Self.municipalities.reduce(0) { $0 + $1.weight }
        return range.map { index in
            var rng = SeededRandom(seed: seed, stream: 1_000_000 + UInt64(index))
            var pick = Int.random(in: 0..<totalWeight, using: &rng)
            var muni = Self.municipalities[0]
            for m in Self.municipalities {
                if pick < m.weight { muni = m; break }
                pick -= m.weight
            }
            let surname = rng.pick(DemoNames.surnames)
            let fatherPatronymic = rng.pick(DemoNames.patronymics)
            let motherFirst = Bool.random(using: &rng)
            let parent = Person(surname: motherFirst ? surname.1 : surname.0,
                                name: motherFirst ? rng.pick(DemoNames.femaleNames) : rng.pick(DemoNames.maleNames),
                                patronymic: motherFirst ? rng.pick(DemoNames.patronymics).1 : rng.pick(DemoNames.patronymics).0,
                                sex: motherFirst ? .female : .male)
            let childIndices = (2 * index)..<min(2 * index + 2, children)
            let kids = childIndices.map { ci -> Child in
                let sex: Sex = Bool.random(using: &rng) ? .male : .female
                let age = Int.random(in: 5...17, using: &rng)
                let dayOfYear = Int.random(in: 1...364, using: &rng)
                let birth = today.adding(years: -age - 1).adding(days: dayOfYear)
                let person = Person(surname: sex == .male ? surname.0 : surname.1,
                                    name: sex == .male ? rng.pick(DemoNames.maleNames) : rng.pick(DemoNames.femaleNames),
                                    patronymic: sex == .male ? fatherPatronymic.0 : fatherPatronymic.1, sex: sex)
                return Child(index: ci, person: person, birthDate: birth, snils: Self.snils(forChild: ci),
                             birthCertificateSeries: "I-ЛО",
                             birthCertificateNumber: String(format: "%06d", Int.random(in: 0...999_999, using: &rng)))
            }
            let street = rng.pick(DemoNames.streets)
            return Family(index: index, email: String(format: "family%07d@demo.example", index), parent: parent,
                          phone: "+7 (9\(Int.random(in: 10...99, using: &rng))) \(Int.random(in: 100...999, using: &rng))-\(Int.random(in: 10...99, using: &rng))-\(Int.random(in: 10...99, using: &rng))",
                          regionCode: muni.regionCode, municipalityCode: muni.code,
                          address: "\(street), \(Int.random(in: 1...120, using: &rng)), кв. \(Int.random(in: 1...200, using: &rng))",
                          children: kids)
        }
    }

    /// A valid, unique СНИЛС for each child index (a bijection of the index into 100000000…999999999).
    public static func snils(forChild index: Int) -> String {
        let n = (Int64(index) * 7919 + 12345) % 900_000_000 + 100_000_000
        let first9 = String(n).compactMap(\.wholeNumberValue)
        return Identifiers.makeSNILS(from: first9)
    }
}
