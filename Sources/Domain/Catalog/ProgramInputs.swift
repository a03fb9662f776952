import Foundation

/// The program card as provider staff enter it (domain.md §3), checked field by field.
public struct ProgramInput: Sendable, Hashable {
    public var name = ""
    public var annotation = ""
    public var direction = ""
    public var activityKinds: [String] = []
    public var level = ""
    public var form = ""
    public var distance = false
    public var ageFromYears = ""
    public var ageFromMonths = "0"
    public var ageToYears = ""
    public var ageToMonths = "0"
    public var disabilities: [String] = []
    public var funding = ""

    public init() {}

    public struct Valid: Sendable, Hashable {
        public let name: String
        public let annotation: String
        public let direction: Direction
        public let activityKinds: [String]
        public let level: ProgramLevel
        public let form: StudyForm
        public let distance: Bool
        /// Age range in months, both ends included (5 years 0 months … 17 years 11 months).
        public let ageFrom: Int
        public let ageTo: Int
        public let disabilities: [DisabilityCategory]
        public let funding: FundingKind
    }

    public static let minAgeMonths = 5 * 12
    public static let maxAgeMonths = 18 * 12 - 1

    public func validate() -> Result<Valid, ValidationFailure> {
        var errors: [FieldError] = []
        let name = InputField.text(name, "name", "название программы", max: 200, required: true, into: &errors)
        let annotation = InputField.text(annotation, "annotation", "аннотацию программы", max: 5000, required: true, into: &errors)
        let direction = Direction(rawValue: direction)
        if direction == nil { errors.append(FieldError(field: "direction", message: "Выберите направленность программы.")) }
        var kinds: [String] = []
        for code in activityKinds where !code.isEmpty {
            guard let k = ActivityKinds.find(code) else {
                errors.append(FieldError(field: "activityKinds", message: "Вид деятельности «\(code.prefix(40))» не найден в справочнике."))
                continue
            }
            if let direction, k.direction != direction {
                errors.append(FieldError(field: "activityKinds", message: "Вид деятельности «\(k.title)» относится к другой направленности."))
            } else if !kinds.contains(code) {
                kinds.append(code)
            }
        }
        if kinds.isEmpty && errors.allSatisfy({ $0.field != "activityKinds" }) {
            errors.append(FieldError(field: "activityKinds", message: "Выберите хотя бы один вид деятельности."))
        }
        let level = ProgramLevel(rawValue: level)
        if level == nil { errors.append(FieldError(field: "level", message: "Выберите уровень программы.")) }
        let form = StudyForm(rawValue: form)
        if form == nil { errors.append(FieldError(field: "form", message: "Выберите форму обучения.")) }
        let fy = InputField.int(ageFromYears, "ageFromYears", "Возраст «с»: целое число лет от 5 до 17.", 5...17, into: &errors)
        let fm = InputField.int(ageFromMonths.isEmpty ? "0" : ageFromMonths, "ageFromMonths", "Возраст «с»: месяцы — от 0 до 11.", 0...11, into: &errors)
        let ty = InputField.int(ageToYears, "ageToYears", "Возраст «по»: целое число лет от 5 до 17.", 5...17, into: &errors)
        let tm = InputField.int(ageToMonths.isEmpty ? "0" : ageToMonths, "ageToMonths", "Возраст «по»: месяцы — от 0 до 11.", 0...11, into: &errors)
        var from = 0, to = 0
        if let fy, let fm, let ty, let tm {
            from = fy * 12 + fm
            to = ty * 12 + tm
            if to < from { errors.append(FieldError(field: "ageToYears", message: "Возраст «по» не может быть меньше возраста «с».")) }
        }
        var dis: [DisabilityCategory] = []
        for code in disabilities where !code.isEmpty {
            guard let c = DisabilityCategory(rawValue: code) else {
                errors.append(FieldError(field: "disabilities", message: "Категория ОВЗ «\(code.prefix(40))» не найдена в справочнике."))
                continue
            }
            if !dis.contains(c) { dis.append(c) }
        }
        let funding = FundingKind(rawValue: funding)
        if funding == nil { errors.append(FieldError(field: "funding", message: "Выберите вид финансирования: по сертификату, бесплатно или платно.")) }
        guard errors.isEmpty, let name, let annotation, let direction, let level, let form, let funding else {
            return .failure(ValidationFailure(errors))
        }
        return .success(Valid(name: name, annotation: annotation, direction: direction, activityKinds: kinds, level: level, form: form,
                              distance: distance, ageFrom: from, ageTo: to, disabilities: dis, funding: funding))
    }

