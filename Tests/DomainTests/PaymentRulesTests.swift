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

    @Test func theCloseChargesEachOwedMonthOnceAndOnlyWhenItsTimeHasCome() {
        let parts = [MonthPart(month: "2026-09", certificate: 131_872, parent: 65_936), MonthPart(month: "2026-10", certificate: 133_516, parent: 66_758),
                     MonthPart(month: "2026-11", certificate: 133_516, parent: 66_758), MonthPart(month: "2026-12", certificate: 133_516, parent: 66_758)]
        let nov = Month(year: 2026, month: 11)!
        let s = LocalDate(iso: "2026-09-01")!, e = LocalDate(iso: "2027-05-31")!
        // Catch-up: every month up to November not charged yet; none for an application or a rejected one.
        #expect(MonthClose.owed(parts: parts, status: .active, start: s, end: e, through: nov, charged: ["2026-09"]).map(\.month) == ["2026-10", "2026-11"])
        #expect(MonthClose.owed(parts: parts, status: .offered, start: s, end: e, through: nov, charged: []).isEmpty)
        #expect(MonthClose.owed(parts: parts, status: .rejected, start: s, end: e, through: nov, charged: []).isEmpty)
        // A contract ended in October: November is not owed.
        #expect(MonthClose.owed(parts: parts, status: .terminated, start: s, end: LocalDate(iso: "2026-10-31")!, through: nov, charged: []).map(\.month)
                == ["2026-09", "2026-10"])
        // Charge, correction and final add up for every completeness.
        for h in stride(from: 0, through: 10_000, by: 37) {
            let o = MonthClose.outcome(part: 133_516, completeness: Completeness(hundredths: h)!)
            #expect(o.charge == 133_516 && o.final + o.correction == o.charge && o.correction >= 0)
        }
        #expect(MonthClose.outcome(part: 133_516, completeness: .full).correction == 0)
        // November 2026 closes from 8 December (the 5th working day is the 7th); the advance from 3 November.
        #expect(MonthClose.mayClose(nov, today: LocalDate(iso: "2026-12-07")!)?.code == "too_early")
        #expect(MonthClose.mayClose(nov, today: LocalDate(iso: "2026-12-08")!) == nil)
        #expect(MonthClose.mayReport(nov, today: LocalDate(iso: "2026-12-07")!, closed: false) == nil)
        #expect(MonthClose.mayReport(nov, today: LocalDate(iso: "2026-12-08")!, closed: false)?.code == "reporting_window")
        #expect(MonthClose.mayReport(nov, today: LocalDate(iso: "2026-12-03")!, closed: true)?.code == "month_closed")
        #expect(MonthClose.mayRequestAdvance(nov, today: LocalDate(iso: "2026-11-02")!)?.code == "advance_window")
        #expect(MonthClose.mayRequestAdvance(nov, today: LocalDate(iso: "2026-11-03")!) == nil)
        #expect(MonthClose.mayRequestAdvance(nov, today: LocalDate(iso: "2026-12-01")!)?.code == "advance_window")
        // A negative final invoice pays nothing and carries the rest.
        let neg = MonthClose.Settlement(finals: 100, advances: 250, carried: -30)
        #expect(neg.due == -180 && neg.payable == 0 && neg.carriedOut == -180)
    }

    @Test func aPeriodClosesAfterItsEndAndItsLastMonthAndOpensShortlyBeforeItsStart() {
        let s = LocalDate(iso: "2026-01-01")!, e = LocalDate(iso: "2026-12-31")!
        // 7 December 2026: the demo's early close is refused; so is 1 January before December's close.
        #expect(PeriodDates.mayClose(startsOn: s, endsOn: e, today: LocalDate(iso: "2026-12-07")!, lastMonthClosed: false)?.code == "period_not_ended")
        #expect(PeriodDates.mayClose(startsOn: s, endsOn: e, today: LocalDate(iso: "2027-01-01")!, lastMonthClosed: false)?.code == "last_month_open")
        #expect(PeriodDates.mayClose(startsOn: s, endsOn: e, today: LocalDate(iso: "2027-01-12")!, lastMonthClosed: true) == nil)
        let next = LocalDate(iso: "2027-01-01")!
        #expect(PeriodDates.mayOpen(startsOn: next, today: LocalDate(iso: "2026-12-07")!)?.code == "period_not_started")
        #expect(PeriodDates.mayOpen(startsOn: next, today: LocalDate(iso: "2026-12-18")!) == nil)
    }

    @Test func theIdentitiesCatchADoubleChargeAnEarlyChargeAndAWrongInvoice() {
        let nov = Month(year: 2026, month: 11)!
        let m = PaymentIdentities.ContractMonth(contract: "c", month: nov, part: 133_516, completeness: Completeness(hundredths: 8750)!,
                                                final: 116_827, corrected: 16_689, closedOn: LocalDate(iso: "2026-12-08")!, finalInvoice: "i")
        let inv = PaymentIdentities.Invoice(id: "i", number: "1", kind: .final, finals: 116_827, advances: 106_813, carried: 0, due: 10_014)
        let line = PaymentIdentities.Line(invoice: "i", contract: "c", month: nov, amount: 116_827, advance: 106_813)
        #expect(PaymentIdentities.verify(months: [m], charges: ["c": 133_516], corrections: ["c": 16_689], invoices: [inv], lines: [line]).isEmpty)
        #expect(!PaymentIdentities.verify(months: [m], charges: ["c": 267_032], corrections: ["c": 16_689], invoices: [inv], lines: [line]).isEmpty)
        #expect(!PaymentIdentities.verify(months: [m], charges: ["c": 133_516], corrections: [:], invoices: [inv], lines: [line]).isEmpty)
        let early = PaymentIdentities.ContractMonth(contract: "c", month: nov, part: 133_516, completeness: Completeness(hundredths: 8750)!,
                                                    final: 116_827, corrected: 16_689, closedOn: LocalDate(iso: "2026-11-30")!, finalInvoice: "i")
        #expect(!PaymentIdentities.verify(months: [early], charges: ["c": 133_516], corrections: ["c": 16_689], invoices: [inv], lines: [line]).isEmpty)
        let wrong = PaymentIdentities.Invoice(id: "i", number: "1", kind: .final, finals: 116_827, advances: 106_813, carried: 0, due: 116_827)
        #expect(!PaymentIdentities.verify(months: [m], charges: ["c": 133_516], corrections: ["c": 16_689], invoices: [wrong], lines: [line]).isEmpty)
    }
}
