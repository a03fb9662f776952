import Domain
import Foundation
import Testing

@Suite struct PaymentRulesTests {
    func date(_ s: String) -> LocalDate { LocalDate(iso: s)! }

    @Test func weekdaysAndWorkingDays() {
        #expect(date("2026-12-07").weekday == 1 && date("2026-12-01").weekday == 2 && date("1970-01-01").weekday == 4)
        #expect(!WorkingDays.isWorking(date("2026-12-05")) && !WorkingDays.isWorking(date("2026-11-04")) && WorkingDays.isWorking(date("2026-11-05")))
        // 9 May 2026 is a Saturday: Monday 11 May is the day off instead.
        #expect(!WorkingDays.isWorking(date("2026-05-11")) && WorkingDays.isWorking(date("2026-05-12")))
        // The January holidays run to the 8th.
        #expect(WorkingDays.nth(1, of: Month(year: 2027, month: 1)!) == date("2027-01-11"))
        #expect(WorkingDays.nth(5, of: Month(year: 2026, month: 12)!) == date("2026-12-07"))
        #expect(WorkingDays.nth(2, of: Month(year: 2026, month: 11)!) == date("2026-11-03"))
    }

    @Test func windowsOfAMonth() {
        let nov = Month(year: 2026, month: 11)!
        #expect(PaymentRules.reportingWindow(nov) == date("2026-12-01")...date("2026-12-07"))
        #expect(PaymentRules.closeFrom(nov) == date("2026-12-08"))
        #expect(PaymentRules.disputeWindow(nov) == date("2026-12-01")...date("2026-12-10"))
        #expect(PaymentRules.due(issuedIn: Month(year: 2026, month: 12)!) == date("2027-01-10"))
        #expect(Month(key: "2026-12")?.next == Month(year: 2027, month: 1) && Month(key: "2027-01")?.previous.key == "2026-12")
        #expect(Month(key: "2026-13") == nil && Month(key: "26-1") == nil)
    }

    @Test func advanceFinalAndCorrectionToTheKopeck() {
        // Real cases: 80 % of 1 335,16 ₽ = 1 068,128 → 1 068,13; 87,5 % of 1 335,16 = 1 168,265 → 1 168,27.
        #expect(PaymentRules.advance(133_516) == 106_813)
        #expect(PaymentRules.final(133_516, Completeness(hundredths: 8_750)!) == 116_827)
        #expect(PaymentRules.correction(133_516, Completeness(hundredths: 8_750)!) == 16_689)
        #expect(PaymentRules.final(133_516, .full) == 133_516 && PaymentRules.final(133_516, .none) == 0)
        var r = SeededRandom(seed: 5)
        for _ in 0..<10_000 {
            let part = Int64.random(in: 0...10_000_000, using: &r)
            let c = Completeness(hundredths: Int.random(in: 0...10_000, using: &r))!
            let f = PaymentRules.final(part, c), a = PaymentRules.advance(part)
            #expect(f >= 0 && f <= part && PaymentRules.correction(part, c) + f == part)
            #expect(a >= 0 && a <= part)
            // Nearest kopeck: within half a kopeck of the exact share.
            #expect(abs(Double(f) - Double(part) * Double(c.hundredths) / 10_000) <= 0.5)
            #expect(abs(Double(a) - Double(part) * 0.8) <= 0.5)
        }
    }

    @Test func completenessIsReadAsPeopleWriteIt() {
        #expect(Completeness(percent: "87,5")?.hundredths == 8_750 && Completeness(percent: "100")?.hundredths == 10_000)
        #expect(Completeness(percent: "0")?.hundredths == 0 && Completeness(percent: " 66.67 % ")?.hundredths == 6_667)
        for bad in ["101", "-1", "87,555", "abc", "", "1e2", "50,"] { #expect(Completeness(percent: bad) == nil, "\(bad)") }
        #expect(Completeness(hundredths: 8_750)!.description == "87,5 %" && Completeness.full.description == "100 %")
        #expect(Completeness(hundredths: 6_667)!.description == "66,67 %")
    }
}
