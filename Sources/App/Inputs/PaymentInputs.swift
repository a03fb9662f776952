import Domain
import Foundation

/// A provider's completeness of a group's month: the form's percent as typed («87,5»), JSON's whole hundredths of a
/// percent (8750 is 87,5 %, as the API answers it); `group`, `month` (ГГГГ-ММ) and, below 100 %, `reason`.
struct CompletenessInput: Sendable {
    var group: UUID?
    var month: String
    var completeness: String
    var reason: String?

    init(_ b: InputBody) throws {
        if b.source == .json {
            try b.require("group")
            try b.require("month")
            try b.require("completeness")
        }
        group = try b.uuid("group")
        month = try b.text("month") ?? ""
        if b.source == .json, let raw = try b.number("completeness"), let h = Int(raw) {
            completeness = (0...10_000).contains(h) ? "\(h / 100).\(LocalDate.pad(h % 100, 2))" : "-1"
        } else {
            completeness = try b.text("completeness") ?? ""
        }
        reason = try b.text("reason")
    }

    func validate() -> Result<(UUID, Month), Refusal> {
        guard let group else { return .failure(Refusal("invalid_group", field: "group", "Выберите группу.", kind: .invalid)) }
        guard let m = Month(input: month) else {
            return .failure(Refusal("invalid_month", field: "month", "Месяц указывается как ГГГГ-ММ, например 2026-11.", kind: .invalid))
        }
        return .success((group, m))
    }
}

/// The payment of an invoice: the payment order's number and date (ISO or ДД.ММ.ГГГГ).
struct InvoicePaymentInput: Sendable {
    var order: String
    var paidOn: String

    init(_ b: InputBody) throws {
        if b.source == .json {
            try b.require("order")
            try b.require("paidOn")
        }
        order = try b.text("order") ?? ""
        paidOn = try b.text("paidOn") ?? ""
    }

    func validate() -> Result<InvoiceEvent, Refusal> {
        guard let date = LocalDate(iso: paidOn.trimmingCharacters(in: .whitespaces)) ?? ChildInput.russianDate(paidOn) else {
            return .failure(Refusal("invalid_date", field: "paidOn", "Укажите дату платёжного поручения.", kind: .invalid))
        }
        return .success(.pay(order: order, on: date))
    }
}
