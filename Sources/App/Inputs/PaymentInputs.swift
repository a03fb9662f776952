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
        completeness = try b.completeness("completeness")
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

/// A parent's dispute of a month: `month` (ГГГГ-ММ) and what happened (`text`).
struct DisputeInput: Sendable {
    var month: String
    var text: String

    init(_ b: InputBody) throws {
        if b.source == .json {
            try b.require("month")
            try b.require("text")
        }
        month = try b.text("month") ?? ""
        text = try b.text("text") ?? ""
    }
}

/// The municipality's decision of a dispute: `decision` uphold or reject, the new completeness when upheld (the form's
/// percent, JSON's hundredths), and its text.
struct DisputeDecisionInput: Sendable {
    var uphold: Bool?
    var completeness: String
    var text: String

    init(_ b: InputBody) throws {
        if b.source == .json {
            try b.require("decision")
            try b.require("text")
        }
        switch try b.text("decision") {
        case "uphold"?: uphold = true
        case "reject"?: uphold = false
        default: uphold = nil
        }
        completeness = try b.completeness("completeness")
        text = try b.text("text") ?? ""
    }

    func validate() -> Result<(Bool, Completeness?), Refusal> {
        guard let uphold else {
            return .failure(Refusal("invalid_decision", field: "decision", "Решение: uphold (удовлетворить) или reject (отклонить).", kind: .invalid))
        }
        guard uphold else { return .success((false, nil)) }
        guard let c = Completeness(percent: completeness) else {
            return .failure(Refusal("invalid_completeness", field: "completeness", "Полнота — число от 0 до 100.", kind: .invalid))
        }
        return .success((true, c))
    }
}

extension InputBody {
    /// A completeness as the checks take it (`Completeness(percent:)`): a form's percent as typed («87,5»), JSON's whole
    /// hundredths of a percent (8750) written as a percent; hundredths out of 0…10 000 become a text the checks refuse.
    func completeness(_ key: String) throws -> String {
        if source == .json, let raw = try number(key), let h = Int(raw) {
            return (0...10_000).contains(h) ? "\(h / 100).\(LocalDate.pad(h % 100, 2))" : "-1"
        }
        return try text(key) ?? ""
    }
}
