import Foundation

/// A calendar month (`2026-09`), the unit the contracts are paid in.
public struct Month: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int

    public init?(year: Int, month: Int) {
        guard (1...9999).contains(year), (1...12).contains(month) else { return nil }
        self.year = year
        self.month = month
    }

    public init(_ date: LocalDate) {
        year = date.year
        month = date.month
    }

    /// «2026-09», as the contracts' month-by-month split stores it.
    public init?(key: String) {
        let parts = key.split(separator: "-")
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let y = Int(parts[0]), let m = Int(parts[1]) else { return nil }
        self.init(year: y, month: m)
    }

    /// A month typed by a person or a client (`?month=`, `--month`): a key of the years 2000–2099 only, so that the
    /// months around it (`next`, `previous`) always exist.
    public init?(input: String) {
        guard let m = Month(key: input.trimmingCharacters(in: .whitespaces)), (2000...2099).contains(m.year) else { return nil }
        self = m
    }

    public var key: String { MonthPart.key(year: year, month: month) }
    public var description: String { key }
    public var first: LocalDate { LocalDate(year: year, month: month, day: 1)! }
    public var last: LocalDate { LocalDate(year: year, month: month, day: LocalDate.daysIn(year: year, month: month))! }
    public var next: Month { month == 12 ? Month(year: year + 1, month: 1)! : Month(year: year, month: month + 1)! }
    public var previous: Month { month == 1 ? Month(year: year - 1, month: 12)! : Month(year: year, month: month - 1)! }

    /// «сентябрь 2026»
    public var title: String { MonthPart(month: key, certificate: 0, parent: 0).title }

    public static func < (a: Month, b: Month) -> Bool { (a.year, a.month) < (b.year, b.month) }
}

extension LocalDate {
    /// 1 = Monday … 7 = Sunday.
    public var weekday: Int { ((dayNumber % 7 + 7) % 7 + 3) % 7 + 1 }
}

/// Working days in Russia (Labour Code, art. 112): Saturdays, Sundays and the public holidays are days off —
/// 1–8 January, 23 February, 8 March, 1 and 9 May, 12 June, 4 November; a public holiday other than the January
/// ones that falls on a Saturday or a Sunday moves to the next working day. (The government's yearly decree may
/// move a couple of days further, mostly the January ones; that is not modelled: a reporting window counted
/// here may end a day earlier than the decree's calendar in such a year.)
public enum WorkingDays {
    static let fixed: [(month: Int, day: Int)] = [(2, 23), (3, 8), (5, 1), (5, 9), (6, 12), (11, 4)]

    public static func isHoliday(_ d: LocalDate) -> Bool {
        if d.month == 1 && d.day <= 8 { return true }
        return fixed.contains { $0.month == d.month && $0.day == d.day } || movedHolidays(year: d.year).contains(d)
    }

    /// The working days that replace the holidays falling on a weekend.
    static func movedHolidays(year: Int) -> Set<LocalDate> {
        var out = Set<LocalDate>()
        for h in fixed {
            guard var d = LocalDate(year: year, month: h.month, day: h.day), d.weekday >= 6 else { continue }
            repeat { d = d.adding(days: 1) } while d.weekday >= 6 || fixed.contains(where: { $0.month == d.month && $0.day == d.day }) || out.contains(d)
            out.insert(d)
        }
        return out
    }

    public static func isWorking(_ d: LocalDate) -> Bool { d.weekday <= 5 && !isHoliday(d) }

    /// The `n`-th working day (from 1) of a month.
    public static func nth(_ n: Int, of m: Month) -> LocalDate {
        var d = m.first, count = 0
        while true {
            if isWorking(d) {
                count += 1
                if count == n { return d }
            }
            d = d.adding(days: 1)
        }
    }
}
