/// An amount of money as an API client sends it: a number of kopecks in a JSON body.
///
/// JSON has a single kind of number, and Foundation's `JSONDecoder` reads `1800000.0` into an `Int64` as
/// `1800000` without telling the two apart, so the rule is about the value, not its spelling: a whole
/// number (`1800000`, `1800000.0`, `18e5`) in `0…max` is an amount; a fraction of a kopeck (`0.5`), a
/// negative number or a number above the maximum is not. Booleans, strings and `null` never reach this
/// check: the caller refuses them as "not a number".
public enum KopecksInput {
    /// The largest single amount an input takes: 100 000 000 ₽ (a price, a normative cost, a balance,
    /// a nominal). Far beyond any real price, far from overflow in the contract arithmetic.
    public static let max: Int64 = 10_000_000_000

    /// Why a number is not an amount of kopecks. `message` is Russian, without the field's name.
    public enum Refusal: Error, Sendable, Hashable {
        /// Not a number at all, or a number with a fraction of a kopeck.
        case notWhole
        case negative
        case tooLarge(max: Int64)

        public var message: String {
            switch self {
            case .notWhole: "ожидается целое число копеек."
            case .negative: "сумма не может быть отрицательной."
            case .tooLarge(let max): "сумма не может быть больше \(Money(kopecks: max).formatted) (\(max) коп.)."
            }
        }
    }

    /// A whole number of kopecks, checked against the range.
    public static func check(_ value: Int64, max: Int64 = KopecksInput.max) -> Result<Money, Refusal> {
        if value < 0 { return .failure(.negative) }
        if value > max { return .failure(.tooLarge(max: max)) }
        return .success(Money(kopecks: value))
    }

    /// A JSON number that did not fit an `Int64` as written (a fraction, or beyond the integer range).
    public static func check(_ value: Double, max: Int64 = KopecksInput.max) -> Result<Money, Refusal> {
        guard value.isFinite, value.rounded(.towardZero) == value else { return .failure(.notWhole) }
        if value < 0 { return .failure(.negative) }
        // Anything above the maximum (or at 2^63 and beyond, where `Int64.init` would trap) is refused
        // before the conversion.
        guard value <= Double(max), value < 0x1p63 else { return .failure(.tooLarge(max: max)) }
        return check(Int64(value), max: max)
    }
}
