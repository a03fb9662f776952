import Foundation

/// The card of a provider as its staff enter it (domain.md §3), checked field by field.
public struct ProviderInput: Sendable, Hashable {
    public var fullName = ""
    public var shortName = ""
    public var kind = ""
    public var ownership = ""
    public var inn = ""
    public var ogrn = ""
    public var kpp = ""
    public var licenceNumber = ""
    public var licenceDate = ""
    public var legalAddress = ""
    public var actualAddress = ""
    public var phone = ""
    public var email = ""
    public var website = ""
    public var bankName = ""
    public var bankBIK = ""
    public var bankAccount = ""
    public var bankCorrespondentAccount = ""

    public init() {}

    public struct Valid: Sendable, Hashable {
        public let fullName: String
        public let shortName: String
        public let kind: ProviderKind
        public let ownership: Ownership
        public let inn: String
        public let ogrn: String
        public let kpp: String?
        public let licenceNumber: String?
        public let licenceDate: LocalDate?
        public let legalAddress: String
        public let actualAddress: String
        public let phone: String?
        public let email: String?
        public let website: String?
        public let bankName: String?
        public let bankBIK: String?
        public let bankAccount: String?
        public let bankCorrespondentAccount: String?
    }

    public func validate(today: LocalDate) -> Result<Valid, ValidationFailure> {
        var errors: [FieldError] = []
        func text(_ raw: String, _ field: String, _ label: String, max: Int, required: Bool) -> String? {
            let s = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if s.isEmpty {
                if required { errors.append(FieldError(field: field, message: "Укажите: \(label).")) }
                return nil
            }
            if s.count > max || Validation.hasControlCharacters(s) {
                errors.append(FieldError(field: field, message: "Поле «\(label)» слишком длинное или содержит недопустимые символы."))
                return nil
            }
            return s
        }
        func digits(_ raw: String, _ field: String, _ label: String, count: Int, required: Bool) -> String? {
            let s = raw.trimmingCharacters(in: .whitespaces)
            if s.isEmpty {
                if required { errors.append(FieldError(field: field, message: "Укажите \(label).")) }
                return nil
            }
            guard let d = Identifiers.normalized(s), d.count == count else {
                errors.append(FieldError(field: field, message: "\(label): ожидается \(count) цифр."))
                return nil
            }
            return d
        }
        let fullName = text(fullName, "fullName", "полное наименование", max: 500, required: true)
        let shortName = text(shortName, "shortName", "краткое наименование", max: 200, required: true)
        let kind = ProviderKind(rawValue: kind)
        if kind == nil { errors.append(FieldError(field: "kind", message: "Выберите тип поставщика.")) }
        let ownership = Ownership(rawValue: ownership)
        if ownership == nil { errors.append(FieldError(field: "ownership", message: "Выберите форму собственности.")) }
        let sole = kind?.isSoleProprietor ?? false
        var innValue: String? = nil
        let rawINN = Identifiers.normalized(inn.trimmingCharacters(in: .whitespaces)) ?? ""
        if inn.trimmingCharacters(in: .whitespaces).isEmpty {
            errors.append(FieldError(field: "inn", message: "Укажите ИНН."))
        } else if sole {
            if rawINN.count != 12 { errors.append(FieldError(field: "inn", message: "ИНН индивидуального предпринимателя — 12 цифр.")) }
            else if !Identifiers.isValidPersonINN(rawINN) { errors.append(FieldError(field: "inn", message: "ИНН указан с ошибкой: не сходятся контрольные цифры.")) }
            else { innValue = rawINN }
        } else {
            if rawINN.count != 10 { errors.append(FieldError(field: "inn", message: "ИНН организации — 10 цифр.")) }
            else if !Identifiers.isValidOrganizationINN(rawINN) { errors.append(FieldError(field: "inn", message: "ИНН указан с ошибкой: не сходится контрольная цифра.")) }
            else { innValue = rawINN }
        }
        var ogrnValue: String? = nil
        let rawOGRN = Identifiers.normalized(ogrn.trimmingCharacters(in: .whitespaces)) ?? ""
        let ogrnLabel = sole ? "ОГРНИП" : "ОГРН"
        if ogrn.trimmingCharacters(in: .whitespaces).isEmpty {
            errors.append(FieldError(field: "ogrn", message: "Укажите \(ogrnLabel)."))
        } else if rawOGRN.count != (sole ? 15 : 13) {
            errors.append(FieldError(field: "ogrn", message: "\(ogrnLabel) — \(sole ? 15 : 13) цифр."))
        } else if !(sole ? Identifiers.isValidOGRNIP(rawOGRN) : Identifiers.isValidOGRN(rawOGRN)) {
            errors.append(FieldError(field: "ogrn", message: "\(ogrnLabel) указан с ошибкой: не сходится контрольная цифра."))
        } else {
            ogrnValue = rawOGRN
        }
        var kppValue: String? = nil
        let rawKPP = kpp.trimmingCharacters(in: .whitespaces).uppercased()
        if !sole {
            if rawKPP.isEmpty { errors.append(FieldError(field: "kpp", message: "Укажите КПП организации.")) }
            else if !Identifiers.isValidKPP(rawKPP) { errors.append(FieldError(field: "kpp", message: "КПП — 9 знаков: 4 цифры, 2 цифры или латинские буквы, 3 цифры.")) }
            else { kppValue = rawKPP }
        } else if !rawKPP.isEmpty {
            errors.append(FieldError(field: "kpp", message: "У индивидуального предпринимателя нет КПП."))
        }
        var licence: String? = nil
        var licenceDateValue: LocalDate? = nil
        if kind != .soleAlone {
            licence = text(licenceNumber, "licenceNumber", "номер лицензии на образовательную деятельность", max: 60, required: kind != nil)
            let rawDate = licenceDate.trimmingCharacters(in: .whitespaces)
            if rawDate.isEmpty {
                if kind != nil { errors.append(FieldError(field: "licenceDate", message: "Укажите дату лицензии.")) }
            } else if let d = LocalDate(iso: rawDate) ?? ChildInput.russianDate(rawDate), d <= today {
                licenceDateValue = d
            } else {
                errors.append(FieldError(field: "licenceDate", message: "Дата лицензии указана неверно или ещё не наступила."))
            }
        }
        let legal = text(legalAddress, "legalAddress", "юридический адрес", max: 500, required: true)
        let actual = text(actualAddress, "actualAddress", "фактический адрес", max: 500, required: true)
        let phoneValue = text(phone, "phone", "телефон", max: 30, required: false)
        if let p = phoneValue, !p.allSatisfy({ $0.isNumber || " +-()".contains($0) }) {
            errors.append(FieldError(field: "phone", message: "Телефон может содержать только цифры, пробелы, скобки, «+» и «-»."))
        }
        var emailValue: String? = nil
        if !email.trimmingCharacters(in: .whitespaces).isEmpty {
            switch Validation.email(email, field: "email") {
            case .success(let e): emailValue = e
            case .failure(let e): errors.append(e)
            }
        }
        let websiteValue = text(website, "website", "сайт", max: 200, required: false)
        if let w = websiteValue, !(w.hasPrefix("https://") || w.hasPrefix("http://")) || w.contains(" ") {
            errors.append(FieldError(field: "website", message: "Адрес сайта начинается с https:// или http://."))
        }
        let bank = text(bankName, "bankName", "банк", max: 200, required: false)
        let bik = digits(bankBIK, "bankBIK", "БИК", count: 9, required: false)
        let account = digits(bankAccount, "bankAccount", "Расчётный счёт", count: 20, required: false)
        let corr = digits(bankCorrespondentAccount, "bankCorrespondentAccount", "Корреспондентский счёт", count: 20, required: false)
        guard errors.isEmpty, let fullName, let shortName, let kind, let ownership, let innValue, let ogrnValue, let legal, let actual else {
            return .failure(ValidationFailure(errors))
        }
        return .success(Valid(fullName: fullName, shortName: shortName, kind: kind, ownership: ownership, inn: innValue, ogrn: ogrnValue,
                              kpp: kppValue, licenceNumber: licence, licenceDate: licenceDateValue, legalAddress: legal,
                              actualAddress: actual, phone: phoneValue, email: emailValue, website: websiteValue, bankName: bank,
                              bankBIK: bik, bankAccount: account, bankCorrespondentAccount: corr))
    }
}
