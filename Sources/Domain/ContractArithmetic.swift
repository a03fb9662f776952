/// The contract arithmetic of domain.md §6, in integer kopecks.
///
///     full      = roundUp( D / Dg × P )
///     normative = roundUp( D / Dg × N )
///     cert      = min(full, normative, B)
///     parent    = full − cert
///
/// Each part is split into the calendar months the contract touches: every month but the first gets
/// `roundDown((D − d1) / D × part / (M − 1))`, the first takes the rest, so the months add up exactly.
public enum ContractArithmetic {
    public struct Input: Sendable, Hashable {
        public var groupStart: LocalDate
        public var groupEnd: LocalDate
        public var price: Money
        public var normative: Money
        public var contractStart: LocalDate
        public var contractEnd: LocalDate
        public var balance: Money

        public init(groupStart: LocalDate, groupEnd: LocalDate, price: Money, normative: Money,
                    contractStart: LocalDate, contractEnd: LocalDate, balance: Money) {
            self.groupStart = groupStart
            self.groupEnd = groupEnd
            self.price = price
            self.normative = normative
            self.contractStart = contractStart
            self.contractEnd = contractEnd
            self.balance = balance
        }
    }

    public struct Month: Sendable, Hashable {
        public let year: Int
        public let month: Int
        public let certificate: Money
        public let parent: Money

        /// «2026-09».
        public var key: String {
            (year < 1000 ? String(repeating: "0", count: 4 - String(year).count) : "") + String(year) + "-" + (month < 10 ? "0" : "") + String(month)
        }
    }

    public struct Quote: Sendable, Hashable {
        public let full: Money
        public let normative: Money
        public let certificate: Money
        public let parent: Money
        public let days: Int
        public let groupDays: Int
        public let months: [Month]
    }

    /// Why an input cannot be quoted; `field` names the input.
    public struct Refusal: Error, Sendable, Hashable {
        public let field: String
        public let message: String
    }

    /// The largest amount a quote takes, in kopecks (100 million roubles: far beyond any price, far from overflow;
    /// the API's description says the same). The same maximum as every other amount input.
    public static let maxAmount: Int64 = KopecksInput.max

    public static func validate(_ i: Input) -> [Refusal] {
        var out: [Refusal] = []
        if i.groupEnd < i.groupStart {
            out.append(Refusal(field: "groupEnd", message: "Дата окончания группы раньше даты начала."))
        }
        if i.contractEnd < i.contractStart {
            out.append(Refusal(field: "contractEnd", message: "Дата окончания договора раньше даты начала."))
        }
        if i.contractStart < i.groupStart || i.contractStart > i.groupEnd {
            out.append(Refusal(field: "contractStart", message: "Дата начала договора лежит вне дат группы."))
        }
        if i.contractEnd > i.groupEnd || i.contractEnd < i.groupStart {
            out.append(Refusal(field: "contractEnd", message: "Дата окончания договора лежит вне дат группы."))
        }
        if i.price.kopecks < 0 { out.append(Refusal(field: "price", message: "Цена не может быть отрицательной.")) }
        if i.normative.kopecks < 0 { out.append(Refusal(field: "normative", message: "Нормативная стоимость не может быть отрицательной.")) }
        if i.balance.kopecks < 0 { out.append(Refusal(field: "balance", message: "Остаток сертификата не может быть отрицательным.")) }
        for (name, v) in [("price", i.price), ("normative", i.normative), ("balance", i.balance)] where v.kopecks > maxAmount {
            out.append(Refusal(field: name, message: "Сумма слишком велика: не больше 100 000 000 ₽."))
        }
        return out
    }

    /// ceil(a × b / c) for non-negative a, b and positive c, without overflow for the sizes here.
    static func mulDivUp(_ a: Int64, _ b: Int64, _ c: Int64) -> Int64 {
        let (q, r) = mulDivRem(a, b, c)
        return r > 0 ? q + 1 : q
    }

    static func mulDivDown(_ a: Int64, _ b: Int64, _ c: Int64) -> Int64 { mulDivRem(a, b, c).0 }

    private static func mulDivRem(_ a: Int64, _ b: Int64, _ c: Int64) -> (Int64, Int64) {
        let product = a.multipliedFullWidth(by: b)
        let (q, r) = c.dividingFullWidth(product)
        return (q, r)
    }

    /// The quote, or the refusals.
    public static func quote(_ i: Input) -> Result<Quote, ValidationRefusals> {
        let problems = validate(i)
        if !problems.isEmpty { return .failure(ValidationRefusals(refusals: problems)) }
        let dg = Int64(i.groupEnd.dayNumber - i.groupStart.dayNumber + 1)
        let d = Int64(i.contractEnd.dayNumber - i.contractStart.dayNumber + 1)
        let full = mulDivUp(d, i.price.kopecks, dg)
        let normative = mulDivUp(d, i.normative.kopecks, dg)
        let cert = min(full, normative, i.balance.kopecks)
        let parent = full - cert

        // The calendar months the contract touches, and its days in the first one.
        var months: [(Int, Int)] = []
        var y = i.contractStart.year, m = i.contractStart.month
        while (y, m) <= (i.contractEnd.year, i.contractEnd.month) {
            months.append((y, m))
            m += 1
            if m == 13 { m = 1; y += 1 }
        }
        let firstMonthEnd = LocalDate(year: i.contractStart.year, month: i.contractStart.month,
                                      day: LocalDate.daysIn(year: i.contractStart.year, month: i.contractStart.month))!
        let d1 = Int64(min(firstMonthEnd, i.contractEnd).dayNumber - i.contractStart.dayNumber + 1)
        let certSplit = split(cert, days: d, firstDays: d1, months: months.count)
        let parentSplit = split(parent, days: d, firstDays: d1, months: months.count)
        let list = months.enumerated().map { k, ym in
            Month(year: ym.0, month: ym.1, certificate: Money(kopecks: certSplit[k]), parent: Money(kopecks: parentSplit[k]))
        }
        return .success(Quote(full: Money(kopecks: full), normative: Money(kopecks: normative), certificate: Money(kopecks: cert),
                              parent: Money(kopecks: parent), days: Int(d), groupDays: Int(dg), months: list))
    }

    /// The monthly parts of `amount`: the first takes the rest, the others are equal.
    public static func split(_ amount: Int64, days d: Int64, firstDays d1: Int64, months count: Int) -> [Int64] {
        guard count > 1 else { return [amount] }
        let others = Int64(count - 1)
        let other = mulDivDown(d - d1, amount, d * others)
        return [amount - other * others] + Array(repeating: other, count: count - 1)
    }
}

public struct ValidationRefusals: Error, Sendable, Hashable {
    public let refusals: [ContractArithmetic.Refusal]
}
