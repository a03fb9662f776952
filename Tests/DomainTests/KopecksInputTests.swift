import Domain
import Testing

@Suite struct KopecksInputTests {
    @Test func wholeNumbersInRangeAreAmounts() {
        #expect(KopecksInput.max == 10_000_000_000)
        #expect(ContractArithmetic.maxAmount == KopecksInput.max)
        #expect(KopecksInput.check(Int64(0)) == .success(Money(kopecks: 0)))
        #expect(KopecksInput.check(Int64(1)) == .success(Money(kopecks: 1)))
        #expect(KopecksInput.check(Int64(10_000_000_000)) == .success(Money(kopecks: 10_000_000_000)))
        #expect(KopecksInput.check(Int64(10_000_000_001)) == .failure(.tooLarge(max: 10_000_000_000)))
        #expect(KopecksInput.check(Int64(-1)) == .failure(.negative))
        #expect(KopecksInput.check(Int64.max) == .failure(.tooLarge(max: 10_000_000_000)))
        #expect(KopecksInput.check(Int64.min) == .failure(.negative))
        #expect(KopecksInput.check(Int64(5), max: 4) == .failure(.tooLarge(max: 4)))
    }

    /// A number written with a fraction or an exponent: a whole value is the same amount (`1.0` is `1`);
    /// a fraction of a kopeck, a non-finite value and anything beyond the range are refused, never trapped on.
    @Test func numbersThatDidNotFitAnInteger() {
        #expect(KopecksInput.check(1.0) == .success(Money(kopecks: 1)))
        #expect(KopecksInput.check(0.0) == .success(Money(kopecks: 0)))
        #expect(KopecksInput.check(-0.0) == .success(Money(kopecks: 0)))
        #expect(KopecksInput.check(1e10) == .success(Money(kopecks: 10_000_000_000)))
        #expect(KopecksInput.check(1.5) == .failure(.notWhole))
        #expect(KopecksInput.check(-0.5) == .failure(.notWhole))
        #expect(KopecksInput.check(-1.0) == .failure(.negative))
        #expect(KopecksInput.check(10_000_000_001.0) == .failure(.tooLarge(max: 10_000_000_000)))
        #expect(KopecksInput.check(1e300) == .failure(.tooLarge(max: 10_000_000_000)))
        #expect(KopecksInput.check(0x1p63, max: .max) == .failure(.tooLarge(max: .max)))
        #expect(KopecksInput.check(9.2e18, max: .max) == .success(Money(kopecks: 9_200_000_000_000_000_000)))
        #expect(KopecksInput.check(Double.nan) == .failure(.notWhole))
        #expect(KopecksInput.check(Double.infinity) == .failure(.notWhole))
        #expect(KopecksInput.check(-Double.infinity) == .failure(.notWhole))
    }

    @Test func refusalsSpeakRussian() {
        #expect(KopecksInput.Refusal.notWhole.message == "ожидается целое число копеек.")
        #expect(KopecksInput.Refusal.negative.message == "сумма не может быть отрицательной.")
        #expect(KopecksInput.Refusal.tooLarge(max: KopecksInput.max).message.contains("100\u{202F}000\u{202F}000,00"))
        #expect(KopecksInput.Refusal.tooLarge(max: KopecksInput.max).message.contains("10000000000 коп."))
    }

    /// Property: over random whole numbers the check accepts exactly 0…max and gives back the same value;
    /// over random doubles it accepts only whole values in range, equal to the double.
    @Test func propertiesOverRandomNumbers() {
        var rng = SeededRandom(seed: 64)
        for _ in 0..<20_000 {
            let i = Int64.random(in: -20_000_000_000...20_000_000_000, using: &rng)
            switch KopecksInput.check(i) {
            case .success(let m): #expect((0...KopecksInput.max).contains(i) && m.kopecks == i)
            case .failure: #expect(!(0...KopecksInput.max).contains(i))
            }
            let d = Bool.random(using: &rng) ? Double(i) : Double.random(in: -2e10...2e10, using: &rng) * (Bool.random(using: &rng) ? 1 : 1e-9)
            switch KopecksInput.check(d) {
            case .success(let m): #expect(d.rounded() == d && Double(m.kopecks) == d && m.kopecks >= 0 && m.kopecks <= KopecksInput.max)
            case .failure(.notWhole): #expect(d.rounded() != d)
            case .failure: #expect(d.rounded() == d)
            }
        }
    }
}
