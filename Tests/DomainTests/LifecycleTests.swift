import Domain
import Foundation
import Testing

/// The lifecycles of Domain against the tables of domain.md, over random event sequences: every step that is taken
/// is an edge of the table and taken by an actor the table allows, every other step is refused with a Russian
/// reason and changes nothing, and the invariants hold after every step.
@Suite struct LifecycleTests {
    static let seeds: [UInt64] = [1, 7, 42, 2026, 0xC0FFEE]
    static let persons: [Actor] = Role.allCases.map { .person($0) } + [.system]

    static func isRussian(_ s: String) -> Bool { s.unicodeScalars.contains { (0x0400...0x04FF).contains($0.value) } }

    static func checkRefusal(_ r: Refusal, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!r.code.isEmpty && !r.field.isEmpty && isRussian(r.message), "\(r)", sourceLocation: sourceLocation)
    }

    // MARK: contracts

    /// Domain §7 as a table: (from, event, to) and who may take the step.
    static func contractEdge(_ from: ContractStatus, _ e: ContractEvent) -> (to: Set<ContractStatus>, actors: Set<Actor>)? {
        switch (from, e) {
        case (.applied, .offer): ([.offered], [.provider])
        case (.applied, .reject): ([.rejected], [.provider])
        case (.applied, .withdraw), (.offered, .withdraw): ([.withdrawn], [.parent])
        case (.offered, .accept): ([.active], [.parent])
        case (.active, .notice): ([.terminating, .terminated], [.parent, .provider])
        case (.applied, .expire), (.offered, .expire): ([.expired], [.system])
        case (.active, .finish), (.terminating, .finish): ([.terminated], [.system])
        case (.active, .prolong): ([.terminated], [.system])
        default: nil
        }
    }

    static func randomEvent(_ r: inout SeededRandom) -> ContractEvent {
        switch Int.random(in: 0..<8, using: &r) {
        case 0: .offer
        case 1: .reject(reason: ["", "  ", "Нет мест для этого возраста", String(repeating: "я", count: 501)][Int.random(in: 0..<4, using: &r)])
        case 2: .withdraw
        case 3: .accept
        case 4: .notice
        case 5: .expire
        case 6: .finish
        default: .prolong
        }
    }

    @Test func contractStepsFollowTheTableAndKeepPlaceAndMoney() throws {
        let start = LocalDate(iso: "2026-09-01")!, end = LocalDate(iso: "2027-05-31")!
        let months = (0..<9).map { i -> MonthPart in
            let d = LocalDate(year: 2026 + (8 + i) / 12, month: (8 + i) % 12 + 1, day: 1)!
            return MonthPart(month: MonthPart.key(year: d.year, month: d.month), certificate: 1_000_00 + Int64(i), parent: 0)
        }
        let total = months.reduce(0) { $0 + $1.certificate }
        for seed in Self.seeds {
            var r = SeededRandom(seed: seed)
            for _ in 0..<300 {
                let origin: ContractOrigin = [.application, .waitingList, .prolongation(consent: true), .prolongation(consent: false)][Int.random(in: 0..<4, using: &r)]
                let now0 = Date(timeIntervalSince1970: 1_790_000_000)
                var (status, due) = ContractLifecycle.start(origin, now: now0)
                #expect(status.isLive)
                var place = 1, kept = total, contractEnd = end
                for _ in 0..<12 {
                    let event = Self.randomEvent(&r)
                    let actor = Self.persons[Int.random(in: 0..<Self.persons.count, using: &r)]
                    let now = now0.addingTimeInterval(Double(Int.random(in: 0...40, using: &r)) * 86_400)
                    let today = start.adding(days: Int.random(in: -30...300, using: &r))
                    let context = ContractContext(now: now, today: today, answerDue: due, start: start, end: contractEnd)
                    switch ContractLifecycle.next(status, event, by: actor, context) {
                    case .success(let t):
                        let edge = try #require(Self.contractEdge(status, event), "\(status) \(event) is not in the table")
                        #expect(edge.to.contains(t.to) && edge.actors.contains(actor), "\(status) -\(event)/\(actor)-> \(t.to)")
                        #expect(t.from == status)
                        switch t.release {
                        case .nothing: break
                        case .all: kept = 0
                        case .monthsAfter(let last): kept = max(0, kept - EnrollmentRules.released(months: months, end: last))
                        }
                        switch t.place {
                        case .kept: break
                        case .freed, .passedOn: place -= 1
                        }
                        switch t.deadline {
                        case .unchanged: break
                        case .cleared: due = nil
                        case .due(let d): due = d
                        }
                        if let e = t.endsOn { contractEnd = e }
                        if case .reject = event { #expect(t.reason.map { ContractLifecycle.reasonLength.contains($0.count) } == true) }
                        if event == .expire { #expect(due == nil && context.answerDue.map { $0 < now } == true) }
                        if event == .finish { #expect(context.end < today) }
                        if event == .notice {
                            // What stays held is exactly the months up to the one notice ends with (none before the start).
                            let last = t.to == .terminating ? t.endsOn.map { MonthPart.key(year: $0.year, month: $0.month) } : nil
                            #expect(kept == months.filter { m in last.map { m.month <= $0 } ?? false }.reduce(0) { $0 + $1.certificate })
                        }
                        status = t.to
                    case .failure(let refusal):
                        Self.checkRefusal(refusal)
                        let allowed = ContractLifecycle.allowed(event).contains(actor)
                        #expect((refusal.kind == .forbidden) == !allowed, "\(status) \(event) \(actor): \(refusal)")
                    }
                    // Invariants: a live contract keeps its place; a closed application keeps no money.
                    #expect(place == (status.isLive ? 1 : 0), "\(status) place \(place)")
                    #expect(place >= 0 && kept >= 0 && kept <= total)
                    if [.rejected, .withdrawn, .expired].contains(status) { #expect(kept == 0) }
                    if ContractStatus.awaitingAnswer.contains(status) { #expect(due != nil && kept == total) }
                    if status == .active || status == .terminating { #expect(due == nil) }
                }
                // A final status has no way out.
                if status.isFinal {
                    for e in [ContractEvent.offer, .reject(reason: "Причина отказа"), .withdraw, .accept, .notice, .expire, .finish, .prolong] {
                        for a in Self.persons {
                            let far = ContractContext(now: .distantFuture, today: LocalDate(iso: "2099-01-01")!, answerDue: .distantPast, start: start, end: end)
                            #expect(throws: Refusal.self) { try ContractLifecycle.next(status, e, by: a, far).get() }
                        }
                    }
                }
            }
        }
    }

    @Test func noticeEndsWithTheMonthAndReleasesTheLaterMonths() throws {
        let start = LocalDate(iso: "2026-09-01")!, end = LocalDate(iso: "2027-05-31")!
        let context = ContractContext(now: Date(), today: LocalDate(iso: "2026-11-15")!, answerDue: nil, start: start, end: end)
        let t = try ContractLifecycle.next(.active, .notice, by: .parent, context).get()
        #expect(t.to == .terminating && t.endsOn == LocalDate(iso: "2026-11-30") && t.release == .monthsAfter(LocalDate(iso: "2026-11-30")))
        #expect(t.place == .kept)
        // Before the first day: over at once, nothing kept, the place freed.
        let early = ContractContext(now: Date(), today: LocalDate(iso: "2026-08-20")!, answerDue: nil, start: start, end: end)
        let u = try ContractLifecycle.next(.active, .notice, by: .provider, early).get()
        #expect(u.to == .terminated && u.release == .monthsAfter(nil) && u.place == .freed && u.endsOn == start)
        // The provider cannot accept for the parent; the parent cannot answer for the provider.
        #expect(ContractLifecycle.next(.offered, .accept, by: .provider, context).failureKind == .forbidden)
        #expect(ContractLifecycle.next(.applied, .offer, by: .parent, context).failureKind == .forbidden)
        #expect(ContractLifecycle.next(.applied, .offer, by: .municipality, context).failureKind == .forbidden)
    }

    // MARK: prolongation marks

    @Test func prolongationMarksFollowTheirTable() {
        for seed in Self.seeds {
            var r = SeededRandom(seed: seed)
            for _ in 0..<200 {
                var mark: ProlongationMark? = nil
                for _ in 0..<8 {
                    let events: [ProlongationEvent] = [.announce, .choose(prolong: true), .choose(prolong: false), .carry, .skip]
                    let e = events[Int.random(in: 0..<events.count, using: &r)]
                    let a = Self.persons[Int.random(in: 0..<Self.persons.count, using: &r)]
                    switch ProlongationLifecycle.next(mark, e, by: a, ()) {
                    case .success(let next):
                        if case .choose = e { #expect(a == .parent) } else { #expect(a == .system) }
                        #expect(mark?.isSettled != true || next == mark, "\(String(describing: mark)) \(e) → \(String(describing: next))")
                        if case .choose(false) = e { #expect(next == .declined) }
                        if e == .carry { #expect(mark != .declined && next == .done) }
                        mark = next
                    case .failure(let refusal):
                        Self.checkRefusal(refusal)
                    }
                }
            }
        }
    }

    // MARK: certificates

    @Test func certificateStepsFollowTheTable() {
        let events: [CertificateEvent] = [.apply, .confirm, .reject(reason: "Документы не совпадают"), .reject(reason: " "), .freeze, .unfreeze,
                                          .toFinancing, .toAccounting, .close]
        for seed in Self.seeds {
            var r = SeededRandom(seed: seed)
            for _ in 0..<300 {
                var state: CertificateState? = nil
                for _ in 0..<10 {
                    let e = events[Int.random(in: 0..<events.count, using: &r)]
                    let a = Self.persons[Int.random(in: 0..<Self.persons.count, using: &r)]
                    switch CertificateLifecycle.next(state, e, by: a) {
                    case .success(let next):
                        #expect(CertificateLifecycle.allowed(e).contains(a))
                        switch e {
                        case .apply: #expect(state == nil || state?.status == .rejected); #expect(next.status == .pending)
                        case .confirm: #expect(state?.status == .pending && next.status == .active)
                        case .reject: #expect(state?.status == .pending && next.status == .rejected)
                        case .freeze, .unfreeze: #expect(state?.status == .active && next.frozen == (e == .freeze))
                        case .toFinancing: #expect(state?.usable == true && next.kind == .financing)
                        case .toAccounting: #expect(state?.kind == .financing && next.kind == .accounting)
                        case .close: #expect(state?.status == .active && next.status == .closed)
                        }
                        state = next
                    case .failure(let refusal):
                        Self.checkRefusal(refusal)
                        #expect((refusal.kind == .forbidden) == !CertificateLifecycle.allowed(e).contains(a))
                    }
                    // Only a confirmed certificate is ever ПФ or frozen by a step; a closed one stays closed.
                    if let s = state, s.status == .pending { #expect(s.kind == .accounting && !s.frozen) }
                }
                if state?.status == .closed {
                    for e in events where e != .toAccounting {
                        #expect(throws: Refusal.self) { try CertificateLifecycle.next(state, e, by: CertificateLifecycle.allowed(e).first!).get() }
                    }
                }
            }
        }
    }

    // MARK: periods

    /// A municipality's periods under random steps: never two current or two next periods, a closed period never
    /// opens again, and only a next period becomes current.
    @Test func periodsNeverOverlapInStatus() {
        for seed in Self.seeds {
            var r = SeededRandom(seed: seed)
            for _ in 0..<200 {
                var periods: [PeriodStatus] = []
                for _ in 0..<16 {
                    if Int.random(in: 0..<4, using: &r) == 0, periods.filter({ $0 != .closed }).count < 2 {
                        periods.append(PeriodLifecycle.start(hasCurrent: periods.contains(.current)))
                        continue
                    }
                    guard !periods.isEmpty else { continue }
                    let i = Int.random(in: 0..<periods.count, using: &r)
                    let others = periods.enumerated().filter { $0.offset != i }.map(\.element)
                    let context = PeriodContext(hasCurrent: others.contains(.current), hasNext: others.contains(.next))
                    let events: [PeriodEvent] = [.open, .close, .contracting(open: true), .contracting(open: false)]
                    let e = events[Int.random(in: 0..<events.count, using: &r)]
                    let a: Actor = [.municipality, .system, .parent, .provider][Int.random(in: 0..<4, using: &r)]
                    switch PeriodLifecycle.next(periods[i], e, by: a, context) {
                    case .success(let next):
                        #expect(a == .municipality || a == .system)
                        if e == .open { #expect(periods[i] != .closed && next == .current) }
                        if e == .close { #expect(periods[i] == .current && next == .closed) }
                        periods[i] = next
                    case .failure(let refusal):
                        Self.checkRefusal(refusal)
                    }
                    #expect(periods.filter { $0 == .current }.count <= 1 && periods.filter { $0 == .next }.count <= 1, "\(periods)")
                }
            }
        }
    }

    // MARK: waiting lists

    @Test func waitingListEntriesFollowTheTable() {
        let events: [WaitlistEvent] = [.offer, .leave, .drop, .settle(.enrolled), .settle(.left), .settle(.dropped), .settle(.waiting)]
        for seed in Self.seeds {
            var r = SeededRandom(seed: seed)
            for _ in 0..<200 {
                var s = WaitlistStatus.waiting
                for _ in 0..<6 {
                    let e = events[Int.random(in: 0..<events.count, using: &r)]
                    let a = Self.persons[Int.random(in: 0..<Self.persons.count, using: &r)]
                    switch WaitlistLifecycle.next(s, e, by: a) {
                    case .success(let next):
                        switch e {
                        case .leave: #expect(a == .parent && s == .waiting && next == .left)
                        case .offer: #expect(a == .system && s == .waiting && next == .offered)
                        case .drop: #expect(a == .system && s == .waiting && next == .dropped)
                        case .settle(let to): #expect(a == .system && s == .offered && next == to && to != .waiting && to != .offered)
                        }
                        s = next
                    case .failure(let refusal):
                        Self.checkRefusal(refusal)
                    }
                }
                if [.enrolled, .left, .dropped].contains(s) {
                    for e in events { #expect(throws: Refusal.self) { try WaitlistLifecycle.next(s, e, by: .system).get() } }
                }
            }
        }
    }

    // MARK: moderation

    @Test func programModerationFollowsTheTable() {
        let events: [ProgramEvent] = [.submit, .certify, .refuse(reason: "Нет описания результатов"), .refuse(reason: ""), .moneyChanged, .archive]
        for seed in Self.seeds {
            var r = SeededRandom(seed: seed)
            for _ in 0..<200 {
                var s = ProgramStatus.draft
                for _ in 0..<8 {
                    let e = events[Int.random(in: 0..<events.count, using: &r)]
                    let a = Self.persons[Int.random(in: 0..<Self.persons.count, using: &r)]
                    let hasModules = Bool.random(using: &r)
                    switch ProgramLifecycle.next(s, e, by: a, hasModules) {
                    case .success(let next):
                        switch e {
                        case .submit: #expect(a == .provider && s.maySubmit && hasModules && next == .certification)
                        case .certify: #expect(a == .operator_ && s == .certification && next == .certified)
                        case .refuse: #expect(a == .operator_ && s == .certification && next == .refused)
                        case .moneyChanged: #expect(s != .archived && (next == .certification || next == s))
                        case .archive: #expect((a == .provider || a == .operator_) && next == .archived)
                        }
                        s = next
                    case .failure(let refusal):
                        Self.checkRefusal(refusal)
                    }
                    // Only the operator certifies.
                    if s == .certified { #expect(true) }
                }
                if s == .archived {
                    for e in events where e != .archive {
                        #expect(throws: Refusal.self) { try ProgramLifecycle.next(s, e, by: .operator_, true).get() }
                        #expect(throws: Refusal.self) { try ProgramLifecycle.next(s, e, by: .provider, true).get() }
                    }
                }
            }
        }
    }

    @Test func providerModerationAndAgreementsFollowTheirTables() {
        let events: [ProviderEvent] = [.approve, .refuse(reason: "Нет лицензии"), .ban(reason: "Нарушения"), .ban(reason: ""), .edit]
        for seed in Self.seeds {
            var r = SeededRandom(seed: seed)
            for _ in 0..<200 {
                var s = ProviderStatus.new
                for _ in 0..<8 {
                    let e = events[Int.random(in: 0..<events.count, using: &r)]
                    let a = Self.persons[Int.random(in: 0..<Self.persons.count, using: &r)]
                    switch ProviderLifecycle.next(s, e, by: a) {
                    case .success(let next):
                        switch e {
                        case .approve: #expect(a == .operator_ && (s == .new || s == .refused) && next == .active)
                        case .refuse: #expect(a == .operator_ && s == .new && next == .refused)
                        case .ban: #expect(a == .operator_ && next == .banned)
                        case .edit: #expect(s != .banned && next == (s == .refused ? .new : s))
                        }
                        s = next
                    case .failure(let refusal):
                        Self.checkRefusal(refusal)
                    }
                }
                if s == .banned {
                    #expect(throws: Refusal.self) { try ProviderLifecycle.next(s, .approve, by: .operator_).get() }
                    #expect(throws: Refusal.self) { try ProviderLifecycle.next(s, .edit, by: .provider).get() }
                }
            }
            var agreement: AgreementStatus? = nil
            for _ in 0..<50 {
                let e: AgreementEvent = Bool.random(using: &r) ? .conclude : .terminate
                switch AgreementLifecycle.next(agreement, e, by: .municipality) {
                case .success(let next):
                    #expect(e == .conclude ? agreement != .active && next == .active : agreement == .active && next == .terminated)
                    agreement = next
                case .failure(let refusal):
                    Self.checkRefusal(refusal)
                    #expect(e == .conclude ? agreement == .active : agreement != .active)
                }
            }
            #expect(AgreementLifecycle.next(nil, .conclude, by: .provider).failureKind == .forbidden)
        }
    }

    // MARK: invoices and disputes

    @Test func invoicesAndDisputesFollowTheirTables() {
        let today = LocalDate(iso: "2026-12-07")!
        let events: [InvoiceEvent] = [.take, .pay(order: "1234", on: today), .pay(order: "", on: today),
                                      .pay(order: "1", on: today.adding(days: 1)), .delete(reason: "Ошибка в счёте"), .delete(reason: " ")]
        for seed in Self.seeds {
            var r = SeededRandom(seed: seed)
            for _ in 0..<200 {
                var s = InvoiceStatus.new
                for _ in 0..<6 {
                    let e = events[Int.random(in: 0..<events.count, using: &r)]
                    let a = Self.persons[Int.random(in: 0..<Self.persons.count, using: &r)]
                    switch InvoiceLifecycle.next(s, e, by: a, today) {
                    case .success(let next):
                        #expect(a == .municipality || a == .system)
                        switch e {
                        case .take: #expect(s == .new && next == .inWork)
                        case .pay: #expect((s == .new || s == .inWork) && next == .paid)
                        case .delete: #expect((s == .new || s == .inWork) && next == .deleted)
                        }
                        s = next
                    case .failure(let refusal): Self.checkRefusal(refusal)
                    }
                }
                if s == .paid || s == .deleted {
                    for e in events { #expect(throws: Refusal.self) { try InvoiceLifecycle.next(s, e, by: .municipality, today).get() } }
                }
            }
        }
        let nov = Month(year: 2026, month: 11)!
        #expect((try? DisputeLifecycle.open(month: nov, by: .parent, today: LocalDate(iso: "2026-12-10")!, text: "Занятия не проводились").get()) == .open)
        #expect(DisputeLifecycle.open(month: nov, by: .parent, today: LocalDate(iso: "2026-12-11")!, text: "Поздно").failureCode == "dispute_window")
        #expect(DisputeLifecycle.open(month: nov, by: .parent, today: LocalDate(iso: "2026-11-30")!, text: "Рано").failureCode == "dispute_window")
        #expect(DisputeLifecycle.open(month: nov, by: .provider, today: LocalDate(iso: "2026-12-02")!, text: "Я").failureKind == .forbidden)
        #expect(DisputeLifecycle.open(month: nov, by: .parent, today: LocalDate(iso: "2026-12-02")!, text: "  ").failureKind == .invalid)
        let reported = Completeness(hundredths: 9_000)!
        #expect((try? DisputeLifecycle.next(.open, .uphold(Completeness(hundredths: 5_000)!), by: .municipality, reported).get()) == .upheld)
        #expect(DisputeLifecycle.next(.open, .uphold(.full), by: .municipality, reported).failureKind == .invalid)
        #expect((try? DisputeLifecycle.next(.open, .reject, by: .municipality, reported).get()) == .rejected)
        #expect(DisputeLifecycle.next(.upheld, .reject, by: .municipality, reported).failureCode == "decided")
        #expect(DisputeLifecycle.next(.open, .reject, by: .parent, reported).failureKind == .forbidden)
    }
}

extension Result where Failure == Refusal {
    var failureKind: Refusal.Kind? {
        if case .failure(let r) = self { return r.kind }
        return nil
    }

    var failureCode: String? {
        if case .failure(let r) = self { return r.code }
        return nil
    }
}
