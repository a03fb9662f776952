import Foundation

/// A certificate group of a municipality as its staff enter it (domain.md §4): the caps on the number of ПФ
/// certificates and on the sum of their nominals, the return to the accounting certificate after days without a
/// contract, the carry-over of leftovers and the prorated grant. Checked field by field; what depends on stored
/// rows (a cap below what is used, a name already taken) is checked by the programme service.
public struct CertificateGroupInput: Sendable, Hashable {
    public var name = ""
    /// A whole number as typed.
    public var capCount = ""
    /// Roubles as typed: «1 500 000,00».
    public var capSum = ""
    public var returnAfterDays = "30"
    public var carryOver = false
    public var prorate = false

    public init(name: String = "", capCount: String = "", capSum: String = "", returnAfterDays: String = "30",
                carryOver: Bool = false, prorate: Bool = false) {
        self.name = name
        self.capCount = capCount
        self.capSum = capSum
        self.returnAfterDays = returnAfterDays
        self.carryOver = carryOver
        self.prorate = prorate
    }

    public struct Valid: Sendable, Hashable {
        public let name: String
        public let capCount: Int
        /// Kopecks.
        public let capSum: Int64
        public let returnAfterDays: Int
        public let carryOver: Bool
        public let prorate: Bool
    }

    /// The largest cap on the sum of nominals a JSON body may give, in kopecks: 999 999 999 999,99 ₽ (a cap sums many
    /// nominals, so it is not bound by `KopecksInput.max`).
    public static let maxCapSum: Int64 = 99_999_999_999_999
    public static let maxCapCount = 10_000_000
    public static let returnDays = 1...365

    public func validate() -> Result<Valid, ValidationFailure> {
        var errors: [FieldError] = []
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        if name.isEmpty || name.count > 100 || Validation.hasControlCharacters(name) {
            errors.append(FieldError(field: "name", message: "Укажите название группы сертификатов (до 100 символов)."))
        }
        let capCount = Int(capCount.trimmingCharacters(in: .whitespaces)).flatMap { (0...Self.maxCapCount).contains($0) ? $0 : nil }
        if capCount == nil { errors.append(FieldError(field: "capCount", message: "Лимит числа сертификатов ПФ — целое число от 0.")) }
        let capSum = Roubles.parse(capSum)
        if capSum == nil { errors.append(FieldError(field: "capSum", message: "Лимит суммы номиналов — сумма в рублях, например 1 500 000,00.")) }
        let days = Int(returnAfterDays.trimmingCharacters(in: .whitespaces)).flatMap { Self.returnDays.contains($0) ? $0 : nil }
        if days == nil { errors.append(FieldError(field: "returnAfterDays", message: "Срок возврата в сертификат учёта — от 1 до 365 дней.")) }
        guard errors.isEmpty, let capCount, let capSum, let days else { return .failure(ValidationFailure(errors)) }
        return .success(Valid(name: name, capCount: capCount, capSum: capSum, returnAfterDays: days, carryOver: carryOver, prorate: prorate))
    }
}
