import Domain
import Foundation

extension ProgramInput {
    /// The one mapping of a program card: the provider's form and the API's JSON. The form gives each end of the age range in
    /// years and months (`ageFromYears` + `ageFromMonths`); JSON gives it in months in all (`ageFromMonths`), split here into
    /// years and months for the same checks (a negative number is refused by them).
    init(_ b: InputBody) throws {
        self.init()
        name = try b.text("name") ?? ""
        annotation = try b.text("annotation") ?? ""
        direction = try b.text("direction") ?? ""
        activityKinds = try b.texts("activityKinds")
        level = try b.text("level") ?? ""
        form = try b.text("form") ?? ""
        distance = try b.flag("distance") ?? false
        switch b.source {
        case .form:
            ageFromYears = try b.text("ageFromYears") ?? ""
            ageFromMonths = try b.text("ageFromMonths") ?? "0"
            ageToYears = try b.text("ageToYears") ?? ""
            ageToMonths = try b.text("ageToMonths") ?? "0"
        case .json:
            (ageFromYears, ageFromMonths) = Self.yearsAndMonths(try b.number("ageFromMonths"))
            (ageToYears, ageToMonths) = Self.yearsAndMonths(try b.number("ageToMonths"))
        }
        disabilities = try b.texts("disabilities")
        funding = try b.text("funding") ?? ""
    }

    /// Months in all → the years and months the checks take; absent → no years; negative → years the checks refuse.
    static func yearsAndMonths(_ months: String?) -> (years: String, months: String) {
        guard let months else { return ("", "0") }
        guard let n = Int(months), n >= 0 else { return ("-1", "0") }
        return (String(n / 12), String(n % 12))
    }
}

extension ModuleInput {
    /// The one mapping of a module: the form's price in roubles as typed (`18 000,00`), JSON's in whole kopecks (`InputBody.money`).
    init(_ b: InputBody) throws {
        self.init()
        name = try b.text("name") ?? ""
        months = try b.number("months") ?? ""
        hours = try b.number("hours") ?? ""
        minChildren = try b.number("minChildren") ?? ""
        maxChildren = try b.number("maxChildren") ?? ""
        price = try b.money("price", max: ModuleInput.maxPrice) ?? ""
    }
}

extension GroupInput {
    /// The one mapping of a group: the form's module select is `module` and its schedule a text (`пн 15:00-16:30`); JSON's
    /// module is `moduleId`, its schedule a list of `{"day", "start", "end"}` and its coordinates numbers.
    init(_ b: InputBody) throws {
        self.init()
        module = try b.uuid(b.source == .json ? "moduleId" : "module")
        name = try b.text("name") ?? ""
        teacher = try b.text("teacher") ?? ""
        address = try b.text("address") ?? ""
        latitude = try b.decimal("latitude") ?? ""
        longitude = try b.decimal("longitude") ?? ""
        startsOn = try b.text("startsOn") ?? ""
        endsOn = try b.text("endsOn") ?? ""
        capacity = try b.number("capacity") ?? ""
        schedule = try b.lessons("schedule") ?? ""
        enrollFrom = try b.text("enrollFrom") ?? ""
        enrollUntil = try b.text("enrollUntil") ?? ""
        status = try b.text("status") ?? GroupStatus.open.rawValue
    }
}

extension ProviderInput {
    /// The one mapping of a provider's card: the same fields in the registration and card forms and in the API's JSON.
    init(_ b: InputBody) throws {
        self.init()
        func t(_ key: String) throws -> String { try b.text(key) ?? "" }
        fullName = try t("fullName")
        shortName = try t("shortName")
        kind = try t("kind")
        ownership = try t("ownership")
        inn = try t("inn")
        ogrn = try t("ogrn")
        kpp = try t("kpp")
        licenceNumber = try t("licenceNumber")
        licenceDate = try t("licenceDate")
        legalAddress = try t("legalAddress")
        actualAddress = try t("actualAddress")
        phone = try t("phone")
        email = try t("email")
        website = try t("website")
        bankName = try t("bankName")
        bankBIK = try t("bankBIK")
        bankAccount = try t("bankAccount")
        bankCorrespondentAccount = try t("bankCorrespondentAccount")
    }
}

/// A provider's registration: the card, the municipality and the first staff account. The form is flat (the card's fields,
/// `municipality`, `staff…`); JSON nests the card under `card` and names the municipality `municipalityId`.
struct ProviderRegistration: Sendable {
    var card = ProviderInput()
    var municipality: UUID?
    var staffSurname = ""
    var staffName = ""
    var staffEmail = ""
    var staffPassword = ""

    init() {}

    init(_ b: InputBody) throws {
        card = try b.object("card") { try ProviderInput($0) }
        municipality = try b.uuid(b.source == .json ? "municipalityId" : "municipality")
        staffSurname = try b.text("staffSurname") ?? ""
        staffName = try b.text("staffName") ?? ""
        staffEmail = try b.text("staffEmail") ?? ""
        staffPassword = try b.text("staffPassword") ?? ""
    }
}
