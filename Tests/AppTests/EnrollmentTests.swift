@testable import App
import Domain
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting

/// A certified program of СЮТ г. Осинники (syut@osinniki.example) with one module and one group.
struct EnrollmentFixture {
    let groupID: UUID
    let moduleID: UUID
    let programID: UUID
    let municipalityID: UUID
    let familyID: UUID
    let periodID: UUID

    static func make(_ app: Application, capacity: Int = 10, funding: FundingKind = .certificate, price: Int64 = 1_800_000,
                     normative: Int64? = 1_638_000, ages: ClosedRange<Int> = 84...167) async throws -> EnrollmentFixture {
        let db = app.db
        guard let staff = try await UserModel.query(on: db).filter(\.$email == "syut@osinniki.example").first(),
              let providerID = staff.providerID, let provider = try await ProviderModel.find(providerID, on: db),
              let family = try await UserModel.query(on: db).filter(\.$email == "parent@osinniki.example").first(),
              let period = try await PeriodModel.query(on: db).filter(\.$municipalityID == provider.municipalityID)
                  .filter(\.$status == .current).first() else { throw Abort(.internalServerError, reason: "demo missing") }
        let builder = CertifiedProgramBuilder(name: "Юный конструктор", annotation: "Конструирование и моделирование для школьников.",
                                              funding: funding, price: price, normative: normative, ageMonths: ages, capacity: capacity,
                                              groupStart: LocalDate(iso: "2026-09-01")!, groupEnd: LocalDate(iso: "2027-05-31")!)
        let (p, groups) = try await builder.create(for: provider, on: db)
        let g = groups[0]
        return EnrollmentFixture(groupID: g.id!, moduleID: g.moduleID, programID: p.id!, municipalityID: p.municipalityID,
                                 familyID: family.id!, periodID: period.id!)
    }

    /// Children of the demo parent with confirmed certificates (ПФ with `balance` granted, or учёта).
    func children(_ app: Application, _ count: Int, financing: Bool = true, balance: Int64 = 1_000_000,
                  birth: String = "2016-03-10") async throws -> [ChildModel] {
        var out: [ChildModel] = []
        let base = Int.random(in: 100_000...800_000) * 100
        for i in 0..<count {
            let c = ChildModel()
            c.familyID = familyID
            c.regionCode = "42"
            c.municipalityID = municipalityID
            c.surname = "Тестов"
            c.name = "Ребёнок\(i)"
            c.patronymic = ""
            c.birthDate = birth
            c.sex = "male"
            c.snils = DemoPlan.snils(forChild: base + i)
            c.birthCertificateSeries = "I-ЛО"
            c.birthCertificateNumber = String(format: "%06d", i)
            try await c.create(on: app.db)
            let cert = CertificateModel()
            cert.childID = c.id!
            cert.familyID = familyID
            cert.regionCode = "42"
            cert.municipalityID = municipalityID
            cert.number = String(format: "4233%06d", 900_000 + (base / 100 + i) % 99_999)
            cert.kind = financing ? .financing : .accounting
            cert.status = .active
            cert.frozen = false
            cert.closesOn = "2034-03-10"
            try await cert.create(on: app.db)
            if financing && balance > 0 {
                try await app.ledger.post(.init(certificateID: cert.id!, periodID: periodID, kind: .grant, amount: balance,
                                                key: "test-grant:\(cert.id!)"), on: app.db)
            }
            out.append(c)
        }
        return out
    }
}

struct ApplicationJSON: Decodable {
    struct Month: Decodable {
        let month: String
        let certificate: Int64
        let parent: Int64
    }
    let id: UUID
    let status: String
    let start: String
    let end: String
    let full: Int64
    let certificate: Int64
    let parent: Int64
    let months: [Month]
}

func decode<T: Decodable>(_ type: T.Type, _ res: TestingHTTPResponse) throws -> T {
    let d = JSONDecoder()
    d.dateDecodingStrategy = .iso8601
    return try d.decode(T.self, from: res.body)
}

