/// An amount of money in kopecks. Never a floating-point number.
public struct Money: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var kopecks: Int64

    public init(kopecks: Int64) { self.kopecks = kopecks }
    public init(rubles: Int64, kopecks: Int64 = 0) { self.kopecks = rubles * 100 + kopecks }

    public static let zero = Money(kopecks: 0)

    public static func + (a: Money, b: Money) -> Money { Money(kopecks: a.kopecks + b.kopecks) }
    public static func - (a: Money, b: Money) -> Money { Money(kopecks: a.kopecks - b.kopecks) }
    public static func += (a: inout Money, b: Money) { a.kopecks += b.kopecks }
    public static func -= (a: inout Money, b: Money) { a.kopecks -= b.kopecks }
    public static func < (a: Money, b: Money) -> Bool { a.kopecks < b.kopecks }
    public static prefix func - (a: Money) -> Money { Money(kopecks: -a.kopecks) }

    public init(from decoder: any Decoder) throws {
        kopecks = try decoder.singleValueContainer().decode(Int64.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(kopecks)
    }

    /// Russian formatting: «18 000,00 ₽» (thin no-break space between thousands).
    public var formatted: String {
        let negative = kopecks < 0
        let absolute = kopecks.magnitude
        let rubles = String(absolute / 100)
        let cents = absolute % 100
        var grouped = ""
        for (i, ch) in rubles.reversed().enumerated() {
            if i > 0 && i % 3 == 0 { grouped.append("\u{202F}") }
            grouped.append(ch)
        }
        let rub = String(grouped.reversed())
        return (negative ? "−" : "") + rub + "," + (cents < 10 ? "0" : "") + String(cents) + "\u{00A0}₽"
    }

    public var description: String { formatted }
}