    /// «с 7 лет до 12 лет 6 мес.»
    public static func ageText(from: Int, to: Int) -> String {
        func t(_ m: Int) -> String { m % 12 == 0 ? "\(m / 12) лет" : "\(m / 12) лет \(m % 12) мес." }
        return "с \(t(from)) до \(t(to))"
    }
}

/// A module (a year of study) of a program.
public struct ModuleInput: Sendable, Hashable {
    public var name = ""
    public var months = ""
    public var hours = ""
    public var minChildren = ""
    public var maxChildren = ""
    public var price = ""

    public init() {}

    public struct Valid: Sendable, Hashable {
        public let name: String
        public let months: Int
        public let hours: Int
        public let minChildren: Int
        public let maxChildren: Int
        /// Kopecks for the whole module; 0 for a free program.
        public let price: Int64
    }

    public static let maxPrice: Int64 = 100_000_000_00

    public func validate(funding: FundingKind) -> Result<Valid, ValidationFailure> {
        var errors: [FieldError] = []
        let name = InputField.text(name, "name", "название модуля", max: 200, required: true, into: &errors)
        let months = InputField.int(months, "months", "Продолжительность модуля — от 1 до 12 месяцев.", 1...12, into: &errors)
        let hours = InputField.int(hours, "hours", "Объём модуля — от 1 до 2000 часов.", 1...2000, into: &errors)
        let minC = InputField.int(minChildren, "minChildren", "Минимальная наполняемость группы — от 1 до 100 детей.", 1...100, into: &errors)
        let maxC = InputField.int(maxChildren, "maxChildren", "Максимальная наполняемость группы — от 1 до 100 детей.", 1...100, into: &errors)
        if let minC, let maxC, maxC < minC {
            errors.append(FieldError(field: "maxChildren", message: "Максимальная наполняемость не может быть меньше минимальной."))
        }
        var price: Int64 = 0
        if funding == .free {
            if !self.price.trimmingCharacters(in: .whitespaces).isEmpty, Roubles.parse(self.price) != 0 {
                errors.append(FieldError(field: "price", message: "Бесплатная программа не может иметь цену: оставьте поле пустым или 0."))
            }
        } else if let p = Roubles.parse(self.price), p > 0, p <= Self.maxPrice {
            price = p
        } else {
            errors.append(FieldError(field: "price", message: "Цена модуля — сумма в рублях больше нуля, например 18 000,00."))
        }
        guard errors.isEmpty, let name, let months, let hours, let minC, let maxC else { return .failure(ValidationFailure(errors)) }
        return .success(Valid(name: name, months: months, hours: hours, minChildren: minC, maxChildren: maxC, price: price))
    }
}

/// The regional cap on a module's price (domain.md §3): a percentage of its normative cost.
public enum PriceCap {
    public static let defaultPercent = 100
    public static let allowedPercents = 50...300

    /// The highest price allowed for a normative cost, in kopecks (rounded down).
    public static func maxPrice(normative: Int64, percent: Int) -> Int64 { normative * Int64(percent) / 100 }

    /// nil when the price is within the cap, else a refusal naming the price field.
    public static func check(price: Int64, normative: Int64, percent: Int, field: String = "price") -> FieldError? {
        let cap = maxPrice(normative: normative, percent: percent)
        guard price > cap else { return nil }
        return FieldError(field: field, message: "Цена \(Money(kopecks: price).formatted) выше предельной: не больше \(percent) % нормативной стоимости \(Money(kopecks: normative).formatted), то есть не больше \(Money(kopecks: cap).formatted).")
    }
}

/// A group of children of a module.
public struct GroupInput: Sendable, Hashable {
    /// The module of the program the group studies (checked against the program's modules by the registry).
    public var module: UUID? = nil
    public var name = ""
    public var teacher = ""
    public var address = ""
    public var latitude = ""
    public var longitude = ""
    public var startsOn = ""
    public var endsOn = ""
    public var capacity = ""
    public var schedule = ""
    public var enrollFrom = ""
    public var enrollUntil = ""
    public var status = "open"

    public init() {}

    public struct Valid: Sendable, Hashable {
        public let name: String
        public let teacher: String
        public let address: String
        public let latitude: Double?
        public let longitude: Double?
        public let startsOn: LocalDate
        public let endsOn: LocalDate
        public let capacity: Int
        public let schedule: [ScheduleSlot]
        public let enrollFrom: LocalDate?
        public let enrollUntil: LocalDate?
        public let status: GroupStatus
    }

