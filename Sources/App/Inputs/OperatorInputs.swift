import Domain
import Foundation

/// The operator's decision on a provider's card (`approve`, `refuse` or `ban`, the two last with a reason).
struct ModerationInput: Sendable {
    var decision: String
    var reason: String

    init(_ b: InputBody) throws {
        decision = try b.text("decision") ?? ""
        reason = try b.text("reason") ?? ""
    }

    /// The decision; another word is a 400 naming the field.
    func validate() throws -> RegistryService.Decision {
        guard let d = RegistryService.Decision(rawValue: decision) else {
            let message = "Решение: approve, refuse или ban."
            throw AppError(status: .badRequest, code: "bad_parameter", reason: message, fields: [FieldError(field: "decision", message: message)])
        }
        return d
    }
}

/// The normative cost of every module of a program being certified, in the modules' order, as the certification's checks
/// take them (roubles). The form has a field per module (`normative0`, `normative1`…); JSON a list of whole kopecks
/// (`normatives`), each refusal naming its place (`normatives[1]`).
struct CertificationInput: Sendable {
    var normatives: [String]

    init(normatives: [String] = []) { self.normatives = normatives }

    init(_ b: InputBody) throws {
        switch b.source {
        case .json:
            normatives = try b.amounts("normatives", max: ModuleInput.maxPrice)
        case .form:
            var values: [String] = []
            while b.has("normative\(values.count)") { values.append(try b.text("normative\(values.count)") ?? "") }
            normatives = values
        }
    }
}

/// The operator's refusal to certify a program: the reason.
struct CertificationRefusalInput: Sendable {
    var reason: String

    init(_ b: InputBody) throws { reason = try b.text("reason") ?? "" }
}

/// The region's price cap, a whole percentage of the normative cost as the cap's checks take it: the form's
/// `priceCapPercent` as typed, JSON's `percent` a whole number.
struct PriceCapInput: Sendable {
    var percent: String

    init(percent: String = "") { self.percent = percent }

    init(_ b: InputBody) throws {
        percent = try (b.source == .json ? b.number("percent") : b.text("priceCapPercent")) ?? ""
    }
}
