import Foundation

/// Rules of certificates (domain.md §4) and of the child's data a family enters.
public enum CertificateRules {
    public static let minAge = 5
    public static let maxAge = 17

    /// The certificate closes on the 18th birthday.
    public static func closesOn(birth: LocalDate) -> LocalDate { birth.adding(years: 18) }

    /// A certificate is issued to a child aged 5 to 17 on `today` (a local date of the region).
    public static func ageRefusal(birth: LocalDate, today: LocalDate) -> FieldError? {
        let age = birth.age(on: today)
        if age < minAge {
            return FieldError(field: "birthDate", message: "Сертификат выдаётся детям с 5 лет: ребёнку сейчас \(age) \(years(age)).")
        }
        if age > maxAge {
            return FieldError(field: "birthDate", message: "Сертификат выдаётся детям до 18 лет: ребёнку уже исполнилось 18.")
        }
        return nil
    }

    public static func years(_ n: Int) -> String {
        let d10 = n % 10, d100 = n % 100
        if d10 == 1 && d100 != 11 { return "год" }
        if (2...4).contains(d10) && !(12...14).contains(d100) { return "года" }
        return "лет"
    }

    /// 10 digits: region (2) + municipality (2) + serial (6).
    public static func number(region: String, municipality: String, serial: Int) -> String? {
        guard region.count == 2, municipality.count == 2, (1...999_999).contains(serial) else { return nil }
        let s = String(serial)
        return region + municipality + String(repeating: "0", count: 6 - s.count) + s
    }

    /// A certificate group has a vacancy while both caps have room for one more ПФ certificate.
    public static func hasVacancy(financingCount: Int, nominalSum: Int64, nominal: Int64, capCount: Int, capSum: Int64) -> Bool {
        financingCount + 1 <= capCount && nominalSum + nominal <= capSum
    }

    /// The grant of a certificate that becomes ПФ on `day` of a period: the full nominal, or (a municipal
    /// setting) the share of the period's days that remain, rounded down to the kopeck.
    public static func grant(nominal: Int64, periodStart: LocalDate, periodEnd: LocalDate, day: LocalDate, prorate: Bool) -> Int64 {
        guard prorate, day > periodStart else { return nominal }
        let total = Int64(periodEnd.dayNumber - periodStart.dayNumber + 1)
        let remaining = Int64(max(0, periodEnd.dayNumber - day.dayNumber + 1))
        return nominal * remaining / total
    }
}

/// The data of a child as a family enters it, checked field by field.
public struct ChildInput: Sendable, Hashable {
    public var surname: String
    public var name: String
    public var patronymic: String
    public var birthDate: String
    public var sex: String
    public var snils: String
    public var birthCertificateSeries: String
    public var birthCertificateNumber: String

    public init(surname: String, name: String, patronymic: String, birthDate: String, sex: String, snils: String,
                birthCertificateSeries: String, birthCertificateNumber: String) {
        self.surname = surname
        self.name = name
        self.patronymic = patronymic
        self.birthDate = birthDate
        self.sex = sex
        self.snils = snils
        self.birthCertificateSeries = birthCertificateSeries
        self.birthCertificateNumber = birthCertificateNumber
    }

    public struct Valid: Sendable, Hashable {
        public let surname: String
        public let name: String
        public let patronymic: String
        public let birthDate: LocalDate
        public let sex: DemoPlan.Sex
        public let snils: String
        public let birthCertificateSeries: String
        public let birthCertificateNumber: String
    }

    static func personName(_ raw: String, field: String, label: String, required: Bool) -> Result<String, FieldError> {
        let s = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if s.isEmpty {
            return required ? .failure(FieldError(field: field, message: "Укажите \(label).")) : .success("")
        }
        if s.count > 60 || Validation.hasControlCharacters(s) {
            return .failure(FieldError(field: field, message: "Поле «\(label)» слишком длинное или содержит недопустимые символы."))
        }
        let allowed = s.unicodeScalars.allSatisfy { ch in
            ("А"..."я").contains(ch) || ch == "ё" || ch == "Ё" || ch == "-" || ch == " " || ch == "'"
                || ("A"..."Z").contains(ch) || ("a"..."z").contains(ch)
        }
        guard allowed, s.first?.isLetter == true else {
            return .failure(FieldError(field: field, message: "Поле «\(label)» может содержать только буквы, дефис и пробел."))
        }
        return .success(s)
    }