    /// `maxChildren` is the module's maximum; `taken` the places already taken (capacity may not go below).
    public func validate(maxChildren: Int, taken: Int = 0) -> Result<Valid, ValidationFailure> {
        var errors: [FieldError] = []
        let name = InputField.text(name, "name", "название группы", max: 100, required: true, into: &errors)
        let teacher = InputField.text(teacher, "teacher", "педагога", max: 150, required: true, into: &errors)
        let address = InputField.text(address, "address", "адрес занятий", max: 300, required: true, into: &errors)
        var lat: Double? = nil, lon: Double? = nil
        let latS = latitude.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: ".")
        let lonS = longitude.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: ".")
        if !latS.isEmpty || !lonS.isEmpty {
            if let a = Double(latS), a.isFinite, (41.0...82.0).contains(a) { lat = a } else {
                errors.append(FieldError(field: "latitude", message: "Широта — число от 41 до 82 (например 53,5900), или оставьте координаты пустыми."))
            }
            if let o = Double(lonS), o.isFinite, (19.0...180.0).contains(o) { lon = o } else {
                errors.append(FieldError(field: "longitude", message: "Долгота — число от 19 до 180 (например 87,3380), или оставьте координаты пустыми."))
            }
        }
        let start = InputField.date(startsOn, "startsOn", "дату начала занятий", required: true, into: &errors)
        let end = InputField.date(endsOn, "endsOn", "дату окончания занятий", required: true, into: &errors)
        if let start, let end {
            if end < start { errors.append(FieldError(field: "endsOn", message: "Дата окончания занятий раньше даты начала.")) }
            else if end.dayNumber - start.dayNumber > 366 {
                errors.append(FieldError(field: "endsOn", message: "Группа занимается не дольше года: разделите обучение на модули."))
            }
        }
        let capacity = InputField.int(capacity, "capacity", "Число мест — от 1 до \(maxChildren) (максимальная наполняемость модуля).", 1...max(1, maxChildren), into: &errors)
        if let capacity, capacity < taken {
            errors.append(FieldError(field: "capacity", message: "В группе уже занято \(taken) мест: число мест не может быть меньше."))
        }
        var slots: [ScheduleSlot] = []
        switch ScheduleSlot.parseList(schedule) {
        case .success(let s): slots = s
        case .failure(let e): errors.append(e)
        }
        let from = InputField.date(enrollFrom, "enrollFrom", "начало приёма заявок", required: false, into: &errors)
        let until = InputField.date(enrollUntil, "enrollUntil", "окончание приёма заявок", required: false, into: &errors)
        if let from, let until, until < from {
            errors.append(FieldError(field: "enrollUntil", message: "Окончание приёма заявок раньше его начала."))
        }
        let status = GroupStatus(rawValue: status)
        if status == nil { errors.append(FieldError(field: "status", message: "Выберите статус набора: открыт или закрыт.")) }
        guard errors.isEmpty, let name, let teacher, let address, let start, let end, let capacity, let status else {
            return .failure(ValidationFailure(errors))
        }
        return .success(Valid(name: name, teacher: teacher, address: address, latitude: lat, longitude: lon, startsOn: start, endsOn: end,
                              capacity: capacity, schedule: slots, enrollFrom: from, enrollUntil: until, status: status))
    }
}

/// Certification by the operator: the normative cost of every module and the price cap (domain.md §3).
public enum Certification {
    /// Refusals of the normative costs given for the modules (keyed by module index), or none.
    public static func check(prices: [Int64], normatives: [String], capPercent: Int) -> Result<[Int64], ValidationFailure> {
        var errors: [FieldError] = []
        var out: [Int64] = []
        for (i, raw) in normatives.enumerated() {
            let field = "normative\(i)"
            guard let n = Roubles.parse(raw), n > 0, n <= ModuleInput.maxPrice else {
                errors.append(FieldError(field: field, message: "Нормативная стоимость модуля \(i + 1) — сумма в рублях больше нуля."))
                continue
            }
            if i < prices.count, let e = PriceCap.check(price: prices[i], normative: n, percent: capPercent, field: field) {
                errors.append(FieldError(field: field, message: "Модуль \(i + 1): " + e.message))
            }
            out.append(n)
        }
        if normatives.count != prices.count {
            errors.append(FieldError(field: "normative", message: "Укажите нормативную стоимость каждого модуля."))
        }
        return errors.isEmpty ? .success(out) : .failure(ValidationFailure(errors))
    }
}
