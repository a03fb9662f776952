import Foundation

/// How much of a month the provider delivered (полнота оказания услуги), in hundredths of a percent:
/// 10 000 is 100 %, 8 750 is 87,5 %.
public struct Completeness: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let hundredths: Int

    public static let full = Completeness(uncheckedHundredths: 10_000)
    public static let none = Completeness(uncheckedHundredths: 0)

    public init?(hundredths: Int) {
        guard (0...10_000).contains(hundredths) else { return nil }
        self.hundredths = hundredths
    }

    private init(uncheckedHundredths: Int) { hundredths = uncheckedHundredths }

    /// «87,5», «100», «87.25» (a percent with at most two decimals, 0 to 100).
    public init?(percent text: String) {
        let t = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: ".").replacingOccurrences(of: "%", with: "")
            .trimmingCharacters(in: .whitespaces)
        let parts = t.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let whole = Int(parts[0]), parts[0].allSatisfy(\.isNumber) else { return nil }
        var fraction = 0
        if parts.count == 2 {
            guard (1...2).contains(parts[1].count), parts[1].allSatisfy(\.isNumber), let f = Int(parts[1]) else { return nil }
            fraction = parts[1].count == 1 ? f * 10 : f
        }
        self.init(hundredths: whole * 100 + fraction)
    }

    /// «87,5 %»
    public var description: String {
        let whole = hundredths / 100, fraction = hundredths % 100
        if fraction == 0 { return "\(whole) %" }
        return "\(whole)," + (fraction % 10 == 0 ? "\(fraction / 10)" : LocalDate.pad(fraction, 2)) + " %"
    }

    public static func < (a: Completeness, b: Completeness) -> Bool { a.hundredths < b.hundredths }
}

/// The arithmetic and the calendar of paying providers (domain.md §8). Amounts are kopecks; a share is rounded to
/// the nearest kopeck, half a kopeck up.
public enum PaymentRules {
    /// The advance of a month: this share of the month's certificate part.
    public static let advancePercent: Int64 = 80

    /// `value × numerator / denominator`, to the nearest kopeck (half up); never negative inputs.
    static func share(_ value: Int64, _ numerator: Int64, _ denominator: Int64) -> Int64 {
        (value * numerator * 2 + denominator) / (denominator * 2)
    }

    /// The advance line of a contract-month: 80 % of its certificate part.
    public static func advance(_ part: Int64) -> Int64 { share(part, advancePercent, 100) }

    /// The final line: the certificate part × completeness.
    public static func final(_ part: Int64, _ c: Completeness) -> Int64 { share(part, Int64(c.hundredths), 10_000) }

    /// What completeness below 100 % returns to the certificate: the part not paid.
    public static func correction(_ part: Int64, _ c: Completeness) -> Int64 { part - final(part, c) }

    /// The 1st to the 5th working day of the month after: the provider reports completeness.
    public static func reportingWindow(_ m: Month) -> ClosedRange<LocalDate> {
        m.next.first...WorkingDays.nth(5, of: m.next)
    }

    /// The first day the month may be closed (the day after the reporting window).
    public static func closeFrom(_ m: Month) -> LocalDate { reportingWindow(m).upperBound.adding(days: 1) }

    /// The provider may ask for the month's advance from its 2nd working day.
    public static func advanceFrom(_ m: Month) -> LocalDate { WorkingDays.nth(2, of: m) }

    /// An invoice is due by the 10th of the month after the one it was issued in.
    public static func due(issuedIn m: Month) -> LocalDate { LocalDate(year: m.next.year, month: m.next.month, day: 10)! }

    /// A parent may dispute a month within 10 days after it ends.
    public static let disputeDays = 10
    public static func disputeWindow(_ m: Month) -> ClosedRange<LocalDate> { m.next.first...m.last.adding(days: disputeDays) }
}
