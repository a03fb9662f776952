import Domain
import Testing

@Suite struct EnrollmentRulesTests {
    func date(_ s: String) -> LocalDate { LocalDate(iso: s)! }

    func facts(_ change: (inout ApplicationFacts) -> Void = { _ in }) -> ApplicationFacts {
        var f = ApplicationFacts(today: date("2026-09-10"), start: date("2026-09-15"), programStatus: .certified, providerActive: true,
                                 funding: .certificate, ageFromMonths: 84, ageToMonths: 143, normative: 1_638_000, groupOpen: true,
                                 groupStart: date("2026-09-01"), groupEnd: date("2027-05-31"), enrollFrom: nil, enrollUntil: nil,
                                 birth: date("2017-03-01"), certificateStatus: .active, certificateFrozen: false,
                                 certificateFinancing: true, hasLiveContractInModule: false,
                                 periodStart: date("2026-01-01"), periodEnd: date("2026-12-31"), contractingOpen: true)
        change(&f)
        return f
    }

    func code(_ f: ApplicationFacts) -> String? {
        if case .failure(let r) = EnrollmentRules.check(f) { return r.code }
        return nil
    }

    @Test func theContractEndsWithTheGroupOrThePeriod() throws {
        #expect(try EnrollmentRules.check(facts()).get() == date("2026-12-31"))
        #expect(try EnrollmentRules.check(facts { $0.periodEnd = date("2027-08-31") }).get() == date("2027-05-31"))
    }

    @Test func everyCheckOfTheApplicationRefusesWithItsCode() {
        #expect(code(facts { $0.programStatus = .certification }) == "program_unavailable")
        #expect(code(facts { $0.providerActive = false }) == "program_unavailable")
        #expect(code(facts { $0.groupOpen = false }) == "group_closed")
        #expect(code(facts { $0.enrollFrom = date("2026-09-20") }) == "enrollment_not_started")
        #expect(code(facts { $0.enrollUntil = date("2026-09-05") }) == "enrollment_over")
        #expect(code(facts { $0.normative = nil }) == "program_unavailable")
        #expect(code(facts { $0.normative = nil; $0.funding = .free }) == nil)
        #expect(code(facts { $0.certificateStatus = .pending }) == "certificate_not_active")
        #expect(code(facts { $0.certificateStatus = .closed }) == "certificate_not_active")
        #expect(code(facts { $0.certificateFrozen = true }) == "certificate_frozen")
        #expect(code(facts { $0.sameRegion = false }) == "other_region")
        #expect(code(facts { $0.certificateFinancing = false }) == "certificate_kind")
        #expect(code(facts { $0.certificateFinancing = false; $0.funding = .free }) == nil)
        #expect(code(facts { $0.certificateFinancing = false; $0.funding = .paid }) == nil)
        #expect(code(facts { $0.hasLiveContractInModule = true }) == "duplicate")
        #expect(code(facts { $0.periodStart = nil; $0.periodEnd = nil }) == "no_period")
        #expect(code(facts { $0.contractingOpen = false }) == "contracting_closed")
        #expect(code(facts { $0.hasAgreement = false }) == "no_agreement")
        #expect(code(facts { $0.hasAgreement = false; $0.funding = .free }) == nil)
        #expect(code(facts { $0.hasAgreement = false; $0.funding = .paid }) == nil)
        #expect(code(facts { $0.start = date("2026-08-31") }) == "start_in_past")
        #expect(code(facts { $0.today = date("2026-10-10"); $0.start = date("2026-10-01") }) == nil)  // this month is fine
        #expect(code(facts { $0.start = date("2027-06-01"); $0.periodEnd = date("2027-12-31") }) == "start_outside_group")
        #expect(code(facts { $0.groupStart = date("2026-10-01") }) == "start_outside_group")
        #expect(code(facts { $0.start = date("2027-01-10"); $0.periodEnd = date("2026-12-31") }) == "start_outside_period")
        // Age on the start date: 7 years 0 months is the youngest, 11 years 11 months the oldest.
        #expect(code(facts { $0.birth = date("2019-09-16") }) == "age")
        #expect(code(facts { $0.birth = date("2019-09-15") }) == nil)
        #expect(code(facts { $0.birth = date("2014-09-15") }) == "age")
        #expect(code(facts { $0.birth = date("2014-09-16") }) == nil)
    }

