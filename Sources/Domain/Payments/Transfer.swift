import Foundation

/// A transfer to another group mid-year (domain.md §8, issue 14): the old contract ends at the end of the current month
/// (notice), what it holds for the months after goes back to the certificate at once, and the new contract starts on the
/// first day of the next month, paid from the balance that includes what came back.
public enum TransferRules {
    public struct Plan: Sendable, Hashable {
        /// The old contract's last day (nil: it ends before its first month, everything goes back).
        public let oldEnd: LocalDate?
        /// What goes back to the certificate from the old contract.
        public let released: Int64
        /// The new contract's first day.
        public let newStart: LocalDate
    }

    public static func plan(start: LocalDate, end: LocalDate, parts: [MonthPart], today: LocalDate) -> Plan {
        let oldEnd = EnrollmentRules.noticeEnd(day: today, start: start, end: end)
        return Plan(oldEnd: oldEnd, released: EnrollmentRules.released(months: parts, end: oldEnd),
                    newStart: oldEnd == nil ? max(start, today) : Month(today).next.first)
    }

    /// Only a contract in force, moved to another group.
    public static func refusal(status: ContractStatus, sameGroup: Bool) -> Refusal? {
        guard status == .active else {
            return Refusal("not_active", "Перевести можно только действующий договор: сейчас «\(status.title)».")
        }
        if sameGroup { return Refusal("same_group", field: "group", "Выберите другую группу.", kind: .invalid) }
        return nil
    }
}
