import Foundation

/// The monthly close of domain.md §8: which months of a contract a close charges, what each contract-month
/// moves in the ledger, what the invoices say. Pure: the service reads the rows, asks here, writes the answer.
public enum MonthClose {
    /// What the close of one contract-month does.
    public struct Outcome: Sendable, Hashable {
        /// The month's certificate part: reserved → spent (`charge`).
        public let charge: Int64
        /// What completeness below 100 % returns to the certificate (`correction`); 0 at 100 %.
        public let correction: Int64
        /// What the provider is paid for the month: the part × completeness.
        public let final: Int64
    }

    public static func outcome(part: Int64, completeness: Completeness) -> Outcome {
        let final = PaymentRules.final(part, completeness)
        return Outcome(charge: part, correction: part - final, final: final)
    }

    /// The months of a contract that a close of `month` charges: every month of its split up to `month` that lies
    /// between the contract's first and last day and has not been charged yet. A contract is charged only
    /// once it is in force (active, under notice, or ended after running); a month owed in full when the
    /// contract runs on its first day (its split already gives a shorter first month a smaller part).
    public static func owed(parts: [MonthPart], status: ContractStatus, start: LocalDate, end: LocalDate,
                            through month: Month, charged: Set<String>) -> [MonthPart] {
        guard status == .active || status == .terminating || status == .terminated else { return [] }
        let first = Month(start).key, last = Month(end).key
        return parts.filter { $0.month >= first && $0.month <= last && $0.month <= month.key && !charged.contains($0.month) }
    }

    /// Whether the close of `month` may run today: only after the month ended and the provider's reporting
    /// window (the 1st to the 5th working day of the next month) passed.
    public static func mayClose(_ month: Month, today: LocalDate) -> Refusal? {
        let from = PaymentRules.closeFrom(month)
        guard today >= from else {
            return Refusal("too_early", field: "month",
                           "Месяц «\(month.title)» можно закрыть с \(from.russian): до \(PaymentRules.reportingWindow(month).upperBound.russian) поставщики сообщают полноту оказания услуг.")
        }
        return nil
    }

    /// Whether a provider may report completeness for `month` today: in its reporting window, and while the
    /// month is not closed.
    public static func mayReport(_ month: Month, today: LocalDate, closed: Bool) -> Refusal? {
        if closed { return Refusal("month_closed", field: "month", "Месяц «\(month.title)» уже закрыт: полноту изменить нельзя.") }
        let w = PaymentRules.reportingWindow(month)
        guard w.contains(today) else {
            return Refusal("reporting_window", field: "month",
                           "Полноту за «\(month.title)» сообщают с \(w.lowerBound.russian) по \(w.upperBound.russian).")
        }
        return nil
    }

    /// Whether a provider may ask for the advance of `month` today: from its 2nd working day to its last day.
    public static func mayRequestAdvance(_ month: Month, today: LocalDate) -> Refusal? {
        let from = PaymentRules.advanceFrom(month)
        guard today >= from, today <= month.last else {
            return Refusal("advance_window", field: "month",
                           "Аванс за «\(month.title)» запрашивается с \(from.russian) по \(month.last.russian).")
        }
        return nil
    }

    /// The advance line of a contract-month.
    public static func advance(part: Int64) -> Int64 { PaymentRules.advance(part) }

    /// A final invoice: its lines' finals less the advances paid for them, plus what a previous final invoice left
    /// negative (`carried` ≤ 0). Negative: nothing is paid, and the amount goes to the next final invoice.
    public struct Settlement: Sendable, Hashable {
        public let finals: Int64
        public let advances: Int64
        public let carried: Int64
        public var due: Int64 { finals - advances + carried }
        /// What the municipality pays now.
        public var payable: Int64 { max(0, due) }
        /// What goes to the next final invoice.
        public var carriedOut: Int64 { min(0, due) }

        public init(finals: Int64, advances: Int64, carried: Int64) {
            self.finals = finals
            self.advances = advances
            self.carried = carried
        }
    }

    /// The status of a contract-month for the family and the provider.
    public enum MonthStatus: String, StoredStatus {
        /// Charged as reported.
        case charged
        /// The parent disputes it: out of the final invoice until the municipality decides.
        case disputed
        /// Charged with completeness below 100 % (after the report or an upheld dispute).
        case corrected

        public var title: String {
            switch self {
            case .charged: "списано"
            case .disputed: "оспорено"
            case .corrected: "скорректировано"
            }
        }
    }
}

/// The dates of a period's rollover (domain.md §4, issue 14): a period closes only after its last day and its
/// last month's close; it opens only in the days before its start (or after). Anything else is an override the
/// caller states and records.
public enum PeriodDates {
    /// How many days before its start a period may be opened.
    public static let openAheadDays = 14

    public static func mayClose(startsOn: LocalDate, endsOn: LocalDate, today: LocalDate, lastMonthClosed: Bool) -> Refusal? {
        guard today > endsOn else {
            return Refusal("period_not_ended", field: "period",
                           "Период \(startsOn.russian)–\(endsOn.russian) ещё не закончился: закрыть его можно с \(endsOn.adding(days: 1).russian). Досрочное закрытие спишет остатки всех сертификатов.")
        }
        guard lastMonthClosed else {
            let m = Month(endsOn)
            return Refusal("last_month_open", field: "period",
                           "Сначала закройте последний месяц периода («\(m.title)»): его можно закрыть с \(PaymentRules.closeFrom(m).russian).")
        }
        return nil
    }

    public static func mayOpen(startsOn: LocalDate, today: LocalDate) -> Refusal? {
        let from = startsOn.adding(days: -openAheadDays)
        guard today >= from else {
            return Refusal("period_not_started", field: "period",
                           "Период с \(startsOn.russian) можно открыть не раньше \(from.russian).")
        }
        return nil
    }
}
