import Domain
import Testing

@Suite struct ContractArithmeticTests {
    func date(_ s: String) -> LocalDate { LocalDate(iso: s)! }

    /// The worked example of domain.md §6.
    @Test func theSchoolYearExample() throws {
        let q = try ContractArithmetic.quote(.init(groupStart: date("2026-09-01"), groupEnd: date("2027-05-31"),
                                                   price: Money(kopecks: 1_800_000), normative: Money(kopecks: 1_638_000),
                                                   contractStart: date("2026-09-01"), contractEnd: date("2027-05-31"),
                                                   balance: Money(kopecks: 1_200_000))).get()
        #expect(q.groupDays == 273 && q.days == 273)
        #expect(q.full.kopecks == 1_800_000)
        #expect(q.normative.kopecks == 1_638_000)
        #expect(q.certificate.kopecks == 1_200_000)
        #expect(q.parent.kopecks == 600_000)
        #expect(q.months.count == 9)
        #expect(q.months[0].key == "2026-09")
        #expect(q.months[0].certificate.kopecks == 131_872 && q.months[0].parent.kopecks == 65_936)
        #expect(q.months.dropFirst().allSatisfy { $0.certificate.kopecks == 133_516 && $0.parent.kopecks == 66_758 })
        #expect(q.months.last?.key == "2027-05")
    }

    @Test func aPartContractIsProratedAndRoundedUp() throws {
        // 15 January – 31 May of a 273-day group: D = 137.
        let q = try ContractArithmetic.quote(.init(groupStart: date("2026-09-01"), groupEnd: date("2027-05-31"),
                                                   price: Money(kopecks: 1_800_000), normative: Money(kopecks: 1_638_000),
                                                   contractStart: date("2027-01-15"), contractEnd: date("2027-05-31"),
                                                   balance: Money(kopecks: 5_000_000))).get()
        #expect(q.days == 137)
        #expect(q.full.kopecks == 903_297)       // ceil(137 × 1 800 000 / 273) = ceil(903 296.7)
        #expect(q.normative.kopecks == 822_000)  // 137 × 1 638 000 / 273 = 822 000 exactly
        #expect(q.certificate.kopecks == 822_000)
        #expect(q.parent.kopecks == 81_297)
        #expect(q.months.map(\.key) == ["2027-01", "2027-02", "2027-03", "2027-04", "2027-05"])
    }

    @Test func refusalsNameTheField() {
        let bad = ContractArithmetic.quote(.init(groupStart: date("2026-09-01"), groupEnd: date("2027-05-31"),
                                                 price: Money(kopecks: -1), normative: Money(kopecks: 1),
                                                 contractStart: date("2026-08-01"), contractEnd: date("2026-07-01"),
                                                 balance: Money(kopecks: 0)))
        guard case .failure(let e) = bad else { Issue.record("accepted"); return }
        let fields = Set(e.refusals.map(\.field))
        #expect(fields.isSuperset(of: ["price", "contractStart", "contractEnd"]))
    }

    /// Amounts up to the API's documented maximum (100 million roubles) are taken; one kopeck more is refused.
    @Test func amountsAboveTheDocumentedMaximumAreRefused() {
        func quote(_ price: Int64, _ balance: Int64) -> [String] {
            switch ContractArithmetic.quote(.init(groupStart: date("2026-09-01"), groupEnd: date("2027-05-31"), price: Money(kopecks: price),
                                                  normative: Money(kopecks: price), contractStart: date("2026-09-01"),
                                                  contractEnd: date("2027-05-31"), balance: Money(kopecks: balance))) {
            case .success: []
            case .failure(let e): e.refusals.map(\.field)
            }
        }
        #expect(ContractArithmetic.maxAmount == 10_000_000_000)
        #expect(quote(10_000_000_000, 10_000_000_000) == [])
        #expect(quote(10_000_000_001, 0) == ["price", "normative"])
        #expect(quote(0, 10_000_000_001) == ["balance"])
    }

    /// Properties over random contracts: the months add up to the totals; the certificate never pays more
    /// than the price, the normative cost or the balance; the parent pays only the difference; every month
    /// but the first is equal, and no part is negative.
    @Test func propertiesOverRandomContracts() throws {
        var rng = SeededRandom(seed: 2026)
        for _ in 0..<20_000 {
            let gs = LocalDate(dayNumber: Int.random(in: 19_000...21_000, using: &rng))
            let ge = gs.adding(days: Int.random(in: 0...400, using: &rng))
            let span = ge.dayNumber - gs.dayNumber
            let cs = gs.adding(days: Int.random(in: 0...span, using: &rng))
            let ce = cs.adding(days: Int.random(in: 0...(ge.dayNumber - cs.dayNumber), using: &rng))
            let price = Int64.random(in: 0...10_000_000, using: &rng)
            let normative = Int64.random(in: 0...10_000_000, using: &rng)
            let balance = Int64.random(in: 0...10_000_000, using: &rng)
            let q = try ContractArithmetic.quote(.init(groupStart: gs, groupEnd: ge, price: Money(kopecks: price),
                                                       normative: Money(kopecks: normative), contractStart: cs,
                                                       contractEnd: ce, balance: Money(kopecks: balance))).get()
            #expect(q.months.reduce(0) { $0 + $1.certificate.kopecks } == q.certificate.kopecks)
            #expect(q.months.reduce(0) { $0 + $1.parent.kopecks } == q.parent.kopecks)
            #expect(q.certificate <= q.full && q.certificate <= q.normative && q.certificate.kopecks <= balance)
            #expect(q.certificate + q.parent == q.full)
            #expect(q.full.kopecks <= price)
            #expect(q.certificate.kopecks == min(q.full.kopecks, q.normative.kopecks, balance))
            #expect(q.months.allSatisfy { $0.certificate.kopecks >= 0 && $0.parent.kopecks >= 0 })
            #expect(Set(q.months.dropFirst().map(\.certificate)).count <= 1)
            if ce == ge && cs == gs { #expect(q.full.kopecks == price) }
        }
    }
}