    /// Roman numerals (I–XXXIX, Latin letters I, V, X, L, C), a dash and two Cyrillic capital letters: «I-ЛО», «IV-СТ».
    public static func isValidBirthCertificateSeries(_ s: String) -> Bool {
        let parts = s.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...6).contains(parts[0].count), parts[1].count == 2 else { return false }
        let roman = parts[0].unicodeScalars.allSatisfy { "IVXLC".unicodeScalars.contains($0) }
        let letters = parts[1].unicodeScalars.allSatisfy { ("А"..."Я").contains($0) || $0 == "Ё" }
        return roman && letters
    }

    /// Checks every field; `today` is the local date of the region (a birth date in the future is refused).
    public func validate(today: LocalDate) -> Result<Valid, ValidationFailure> {
        var errors: [FieldError] = []
        func take(_ r: Result<String, FieldError>) -> String {
            switch r {
            case .success(let s): return s
            case .failure(let e): errors.append(e); return ""
            }
        }
        let surname = take(Self.personName(surname, field: "surname", label: "фамилию", required: true))
        let name = take(Self.personName(name, field: "name", label: "имя", required: true))
        let patronymic = take(Self.personName(patronymic, field: "patronymic", label: "отчество", required: false))
        var birth: LocalDate? = nil
        let rawBirth = birthDate.trimmingCharacters(in: .whitespaces)
        if rawBirth.isEmpty {
            errors.append(FieldError(field: "birthDate", message: "Укажите дату рождения."))
        } else if let d = LocalDate(iso: rawBirth) ?? Self.russianDate(rawBirth) {
            if d > today { errors.append(FieldError(field: "birthDate", message: "Дата рождения не может быть в будущем.")) }
            else if d.age(on: today) > 25 { errors.append(FieldError(field: "birthDate", message: "Проверьте дату рождения: ребёнку не может быть больше 25 лет.")) }
            else { birth = d }
        } else {
            errors.append(FieldError(field: "birthDate", message: "Дата рождения указана неверно: ожидается ДД.ММ.ГГГГ."))
        }
        let sexValue = DemoPlan.Sex(rawValue: sex)
        if sexValue == nil { errors.append(FieldError(field: "sex", message: "Укажите пол ребёнка.")) }
        let snilsDigits = Identifiers.normalized(snils) ?? ""
        if snils.trimmingCharacters(in: .whitespaces).isEmpty {
            errors.append(FieldError(field: "snils", message: "Укажите СНИЛС ребёнка."))
        } else if snilsDigits.count != 11 {
            errors.append(FieldError(field: "snils", message: "СНИЛС должен содержать 11 цифр, например 123-456-789 64."))
        } else if !Identifiers.isValidSNILS(snilsDigits) {
            errors.append(FieldError(field: "snils", message: "СНИЛС указан с ошибкой: не сходится контрольное число."))
        }
        let series = birthCertificateSeries.trimmingCharacters(in: .whitespaces).uppercased()
            .replacingOccurrences(of: "–", with: "-").replacingOccurrences(of: " ", with: "")
        if series.isEmpty {
            errors.append(FieldError(field: "birthCertificateSeries", message: "Укажите серию свидетельства о рождении."))
        } else if !Self.isValidBirthCertificateSeries(series) {
            errors.append(FieldError(field: "birthCertificateSeries", message: "Серия свидетельства о рождении: римские цифры, дефис и две русские буквы, например I-ЛО."))
        }
        let number = birthCertificateNumber.trimmingCharacters(in: .whitespaces)
        if number.isEmpty {
            errors.append(FieldError(field: "birthCertificateNumber", message: "Укажите номер свидетельства о рождении."))
        } else if number.count != 6 || !number.allSatisfy({ $0.isASCII && $0.isNumber }) {
            errors.append(FieldError(field: "birthCertificateNumber", message: "Номер свидетельства о рождении — 6 цифр."))
        }
        guard errors.isEmpty, let birth, let sexValue else { return .failure(ValidationFailure(errors)) }
        return .success(Valid(surname: surname, name: name, patronymic: patronymic, birthDate: birth, sex: sexValue,
                              snils: snilsDigits, birthCertificateSeries: series, birthCertificateNumber: number))
    }

    /// «01.09.2016».
    public static func russianDate(_ s: String) -> LocalDate? {
        let p = s.split(separator: ".", omittingEmptySubsequences: false)
        guard p.count == 3, p[0].count == 2, p[1].count == 2, p[2].count == 4 else { return nil }
        return LocalDate(iso: "\(p[2])-\(p[1])-\(p[0])")
    }
}