    @Test func aProlongationSkipsWhatOnlyConcernsANewEnrollment() throws {
        func prolong(_ change: (inout ApplicationFacts) -> Void) -> Result<LocalDate, Refusal> {
            EnrollmentRules.prolongation(facts {
                $0.today = date("2027-01-03"); $0.start = date("2027-01-01")
                $0.periodStart = date("2027-01-01"); $0.periodEnd = date("2027-12-31")
                change(&$0)
            })
        }
        // The enrollment window and switches, the contract being prolonged, a start two days ago: no matter.
        #expect(try prolong { $0.groupOpen = false; $0.enrollUntil = date("2026-09-30"); $0.contractingOpen = false
            $0.hasLiveContractInModule = true }.get() == date("2027-05-31"))
        #expect(try prolong { $0.today = date("2027-02-10") }.get() == date("2027-05-31"))
        // What makes the new contract impossible still refuses.
        func refusal(_ change: (inout ApplicationFacts) -> Void) -> String? {
            if case .failure(let r) = prolong(change) { return r.code }
            return nil
        }
        #expect(refusal { $0.certificateFrozen = true } == "certificate_frozen")
        #expect(refusal { $0.certificateStatus = .closed } == "certificate_not_active")
        #expect(refusal { $0.hasAgreement = false } == "no_agreement")
        #expect(refusal { $0.programStatus = .archived } == "program_unavailable")
        #expect(refusal { $0.birth = date("2015-01-01") } == "age")  // 12 years on 1 January 2027, the program ends at 11
        #expect(refusal { $0.groupEnd = date("2026-12-31") } == "start_outside_group")
        #expect(refusal { $0.periodStart = nil; $0.periodEnd = nil } == "no_period")
    }

    @Test func aProlongationNeedsConsentOnlyWhenTheBalanceFallsShort() throws {
        func quote(_ balance: Int64, price: Int64 = 1_800_000) throws -> ContractArithmetic.Quote {
            try ContractArithmetic.quote(.init(groupStart: date("2026-09-01"), groupEnd: date("2027-05-31"), price: Money(kopecks: price),
                                               normative: Money(kopecks: 1_638_000), contractStart: date("2027-01-01"),
                                               contractEnd: date("2027-05-31"), balance: Money(kopecks: balance))).get()
        }
        // The balance covers the normative cost: the parent pays the same difference as before, no consent.
        #expect(!EnrollmentRules.prolongationNeedsConsent(funding: .certificate, quote: try quote(1_200_000)))
        // It does not: the parent's part grows.
        #expect(EnrollmentRules.prolongationNeedsConsent(funding: .certificate, quote: try quote(100_000)))
        #expect(EnrollmentRules.prolongationNeedsConsent(funding: .certificate, quote: try quote(0)))
        // A price under the normative cost, covered: no consent; free and paid programs never ask.
        #expect(!EnrollmentRules.prolongationNeedsConsent(funding: .certificate, quote: try quote(1_200_000, price: 900_000)))
        #expect(!EnrollmentRules.prolongationNeedsConsent(funding: .paid, quote: try quote(0)))
        #expect(!EnrollmentRules.prolongationNeedsConsent(funding: .free, quote: try quote(0, price: 0)))
    }

    @Test func ageInMonthsCountsCompleteMonths() {
        #expect(EnrollmentRules.ageInMonths(birth: date("2019-09-15"), on: date("2026-09-15")) == 84)
        #expect(EnrollmentRules.ageInMonths(birth: date("2019-09-15"), on: date("2026-09-14")) == 83)
        #expect(EnrollmentRules.ageInMonths(birth: date("2019-01-31"), on: date("2019-02-28")) == 1)
        #expect(EnrollmentRules.ageInMonths(birth: date("2019-01-31"), on: date("2019-02-27")) == 0)
        #expect(EnrollmentRules.ageInMonths(birth: date("2016-02-29"), on: date("2026-02-28")) == 120)
    }

    @Test func noticeEndsOnTheLastDayOfTheMonth() {
        let s = date("2026-09-01"), e = date("2027-05-31")
        #expect(EnrollmentRules.noticeEnd(day: date("2026-11-03"), start: s, end: e) == date("2026-11-30"))
        #expect(EnrollmentRules.noticeEnd(day: date("2027-05-20"), start: s, end: e) == date("2027-05-31"))
        #expect(EnrollmentRules.noticeEnd(day: date("2026-08-20"), start: s, end: e) == nil)
        #expect(EnrollmentRules.noticeEnd(day: date("2026-09-01"), start: date("2026-09-15"), end: e) == date("2026-09-30"))
    }

    /// Whatever the notice month, the months kept and the months released add up to the hold.
    @Test func releaseAtNoticePlusTheMonthsKeptIsTheHold() throws {
        var rng = SeededRandom(seed: 7)
        for _ in 0..<500 {
            let gs = date("2026-09-01").adding(days: Int(rng.next() % 60))
            let ge = gs.adding(days: 30 + Int(rng.next() % 300))
            let cs = gs.adding(days: Int(rng.next() % 20))
            let q = try ContractArithmetic.quote(.init(groupStart: gs, groupEnd: ge, price: Money(kopecks: Int64(rng.next() % 5_000_000)),
                                                       normative: Money(kopecks: Int64(rng.next() % 5_000_000)), contractStart: cs,
                                                       contractEnd: ge, balance: Money(kopecks: Int64(rng.next() % 5_000_000)))).get()
            let parts = MonthPart.from(q)
            #expect(MonthPart.decode(MonthPart.encode(parts)) == parts)
            let day = cs.adding(days: Int(rng.next() % UInt64(ge.dayNumber - cs.dayNumber + 40)) - 20)
            let end = EnrollmentRules.noticeEnd(day: day, start: cs, end: ge)
            let released = EnrollmentRules.released(months: parts, end: end)
            let kept = end.map { e in parts.filter { $0.month <= MonthPart.key(year: e.year, month: e.month) }.reduce(0) { $0 + $1.certificate } } ?? 0
            #expect(released + kept == q.certificate.kopecks)
            #expect(released >= 0 && kept >= 0)
        }
    }

    @Test func schedulesOverlapOnlyOnTheSameDayAndTime() throws {
        let a = try ScheduleSlot.parseList("пн 15:00-16:30; ср 15:00-16:30").get()
        #expect(EnrollmentRules.overlaps(a, try ScheduleSlot.parseList("ср 16:00-17:00").get()))
        #expect(!EnrollmentRules.overlaps(a, try ScheduleSlot.parseList("ср 16:30-17:00").get()))
        #expect(!EnrollmentRules.overlaps(a, try ScheduleSlot.parseList("вт 15:00-16:30").get()))
    }

    @Test func liveStatusesHoldThePlace() {
        #expect(ContractStatus.live == [.applied, .offered, .active, .terminating])
        #expect(!ContractStatus.terminated.isLive && !ContractStatus.expired.isLive)
        #expect(MonthPart(month: "2026-09", certificate: 1, parent: 0).title == "сентябрь 2026")
    }
}
