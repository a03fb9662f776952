import Domain
import Foundation

/// A period of the municipal programme: its dates (ISO or `ДД.ММ.ГГГГ`) and, through the API, whether applications open at once.
struct PeriodInput: Sendable {
    var startsOn: String
    var endsOn: String
    var contractingOpen: Bool

    init(_ b: InputBody) throws {
        startsOn = try b.text("startsOn") ?? ""
        endsOn = try b.text("endsOn") ?? ""
        contractingOpen = try b.flag("contractingOpen") ?? false
    }
}

/// The switch of a period's contracting: the page's hidden `open` (`1` opens, anything else closes).
struct ContractingInput: Sendable {
    var open: Bool

    init(_ b: InputBody) throws { open = try b.flag("open") ?? false }
}

extension CertificateGroupInput {
    /// The one mapping of a certificate group: the form's cap on the sum in roubles as typed, JSON's in whole kopecks
    /// (up to `maxCapSum`); the switches are the form's checkboxes or JSON booleans.
    init(_ b: InputBody) throws {
        self.init(name: try b.text("name") ?? "", capCount: try b.number("capCount") ?? "",
                  capSum: try b.money("capSum", max: CertificateGroupInput.maxCapSum) ?? "",
                  returnAfterDays: try b.number("returnAfterDays") ?? "",
                  carryOver: try b.flag("carryOver") ?? false, prorate: try b.flag("prorate") ?? false)
    }
}

/// A group's nominal for a period: the form's `period` select and nominal in roubles; JSON's `periodId` and whole kopecks.
struct NominalInput: Sendable {
    var period: UUID?
    var nominal: String

    init(_ b: InputBody) throws {
        period = try b.uuid(b.source == .json ? "periodId" : "period")
        nominal = try b.money("nominal") ?? ""
    }

    /// The period, or a refusal naming the field (`period`; the API names it `periodId`).
    func validate() throws -> UUID {
        guard let period else { throw FieldError(field: "period", message: "Выберите период.") }
        return period
    }
}

/// An agreement to conclude with a provider (the page's select and the API's `provider`).
struct AgreementInput: Sendable {
    var provider: UUID?

    init(_ b: InputBody) throws { provider = try b.uuid("provider") }

    func validate() throws -> UUID {
        guard let provider else { throw FieldError(field: "provider", message: "Выберите поставщика.") }
        return provider
    }
}

/// An agreement to terminate, chosen on the page (the API names it in the path).
struct AgreementTerminationInput: Sendable {
    var agreement: UUID?

    init(_ b: InputBody) throws { agreement = try b.uuid("agreement") }

    func validate() throws -> UUID {
        guard let agreement else { throw FieldError(field: "agreement", message: "Выберите соглашение.") }
        return agreement
    }
}

/// The municipality names one of its active providers an issuing point for certificates, or stops naming it: the page's
/// hidden `value` (`1` or `0`), JSON's boolean.
struct IssuingPointInput: Sendable {
    var value: Bool?

    init(_ b: InputBody) throws { value = try b.flag("value") }

    /// The value; without one, a 400 naming the field.
    func validate() throws -> Bool {
        guard let value else {
            let message = "Поле value обязательно: true или false."
            throw AppError(status: .badRequest, code: "bad_parameter", reason: message, fields: [FieldError(field: "value", message: message)])
        }
        return value
    }
}
