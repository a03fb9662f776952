import Domain

/// The checks of the registry are shared with the forms and name the forms' fields (`ageFromYears`, `module`,
/// `priceCapPercent`, `normative0`); a `fields` entry of an API answer names a property of the request body
/// instead (nested ones with a dot, items of a list with `[i]`: `card.inn`, `normatives[0]`).
enum APIFieldNames {
    /// Runs `body`, renaming the fields of the validation errors it throws (`rename` answers nil to keep a name).
    static func renaming<T>(_ rename: (String) -> String?, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let e as ValidationFailure {
            throw ValidationFailure(e.errors.map { FieldError(field: rename($0.field) ?? $0.field, message: $0.message) })
        } catch let e as FieldError {
            throw FieldError(field: rename(e.field) ?? e.field, message: e.message)
        }
    }

    /// The program card: the form splits an age into years and months, the API takes months.
    static func program(_ field: String) -> String? {
        ["ageFromYears": "ageFromMonths", "ageToYears": "ageToMonths"][field]
    }

    /// A group of a program: the form's select of modules is `module`.
    static func group(_ field: String) -> String? { field == "module" ? "moduleId" : nil }

    /// Certification: the form has a field per module, `normative0`, `normative1`…
    static func certification(_ field: String) -> String? {
        guard field.hasPrefix("normative") else { return nil }
        let index = field.dropFirst("normative".count)
        return index.isEmpty ? "normatives" : (Int(index).map { "normatives[\($0)]" })
    }

    /// The price cap of the region.
    static func priceCap(_ field: String) -> String? { field == "priceCapPercent" ? "percent" : nil }

    /// A group's nominal: the form's select of periods is `period`.
    static func nominal(_ field: String) -> String? { field == "period" ? "periodId" : nil }

    /// Provider registration: the card is nested under `card`, the municipality is `municipalityId`.
    static func registration(_ field: String) -> String? {
        if field == "municipality" { return "municipalityId" }
        return field.hasPrefix("staff") ? nil : "card." + field
    }
}