/// Applies for every (child, group) pair at once; each outcome is "ok" or the refusal's code.
func applyAtOnce(_ service: Enrollment, _ pairs: [(ChildModel, UUID)]) async throws -> [String] {
    try await withThrowingTaskGroup(of: String.self) { g in
        for (kid, group) in pairs {
            g.addTask {
                do {
                    _ = try await service.apply(child: kid, groupID: group, start: nil)
                    return "ok"
                } catch let e as Refusal {
                    return e.code
                }
            }
        }
        var out: [String] = []
        for try await o in g { out.append(o) }
        return out
    }
}

func expectClean(_ app: Application, sourceLocation: SourceLocation = #_sourceLocation) async throws {
    let v = try await app.ledger.verify(on: app.db)
    #expect(v.problems.isEmpty, "\(v.problems)", sourceLocation: sourceLocation)
    let e = try await Enrollment(app: app).verify(on: app.db)
    #expect(e.problems.isEmpty, "\(e.problems)", sourceLocation: sourceLocation)
    let p = try await PaymentVerifier().verify(on: app.db.sql)
    #expect(p.problems.isEmpty, "\(p.problems)", sourceLocation: sourceLocation)
}

@Suite struct EnrollmentTests {
    @Test func applicationOfferContractAndNoticeMoveThePlaceAndTheMoney() async throws {
        try await withNavigator(demoChildren: 0) { app in
            let f = try await EnrollmentFixture.make(app)
            let child = try await f.children(app, 1, balance: 1_200_000)[0]
            let parent = try await apiToken(app, "parent@osinniki.example")
            let provider = try await apiToken(app, "syut@osinniki.example")
            let rival = try await apiToken(app, "robostart@osinniki.example")
            let stranger = try await apiToken(app, "parent@barnaul.example")

            // The quote of the stored group is the §6 arithmetic of the same inputs (today is 22 November 2026).
            let quote = try await apiGet(app, "/api/v1/groups/\(f.groupID)/quote?child=\(child.id!)", token: parent)
            #expect(quote.status == .ok, "\(quote.text)")
            let expected = try ContractArithmetic.quote(.init(
                groupStart: LocalDate(iso: "2026-09-01")!, groupEnd: LocalDate(iso: "2027-05-31")!, price: Money(kopecks: 1_800_000),
                normative: Money(kopecks: 1_638_000), contractStart: LocalDate(iso: "2026-11-22")!, contractEnd: LocalDate(iso: "2026-12-31")!,
                balance: Money(kopecks: 1_200_000))).get()
            #expect(quote.text.contains("\"certificate\":\(expected.certificate.kopecks)"), "\(quote.text)")
            #expect(try await apiGet(app, "/api/v1/groups/\(f.groupID)/quote?child=\(child.id!)", token: stranger).status == .notFound)

            let res = try await apiPost(app, "/api/v1/applications", #"{"group":"\#(f.groupID)","child":"\#(child.id!)"}"#, token: parent)
            #expect(res.status == .created, "\(res.text)")
            let a = try decode(ApplicationJSON.self, res)
            #expect(a.status == "applied" && a.start == "2026-11-22" && a.end == "2026-12-31")
            #expect(a.certificate == expected.certificate.kopecks && a.parent == expected.parent.kopecks)
            #expect(a.months.map(\.month) == ["2026-11", "2026-12"])
            #expect(a.months.reduce(0) { $0 + $1.certificate } == a.certificate)
            let cert = try await CertificateModel.query(on: app.db).filter(\.$childID == child.id!).first()!
            var b = try await app.ledger.balance(certificateID: cert.id!, periodID: f.periodID, on: app.db)
            #expect(b.reserved == a.certificate && b.available == 1_200_000 - a.certificate)
            #expect(try await GroupModel.find(f.groupID, on: app.db)?.taken == 1)
            // The provider's staff and the family are told, each with a link to the application.
            let number = ContractModel.number(a.id)
            let staff = try await UserModel.query(on: app.db).filter(\.$email == "syut@osinniki.example").first()!
            let told = try await NotificationModel.query(on: app.db).filter(\.$userID == staff.id!).all()
            #expect(told.contains { $0.kind == .applicationReceived && $0.text.contains("Новая заявка \(number)")
                && $0.link == SiteRoute.providerApplication(a.id).url }, "\(told.map(\.text))")
            #expect(try await NotificationModel.query(on: app.db).filter(\.$userID == f.familyID).all()
                .contains { $0.kind == .applicationSent && $0.text.contains(number) })

