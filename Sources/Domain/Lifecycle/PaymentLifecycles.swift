import Foundation

/// An invoice of a provider to a municipality for a month (domain.md §8): new → in work → paid (with the payment
/// order), or deleted with a reason.
public enum InvoiceStatus: String, StoredStatus {
    case new
    case inWork = "in_work"
    case paid
    case deleted

    public var title: String {
        switch self {
        case .new: "новый"
        case .inWork: "в работе"
        case .paid: "оплачен"
        case .deleted: "удалён"
        }
    }
}

/// Advance (80 % of the month's certificate part, during the month) or final (completeness × the part, after the
/// month's close, settled against the advance).
public enum InvoiceKind: String, StoredStatus {
    case advance, final

    public var title: String {
        switch self {
        case .advance: "авансовый"
        case .final: "итоговый"
        }
    }
}

public enum InvoiceEvent: Sendable, Hashable {
    /// The municipality takes it to check it.
    case take
    /// Paid: the payment order's number and date.
    case pay(order: String, on: LocalDate)
    case delete(reason: String)
}

public enum InvoiceLifecycle: Lifecycle {
    public static func next(_ s: InvoiceStatus, _ event: InvoiceEvent, by actor: Actor, _ today: LocalDate) -> Result<InvoiceStatus, Refusal> {
        guard actor == .municipality || actor == .system else { return .failure(.forbidden()) }
        switch event {
        case .take:
            guard s == .new else { return .failure(Refusal("wrong_status", "Взять в работу можно только новый счёт: сейчас «\(s.title)».")) }
            return .success(.inWork)
        case .pay(let order, let on):
            guard s == .new || s == .inWork else { return .failure(Refusal("wrong_status", "Оплатить можно новый счёт или счёт в работе: сейчас «\(s.title)».")) }
            let number = order.trimmingCharacters(in: .whitespaces)
            guard (1...40).contains(number.count), !Validation.hasControlCharacters(number) else {
                return .failure(Refusal("invalid_order", field: "order", "Укажите номер платёжного поручения (до 40 символов).", kind: .invalid))
            }
            guard on <= today else {
                return .failure(Refusal("invalid_date", field: "paidOn", "Дата платёжного поручения не может быть в будущем.", kind: .invalid))
            }
            return .success(.paid)
        case .delete(let reason):
            guard s == .new || s == .inWork else { return .failure(Refusal("wrong_status", "Удалить можно новый счёт или счёт в работе: сейчас «\(s.title)».")) }
            if let r = ModerationRules.reasonRefusal(reason, message: "Укажите причину удаления (до 500 символов).") { return .failure(r) }
            return .success(.deleted)
        }
    }
}

/// A parent's dispute of a month of a contract («занятия не проводились»), decided by the municipality.
public enum DisputeStatus: String, StoredStatus {
    case open, upheld, rejected

    public var title: String {
        switch self {
        case .open: "на рассмотрении"
        case .upheld: "удовлетворена"
        case .rejected: "отклонена"
        }
    }
}

public enum DisputeEvent: Sendable, Hashable {
    /// Upheld: the month's completeness is lowered to this (money back to the certificate).
    case uphold(Completeness)
    /// Rejected: the month is paid as reported.
    case reject
}

public enum DisputeLifecycle: Lifecycle {
    /// Who may open one, and when: the parent, from the first day after the month to `disputeDays` after it.
    public static func open(month: Month, by actor: Actor, today: LocalDate, text: String) -> Result<DisputeStatus, Refusal> {
        guard actor == .parent else { return .failure(.forbidden()) }
        guard PaymentRules.disputeWindow(month).contains(today) else {
            return .failure(Refusal("dispute_window", field: "month",
                                    "Оспорить месяц можно в течение \(PaymentRules.disputeDays) дней после его окончания: для месяца «\(month.title)» — с \(PaymentRules.disputeWindow(month).lowerBound.russian) по \(PaymentRules.disputeWindow(month).upperBound.russian)."))
        }
        if let r = ModerationRules.reasonRefusal(text, message: "Опишите, что произошло (до 500 символов).") {
            return .failure(Refusal(r.code, field: "text", r.message, kind: .invalid))
        }
        return .success(.open)
    }

    /// `reported`: the completeness the month was closed with (an upheld dispute only lowers it).
    public static func next(_ s: DisputeStatus, _ event: DisputeEvent, by actor: Actor, _ reported: Completeness) -> Result<DisputeStatus, Refusal> {
        guard actor == .municipality else { return .failure(.forbidden()) }
        guard s == .open else { return .failure(Refusal("decided", "Спор уже рассмотрен: «\(s.title)».")) }
        switch event {
        case .uphold(let c):
            guard c < reported else {
                return .failure(Refusal("invalid_completeness", field: "completeness",
                                        "Удовлетворяя спор, укажите полноту меньше отчётной (\(reported)).", kind: .invalid))
            }
            return .success(.upheld)
        case .reject:
            return .success(.rejected)
        }
    }
}