            // Scopes: another provider and another family see nothing and can do nothing.
            #expect(try await apiGet(app, "/api/v1/applications/\(a.id)", token: rival).status == .notFound)
            #expect(try await apiGet(app, "/api/v1/applications/\(a.id)", token: stranger).status == .notFound)
            #expect(try await apiPost(app, "/api/v1/applications/\(a.id)/offer", "{}", token: rival).status == .notFound)
            #expect(try await apiPost(app, "/api/v1/applications/\(a.id)/withdraw", "{}", token: stranger).status == .notFound)
            #expect(try await apiPost(app, "/api/v1/applications/\(a.id)/offer", "{}", token: parent).status == .forbidden)
            let rivalList = try await apiGet(app, "/api/v1/applications", token: rival)
            #expect(rivalList.status == .ok && !rivalList.text.contains(a.id.uuidString.lowercased()))
            // A second application of the child to the same module is refused.
            let again = try await apiPost(app, "/api/v1/applications", #"{"group":"\#(f.groupID)","child":"\#(child.id!)"}"#, token: parent)
            #expect(again.status == .conflict && again.text.contains("duplicate"), "\(again.text)")
            // The parent cannot accept before the offer; the provider offers; the parent accepts.
            #expect(try await apiPost(app, "/api/v1/applications/\(a.id)/accept", "{}", token: parent).status == .conflict)
            let offer = try await apiPost(app, "/api/v1/applications/\(a.id)/offer", "{}", token: provider)
            #expect(offer.status == .ok && offer.text.contains("\"offered\""), "\(offer.text)")
            let active = try await apiPost(app, "/api/v1/applications/\(a.id)/accept", "{}", token: parent)
            #expect(active.status == .ok && active.text.contains("\"active\""), "\(active.text)")
            #expect(try await apiPost(app, "/api/v1/applications/\(a.id)/withdraw", "{}", token: parent).status == .conflict)

            // Notice in November: the contract ends on 30 November, December's part goes back at once.
            let notice = try await apiPost(app, "/api/v1/applications/\(a.id)/notice", "{}", token: parent)
            let n = try decode(ApplicationJSON.self, notice)
            #expect(n.status == "terminating" && n.end == "2026-11-30")
            b = try await app.ledger.balance(certificateID: cert.id!, periodID: f.periodID, on: app.db)
            #expect(b.reserved == a.months[0].certificate)
            #expect(try await GroupModel.find(f.groupID, on: app.db)?.taken == 1)
            try await expectClean(app)
            // Notifications went to the provider and the family.
            let familyNotes = try await app.notifications.list(f.familyID, on: app.db).map(\.kind)
            #expect(familyNotes.contains(.offerReceived) && familyNotes.contains(.applicationSent))
        }
    }

    @Test func theCatalogueShowsFreePlacesAsFamiliesApply() async throws {
        let clock = TestClock()
        try await withNavigator(demoChildren: 0, clock: clock) { app in
            let f = try await EnrollmentFixture.make(app, capacity: 2)
            let kids = try await f.children(app, 2)
            func free() async throws -> String {
                let r = try await app.testing().sendRequest(.GET, "/api/v1/catalog/programs/\(f.programID)")
                #expect(r.status == .ok, "\(r.text)")
                return r.text
            }
            clock.advance(2)  // the catalogue looks for changes at most once a second
            #expect(try await free().contains("\"freePlaces\":2"))
            let service = Enrollment(app: app)
            _ = try await service.apply(child: kids[0], groupID: f.groupID, start: nil)
            clock.advance(2)
            #expect(try await free().contains("\"freePlaces\":1"))
            _ = try await service.apply(child: kids[1], groupID: f.groupID, start: nil)
            clock.advance(2)
            let full = try await app.testing().sendRequest(.GET, "/api/v1/catalog/search?free=1&per=100")
            #expect(!full.text.contains(f.programID.uuidString.lowercased()))
        }
    }

    @Test func rejectionWithdrawalAndDeadlinesReleaseTheHoldAndThePlace() async throws {
        let clock = TestClock()
        try await withNavigator(demoChildren: 0, clock: clock) { app in
            let f = try await EnrollmentFixture.make(app)
            let kids = try await f.children(app, 3)
            let parent = try await apiToken(app, "parent@osinniki.example")
            let provider = try await apiToken(app, "syut@osinniki.example")
            var ids: [UUID] = []
            for k in kids {
                let r = try await apiPost(app, "/api/v1/applications", #"{"group":"\#(f.groupID)","child":"\#(k.id!)"}"#, token: parent)
                #expect(r.status == .created, "\(r.text)")
                ids.append(try decode(ApplicationJSON.self, r).id)
            }
            #expect(try await GroupModel.find(f.groupID, on: app.db)?.taken == 3)
            // A rejection needs a reason.
            let noReason = try await apiPost(app, "/api/v1/applications/\(ids[0])/reject", #"{"reason":" "}"#, token: provider)
            #expect(noReason.status == .unprocessableEntity, "\(noReason.text)")
            let rejected = try await apiPost(app, "/api/v1/applications/\(ids[0])/reject", #"{"reason":"Группа для другого возраста"}"#, token: provider)
            #expect(rejected.status == .ok && rejected.text.contains("rejected"))
            let withdrawn = try await apiPost(app, "/api/v1/applications/\(ids[1])/withdraw", "{}", token: parent)
            #expect(withdrawn.status == .ok && withdrawn.text.contains("withdrawn"))
            // The provider does not answer the third within 5 days: the sweep expires it.
            clock.advance(4 * 86400)
            #expect(try await Enrollment(app: app).sweep().expired == 0)
            clock.advance(1 * 86400 + 60)
            #expect(try await Enrollment(app: app).sweep().expired == 1)
            #expect(try await Enrollment(app: app).sweep().expired == 0)  // again: nothing more
            let statuses = try await ContractModel.query(on: app.db).filter(\.$groupID == f.groupID).all().map(\.status.rawValue).sorted()
            #expect(statuses == ["expired", "rejected", "withdrawn"])
            #expect(try await GroupModel.find(f.groupID, on: app.db)?.taken == 0)
            let reserved = try await app.db.sql.raw("SELECT CAST(COALESCE(SUM(reserved), 0) AS BIGINT) AS s FROM ledger_balances").first()?.decode(column: "s", as: Int64?.self) ?? 0
            #expect(reserved == 0)
            try await expectClean(app)
        }
    }

    @Test func anOfferNotAcceptedInTenDaysExpiresAndAContractEndsAfterItsLastDay() async throws {
        let clock = TestClock()
        try await withNavigator(demoChildren: 0, clock: clock) { app in
            let f = try await EnrollmentFixture.make(app)
            let kids = try await f.children(app, 2)
            let service = Enrollment(app: app)
            let family = Principal(userID: f.familyID, role: .parent, regionCode: "42")
            let staff = try await UserModel.query(on: app.db).filter(\.$email == "syut@osinniki.example").first()!
            let provider = Principal(userID: staff.id!, role: .provider, regionCode: "42", municipalityID: f.municipalityID, providerID: staff.providerID)
            let a = try await service.apply(child: kids[0], groupID: f.groupID, start: nil)
            let b = try await service.apply(child: kids[1], groupID: f.groupID, start: nil)
            try await service.step(a.id!, .offer, by: provider)
            try await service.step(b.id!, .offer, by: provider)
            try await service.step(b.id!, .accept, by: family)
            clock.advance(10 * 86400 + 60)
            await #expect(throws: Refusal.self) { try await service.step(a.id!, .accept, by: family) }
            let r = try await service.sweep()
            #expect(r.expired == 1)
            // The family declined the prolongation into 2027 (the demo defines that period): once 2026-12-31
            // passes, the contract has run its course.
            try await service.setProlongation(b.id!, prolong: false, by: family)
            clock.advance(30 * 86400)
            #expect(try await service.sweep().finished == 1)
            #expect(try await ContractModel.find(b.id!, on: app.db)?.status == .terminated)
            #expect(try await GroupModel.find(f.groupID, on: app.db)?.taken == 0)
            try await expectClean(app)
        }
    }

    @Test func certificateKindsFreeAndPaidPrograms() async throws {
        try await withNavigator(demoChildren: 0) { app in
            let service = Enrollment(app: app)
            let free = try await EnrollmentFixture.make(app, funding: .free)
            let paid = try await EnrollmentFixture.make(app, funding: .paid, price: 900_000)
            let certified = try await EnrollmentFixture.make(app)
            let accounting = try await free.children(app, 1, financing: false)[0]
            // An учёта certificate enrolls in a free program, with no money at all.
            let c1 = try await service.apply(child: accounting, groupID: free.groupID, start: nil)
            #expect(c1.fullAmount == 0 && c1.certificateAmount == 0)
            // A paid program: the parent pays everything.
            let c2 = try await service.apply(child: accounting, groupID: paid.groupID, start: nil)
            #expect(c2.certificateAmount == 0 && c2.parentAmount == c2.fullAmount && c2.fullAmount > 0)
            // A certified program: the учёта certificate becomes ПФ when the certificate group has a vacancy.
            let c3 = try await service.apply(child: accounting, groupID: certified.groupID, start: nil)
            #expect(try await CertificateModel.find(c3.certificateID, on: app.db)?.kind == .financing)
            #expect(c3.certificateAmount > 0)
            // With no vacancy: a clear refusal, nothing written.
            try await app.db.sql.raw("UPDATE certificate_groups SET cap_count = 0").run()
            let other = try await free.children(app, 1, financing: false)[0]
            do {
                _ = try await service.apply(child: other, groupID: certified.groupID, start: nil)
                Issue.record("expected a refusal")
            } catch let e as Refusal {
                #expect(e.code == "certificate_kind" && e.message.contains("ПФ"))
            }
            #expect(try await ContractModel.query(on: app.db).filter(\.$childID == other.id!).count() == 0)
            try await expectClean(app)
        }
    }

    @Test func badInputIsRefusedAndChangesNothing() async throws {
        try await withNavigator(demoChildren: 0) { app in
            let f = try await EnrollmentFixture.make(app, ages: 84...95)
            let kid = try await f.children(app, 1)[0]
            let parent = try await apiToken(app, "parent@osinniki.example")
            let stranger = try await apiToken(app, "parent@barnaul.example")
            func post(_ body: String, _ token: String) async throws -> TestingHTTPResponse {
                try await apiPost(app, "/api/v1/applications", body, token: token)
            }
            #expect(try await post("{", parent).status == .badRequest)
            #expect(try await post(#"{"group":"x","child":"\#(kid.id!)"}"#, parent).status == .badRequest)
            #expect(try await post(#"{"group":"\#(UUID())","child":"\#(kid.id!)"}"#, parent).status == .conflict)
            #expect(try await post(#"{"group":"\#(f.groupID)","child":"\#(kid.id!)"}"#, stranger).status == .notFound)
            let past = try await post(#"{"group":"\#(f.groupID)","child":"\#(kid.id!)","start":"2026-10-01"}"#, parent)
            #expect(past.status == .unprocessableEntity && past.text.contains("start_in_past"), "\(past.text)")
            let bad = try await post(#"{"group":"\#(f.groupID)","child":"\#(kid.id!)","start":"31.12.2026"}"#, parent)
            #expect(bad.status == .unprocessableEntity)
            // Ten years old, the program is for 7-year-olds.
            let age = try await post(#"{"group":"\#(f.groupID)","child":"\#(kid.id!)"}"#, parent)
            #expect(age.status == .unprocessableEntity && age.text.contains("Возраст"), "\(age.text)")
            #expect(try await ContractModel.query(on: app.db).count() == 0)
            #expect(try await GroupModel.find(f.groupID, on: app.db)?.taken == 0)
            try await expectClean(app)
        }
    }

    @Test func aFullGroupKeepsAWaitingListAndTheFirstGetsTheFreedPlace() async throws {
        try await withNavigator(demoChildren: 0) { app in
            let f = try await EnrollmentFixture.make(app, capacity: 1)
            let kids = try await f.children(app, 3)
            let parent = try await apiToken(app, "parent@osinniki.example")
            let provider = try await apiToken(app, "syut@osinniki.example")
            let first = try await apiPost(app, "/api/v1/applications", #"{"group":"\#(f.groupID)","child":"\#(kids[0].id!)"}"#, token: parent)
            let a = try decode(ApplicationJSON.self, first)
            let full = try await apiPost(app, "/api/v1/applications", #"{"group":"\#(f.groupID)","child":"\#(kids[1].id!)"}"#, token: parent)
            #expect(full.status == .conflict && full.text.contains("group_full"))
            for k in kids.dropFirst() {
                let w = try await apiPost(app, "/api/v1/groups/\(f.groupID)/waitlist", #"{"child":"\#(k.id!)"}"#, token: parent)
                #expect(w.status == .created, "\(w.text)")
            }
            let twice = try await apiPost(app, "/api/v1/groups/\(f.groupID)/waitlist", #"{"child":"\#(kids[1].id!)"}"#, token: parent)
            #expect(twice.status == .conflict)
            // Scopes: another family neither sees the entries nor leaves them; a provider cannot queue a child.
            let stranger = try await apiToken(app, "parent@barnaul.example")
            let entry = try await WaitlistModel.query(on: app.db).filter(\.$childID == kids[2].id!).first()!
            #expect(try await apiPost(app, "/api/v1/waitlist/\(entry.id!)/leave", "{}", token: stranger).status == .notFound)
            #expect(try await apiGet(app, "/api/v1/groups/\(f.groupID)/waitlist", token: stranger).text == "[]")
            #expect(try await apiPost(app, "/api/v1/groups/\(f.groupID)/waitlist", #"{"child":"\#(kids[2].id!)"}"#, token: provider).status == .forbidden)
            #expect(try await apiPost(app, "/api/v1/groups/\(f.groupID)/waitlist", #"{"child":"nope"}"#, token: parent).status == .badRequest)
            let list = try await apiGet(app, "/api/v1/groups/\(f.groupID)/waitlist", token: provider)
            #expect(list.text.contains("\"position\":1") && list.text.contains("\"position\":2"), "\(list.text)")
            // The first child withdraws: the place goes to the first of the list as an offer.
            _ = try await apiPost(app, "/api/v1/applications/\(a.id)/withdraw", "{}", token: parent)
            let offered = try await ContractModel.query(on: app.db).filter(\.$childID == kids[1].id!).first()
            #expect(offered?.status == .offered && offered?.fromWaitlist == true)
            #expect(try await GroupModel.find(f.groupID, on: app.db)?.taken == 1)
            let after = try await apiGet(app, "/api/v1/groups/\(f.groupID)/waitlist", token: parent)
            #expect(after.text.contains("\"position\":1") && after.text.contains("\"offered\""), "\(after.text)")
            // The offer is declined: the next child gets it.
            _ = try await apiPost(app, "/api/v1/applications/\(offered!.id!)/withdraw", "{}", token: parent)
            #expect(try await ContractModel.query(on: app.db).filter(\.$childID == kids[2].id!).first()?.status == .offered)
            try await expectClean(app)
        }
    }

    @Test func idempotencyKeyReturnsTheFirstAnswer() async throws {
        try await withNavigator(demoChildren: 0) { app in
            let f = try await EnrollmentFixture.make(app)
            let kids = try await f.children(app, 2)
            let parent = try await apiToken(app, "parent@osinniki.example")
            func post(_ child: UUID, key: String) async throws -> TestingHTTPResponse {
                var h = HTTPHeaders()
                h.contentType = .json
                h.bearerAuthorization = BearerAuthorization(token: parent)
                h.add(name: "Idempotency-Key", value: key)
                return try await app.testing().sendRequest(.POST, "/api/v1/applications", headers: h,
                                                           body: ByteBuffer(string: #"{"group":"\#(f.groupID)","child":"\#(child)"}"#))
            }
            let first = try await post(kids[0].id!, key: "k-1")
            let second = try await post(kids[0].id!, key: "k-1")
            #expect(first.status == .created && second.status == .created)
            #expect(first.text == second.text)
            #expect(second.headers.first(name: "Idempotent-Replayed") == "true")
            #expect(try await ContractModel.query(on: app.db).count() == 1)
            let reused = try await post(kids[1].id!, key: "k-1")
            #expect(reused.status == .unprocessableEntity && reused.text.contains("idempotency_key_reused"))
            #expect(try await ContractModel.query(on: app.db).count() == 1)
            try await expectClean(app)
        }
    }

    /// Enrollment day: 64 clients at once for the last places of a group, and one parent clicking many times.
    @Test func concurrentApplicationsNeverOverbookOrOverhold() async throws {
        try await withNavigator(demoChildren: 0, adjust: { $0.databasePoolSize = 8 }) { app in
            let f = try await EnrollmentFixture.make(app, capacity: 10)
            // Balances below the certificate part: each child can be held at most what it has.
            let kids = try await f.children(app, 56, balance: 150_000)
            let service = Enrollment(app: app)
            // The first child's parent submits 9 times.
            let outcomes = try await applyAtOnce(service, (0..<64).map { ($0 < 56 ? kids[$0] : kids[0], f.groupID) })
            #expect(outcomes.filter { $0 == "ok" }.count == 10, "\(outcomes)")
            #expect(Set(outcomes).isSubset(of: ["ok", "group_full", "duplicate"]), "\(outcomes)")
            #expect(try await GroupModel.find(f.groupID, on: app.db)?.taken == 10)
            #expect(try await ContractModel.query(on: app.db).filter(\.$childID == kids[0].id!).count() <= 1)
            let held = try await ContractModel.query(on: app.db).all()
            #expect(held.allSatisfy { $0.certificateAmount <= 150_000 })
            try await expectClean(app)
        }
    }

    @Test func theWholeJourneyWorksInPagesWithoutJavaScript() async throws {
        let clock = TestClock()
        try await withNavigator(demoChildren: 0, clock: clock) { app in
            let f = try await EnrollmentFixture.make(app)
            let kid = try await f.children(app, 1, balance: 1_200_000)[0]
            let guest = Browser(app)
            let anonymous = try await guest.get("/family/enroll?group=\(f.groupID)")
            #expect(anonymous.status == .seeOther || anonymous.status == .found)
            #expect(anonymous.headers.first(name: .location)?.contains("next=") == true)

            let parent = Browser(app)
            try await parent.login("parent@osinniki.example")
            let plan = try await parent.get("/family/enroll?group=\(f.groupID)&child=\(kid.id!)")
            #expect(plan.status == .ok)
            #expect(plan.text.contains("Оплачивает сертификат") && plan.text.contains("ноябрь 2026") && plan.text.contains("декабрь 2026"))
            #expect(plan.text.contains("Подать заявку"))
            let bad = try await parent.post("/family/enroll", ["group": f.groupID.uuidString, "child": kid.id!.uuidString, "start": "2026-10-01"])
            #expect(bad.status == .unprocessableEntity && bad.text.contains("текущего месяца"))
            let applied = try await parent.post("/family/enroll", ["group": f.groupID.uuidString, "child": kid.id!.uuidString, "start": "2026-11-22"])
            #expect(applied.status == .seeOther, "\(applied.text)")
            let location = applied.headers.first(name: .location) ?? ""
            #expect(location.hasPrefix("/family/applications/"))
            let id = String(location.dropFirst("/family/applications/".count).prefix(36))
            let detail = try await parent.get(location)
            #expect(detail.text.contains("Заявка подана") && detail.text.contains("Отозвать заявку"))
            #expect(try await parent.get("/family/applications").text.contains("Юный конструктор"))

            let provider = Browser(app)
            try await provider.login("syut@osinniki.example")
            #expect(try await provider.get("/provider/applications").text.contains("Д-" + id.prefix(8).uppercased()))
            #expect(try await provider.get("/provider").text.contains("Новых заявок, ждущих ответа: 1"))
            #expect(try await parent.get("/family").text.contains("Действующих заявок и договоров: 1"))
            #expect(try await rivalGet(app, "/provider/applications/\(id)") == .notFound)
            let noReason = try await provider.post("/provider/applications/\(id)/reject", ["reason": ""])
            #expect(noReason.status == .unprocessableEntity)
            let offered = try await provider.post("/provider/applications/\(id)/offer", [:])
            #expect(offered.status == .seeOther)
            let offer = try await parent.get("/family/applications/\(id)")
            #expect(offer.text.contains("Текст оферты") && offer.text.contains("Принять оферту"))
            #expect(try await parent.post("/family/applications/\(id)/accept", [:]).status == .seeOther)
            #expect(try await parent.get("/family/applications/\(id)").text.contains("договор действует"))

            // The municipality of the certificate sees the contract; another municipality does not.
            let muni = Browser(app)
            try await muni.login("osinniki@kuzbass.example")
            #expect(try await muni.get("/contracts").text.contains("Д-" + id.prefix(8).uppercased()))
            #expect(try await muni.get("/contracts/\(id)").status == .ok)
            let other = Browser(app)
            try await other.login("novokuznetsk@kuzbass.example")
            #expect(!(try await other.get("/contracts").text.contains("Д-" + id.prefix(8).uppercased())))
            #expect(try await other.get("/contracts/\(id)").status == .notFound)
            // The program page leads to the enrollment page.
            clock.advance(2)
            let page = try await guest.get("/catalog/programs/\(f.programID)")
            #expect(page.text.contains("/family/enroll?group=\(f.groupID.uuidString.lowercased())"))
            try await expectClean(app)
        }
    }

    @Test func demoFamiliesHaveContractsInEveryState() async throws {
        try await withNavigator(demoChildren: DemoPlan.defaultChildren, demoEnrollments: true) { app in
            let statuses = Set(try await ContractModel.query(on: app.db).all().map(\.status))
            #expect(statuses == Set(ContractStatus.allCases), "\(statuses)")
            let family = try await UserModel.query(on: app.db).filter(\.$email == "parent@osinniki.example").first()!
            #expect(try await ContractModel.query(on: app.db).filter(\.$familyID == family.id!).count() > 0)
            #expect(try await WaitlistModel.query(on: app.db).filter(\.$status == .waiting).count() == 2)
            try await expectClean(app)
        }
    }
}
