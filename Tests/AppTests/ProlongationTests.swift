@testable import App
import Domain
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting

/// Agreements between municipalities and providers, and the prolongation of contracts at the period rollover
/// (domain §7).
@Suite struct AgreementAndProlongationTests {
    @Test func anApplicationForACertifiedProgramNeedsAnAgreement() async throws {
        try await withNavigator(demoChildren: 0) { app in
            let f = try await EnrollmentFixture.make(app)
            let child = try await f.children(app, 1, balance: 1_200_000)[0]
            let parent = try await apiToken(app, "parent@osinniki.example")
            let municipality = try await apiToken(app, "osinniki@kuzbass.example")
            let other = try await apiToken(app, "novokuznetsk@kuzbass.example")
            let provider = try await apiToken(app, "syut@osinniki.example")
            let syut = try await UserModel.query(on: app.db).filter(\.$email == "syut@osinniki.example").first()!.providerID!
            let altaiProvider = try await ProviderModel.query(on: app.db).filter(\.$regionCode == "22").first()!

            // The demo provider has an agreement with the municipality; scopes of the list.
            let list = try await apiGet(app, "/api/v1/agreements", token: municipality)
            #expect(list.status == .ok && list.text.contains(syut.uuidString.lowercased()), "\(list.text)")
            let agreement = try await AgreementModel.query(on: app.db).filter(\.$providerID == syut).filter(\.$municipalityID == f.municipalityID).first()!
            #expect(agreement.status == .active)
            #expect(try await apiGet(app, "/api/v1/agreements", token: parent).status == .forbidden)
            let own = try await apiGet(app, "/api/v1/agreements", token: provider)
            #expect(own.status == .ok)
            let ownRows = try JSONDecoder().decode([[String: String?]].self, from: own.body)
            #expect(!ownRows.isEmpty && ownRows.allSatisfy { $0["providerId"] == syut.uuidString.lowercased() })
            #expect(try await apiPost(app, "/api/v1/agreements", #"{"provider":"\#(syut)"}"#, token: provider).status == .forbidden)
            // Another municipality cannot end it; the parent cannot either.
            #expect(try await apiPost(app, "/api/v1/agreements/\(agreement.id!)/terminate", "{}", token: other).status == .notFound)
            #expect(try await apiPost(app, "/api/v1/agreements/\(agreement.id!)/terminate", "{}", token: parent).status == .forbidden)
            #expect(try await AgreementModel.find(agreement.id, on: app.db)?.status == .active)

            // The municipality ends it: the certified program refuses with the reason and nothing changes.
            let ended = try await apiPost(app, "/api/v1/agreements/\(agreement.id!)/terminate", "{}", token: municipality)
            #expect(ended.status == .ok && ended.text.contains("\"terminated\""), "\(ended.text)")
            #expect(try await apiPost(app, "/api/v1/agreements/\(agreement.id!)/terminate", "{}", token: municipality).status == .conflict)
            let refused = try await apiPost(app, "/api/v1/applications", #"{"group":"\#(f.groupID)","child":"\#(child.id!)"}"#, token: parent)
            #expect(refused.status == .conflict && refused.text.contains("no_agreement") && refused.text.contains("нет соглашения"), "\(refused.text)")
            #expect(try await GroupModel.find(f.groupID, on: app.db)?.taken == 0)
            let cert = try await CertificateModel.query(on: app.db).filter(\.$childID == child.id!).first()!
            #expect(try await app.ledger.balance(certificateID: cert.id!, periodID: f.periodID, on: app.db).available == 1_200_000)
            let quote = try await apiGet(app, "/api/v1/groups/\(f.groupID)/quote?child=\(child.id!)", token: parent)
            #expect(quote.text.contains("\"mayApply\":false") && quote.text.contains("no_agreement"), "\(quote.text)")
            // A free program of the same provider needs no agreement (nothing is paid from the certificate).
            let free = try await EnrollmentFixture.make(app, funding: .free)
            let freeApp = try await apiPost(app, "/api/v1/applications", #"{"group":"\#(free.groupID)","child":"\#(child.id!)"}"#, token: parent)
            #expect(freeApp.status == .created, "\(freeApp.text)")

            // Bad input is refused with the field named.
            let missing = try await apiPost(app, "/api/v1/agreements", "{}", token: municipality)
            #expect(missing.status == .unprocessableEntity && missing.text.contains("provider"), "\(missing.text)")
            #expect(try await apiPost(app, "/api/v1/agreements", #"{"provider":"x"}"#, token: municipality).status == .badRequest)
            #expect(try await apiPost(app, "/api/v1/agreements", #"{"provider":"\#(altaiProvider.id!)"}"#, token: municipality).status == .notFound)
            #expect(try await apiPost(app, "/api/v1/agreements", #"{"provider":"\#(UUID())"}"#, token: municipality).status == .notFound)
            // Concluded again: the application goes through.
            let renewed = try await apiPost(app, "/api/v1/agreements", #"{"provider":"\#(syut)"}"#, token: municipality)
            #expect(renewed.status == .created && renewed.text.contains("\"active\""), "\(renewed.text)")
            #expect(try await apiPost(app, "/api/v1/agreements", #"{"provider":"\#(syut)"}"#, token: municipality).status == .conflict)
            let applied = try await apiPost(app, "/api/v1/applications", #"{"group":"\#(f.groupID)","child":"\#(child.id!)"}"#, token: parent)
            #expect(applied.status == .created, "\(applied.text)")
            // The provider's staff were told both times.
            let staff = try await UserModel.query(on: app.db).filter(\.$email == "syut@osinniki.example").first()!
            let notes = try await app.notifications.list(staff.id!, on: app.db).filter { $0.kind == .agreement }
            #expect(notes.count == 2)

            // The page of the municipality's cabinet, without JavaScript.
            let b = Browser(app)
            try await b.login("osinniki@kuzbass.example")
            let page = try await b.get("/municipality/agreements")
            #expect(page.status == .ok && page.text.contains("Соглашения с поставщиками") && page.text.contains("действует с"))
            let current = try await AgreementModel.query(on: app.db).filter(\.$providerID == syut).filter(\.$municipalityID == f.municipalityID).first()!
            #expect(try await b.post("/municipality/agreements/terminate", ["agreement": current.id!.uuidString]).status == .seeOther)
            #expect(try await AgreementModel.find(current.id, on: app.db)?.status == .terminated)
            let bad = try await b.post("/municipality/agreements", ["provider": ""])
            #expect(bad.status == .unprocessableEntity && bad.text.contains("Выберите поставщика"))
            #expect(try await b.post("/municipality/agreements", ["provider": syut.uuidString]).status == .seeOther)
            #expect(try await AgreementModel.find(current.id, on: app.db)?.status == .active)
            // A parent has no such page.
            let p = Browser(app)
            try await p.login("parent@osinniki.example")
            #expect(try await p.get("/municipality/agreements").status == .forbidden)
            try await expectClean(app)
        }
    }

    @Test func contractsGoOnIntoTheNextPeriodUnlessDeclined() async throws {
        let clock = TestClock()
        try await withNavigator(demoChildren: 0, clock: clock) { app in
            let f = try await EnrollmentFixture.make(app, capacity: 6)
            let kids = try await f.children(app, 4, balance: 1_200_000)
            let service = Enrollment(app: app)
            let programme = app.navigator.programme
            let family = Principal(userID: f.familyID, role: .parent, regionCode: "42")
            let staff = try await UserModel.query(on: app.db).filter(\.$email == "syut@osinniki.example").first()!
            let provider = Principal(userID: staff.id!, role: .provider, regionCode: "42", municipalityID: f.municipalityID, providerID: staff.providerID)
            // Kids 0, 2, 3 are in the municipality's certificate group (they get the next nominal); kid 1 is not (no new money).
            let group = try await CertificateGroupModel.query(on: app.db).filter(\.$municipalityID == f.municipalityID).first()!
            for (i, k) in kids.enumerated() where i != 1 {
                try await CertificateModel.query(on: app.db).filter(\.$childID == k.id!).set(\.$groupID, to: group.id!).update()
            }
            var old: [ContractModel] = []
            for k in kids {
                let a = try await service.apply(child: k, groupID: f.groupID, start: nil)
                try await service.step(a.id!, .offer, by: provider)
                old.append(try await service.step(a.id!, .accept, by: family))
            }
            #expect(old.allSatisfy { $0.endsOn == "2026-12-31" && $0.status == .active })
            // Kid 3's certificate gets frozen before the rollover: it cannot be prolonged.
            try await CertificateModel.query(on: app.db).filter(\.$childID == kids[3].id!).set(\.$frozen, to: true).update()

            // The demo defines the next period (2027) with the same nominal.
            let next = try await PeriodModel.query(on: app.db).filter(\.$municipalityID == f.municipalityID).filter(\.$status == .next).first()!
            #expect(next.startsOn == "2027-01-01" && next.endsOn == "2027-12-31")
            try await programme.setNominal(groupID: group.id!, periodID: next.id!, nominalText: "12 000,00", municipalityID: f.municipalityID, on: app.db)
            // 22 November: the next period is 40 days away, nobody is told yet.
            #expect(try await service.sweep().announced == 0)
            // Declining is possible before the notice, from the page or the API; only by the family.
            let parent = try await apiToken(app, "parent@osinniki.example")
            let stranger = try await apiToken(app, "parent@barnaul.example")
            let syut = try await apiToken(app, "syut@osinniki.example")
            #expect(try await apiPost(app, "/api/v1/applications/\(old[2].id!)/prolongation", #"{"prolong":false}"#, token: stranger).status == .notFound)
            #expect(try await apiPost(app, "/api/v1/applications/\(old[2].id!)/prolongation", #"{"prolong":false}"#, token: syut).status == .forbidden)
            #expect(try await apiPost(app, "/api/v1/applications/\(old[2].id!)/prolongation", #"{}"#, token: parent).status == .unprocessableEntity)
            let declined = try await apiPost(app, "/api/v1/applications/\(old[2].id!)/prolongation", #"{"prolong":false}"#, token: parent)
            #expect(declined.status == .ok && declined.text.contains("\"declined\""), "\(declined.text)")
            // 12 December: within 30 days of the new period, the families are told once.
            clock.advance(20 * 86400)
            #expect(try await service.sweep().announced == 3)
            #expect(try await service.sweep().announced == 0)
            let told = try await app.notifications.list(f.familyID, on: app.db).filter { $0.kind == .prolongation }
            #expect(told.count == 3 && told.allSatisfy { $0.text.contains("будет продлён") })
            #expect(try await ContractModel.find(old[0].id, on: app.db)?.prolongation == .notified)
            #expect(try await ContractModel.find(old[2].id, on: app.db)?.prolongation == .declined)
            // The municipality sees what the opening will do.
            let current = try await PeriodModel.find(f.periodID, on: app.db)!
            #expect(try await service.services.prolongations.counts(current, on: app.db.sql) == .init(pending: 3, declined: 1))
            let m = Browser(app)
            try await m.login("osinniki@kuzbass.example")
            #expect(try await m.get("/municipality/program").text.contains("Будут продлены при открытии следующего периода"))
            // The family page offers the refusal; it shows what will happen.
            let b = Browser(app)
            try await b.login("parent@osinniki.example")
            let page = try await b.get(SiteRoute.familyApplication(old[0].id!).url)
            #expect(page.text.contains("будет продлён на следующий период") && page.text.contains("Отказаться от продления"))

            // 1 January: the sweep ends the declined contract but keeps those awaiting the rollover.
            clock.advance(20 * 86400)
            let swept = try await service.sweep()
            #expect(swept.finished == 1)
            #expect(try await ContractModel.find(old[2].id, on: app.db)?.status == .terminated)
            #expect(try await ContractModel.find(old[0].id, on: app.db)?.status == .active)
            #expect(try await GroupModel.find(f.groupID, on: app.db)?.taken == 3)
            // Until the rollover the family may still change its mind (signed in again: a month has passed).
            let parent2 = try await apiToken(app, "parent@osinniki.example")
            #expect(try await apiPost(app, "/api/v1/applications/\(old[0].id!)/prolongation", #"{"prolong":false}"#, token: parent2).status == .ok)
            #expect(try await apiPost(app, "/api/v1/applications/\(old[0].id!)/prolongation", #"{"prolong":true}"#, token: parent2).status == .ok)

            _ = try await programme.closePeriod(municipalityID: f.municipalityID, override: true, on: app.db)
            let opened = try await programme.openPeriod(municipalityID: f.municipalityID, override: true, on: app.db)
            #expect(opened.prolonged == 1 && opened.awaitingConsent == 1)
            #expect(try await apiPost(app, "/api/v1/applications/\(old[0].id!)/prolongation", #"{"prolong":false}"#, token: parent2).status == .conflict)

            // Kid 0: a new contract in force, linked, held from the new grant, to the group's end.
            let new0 = try await ContractModel.query(on: app.db).filter(\.$previousID == old[0].id!).first()!
            #expect(new0.status == .active && new0.startsOn == "2027-01-01" && new0.endsOn == "2027-05-31" && new0.periodID == next.id!)
            let q = try ContractArithmetic.quote(.init(
                groupStart: LocalDate(iso: "2026-09-01")!, groupEnd: LocalDate(iso: "2027-05-31")!, price: Money(kopecks: 1_800_000),
                normative: Money(kopecks: 1_638_000), contractStart: LocalDate(iso: "2027-01-01")!, contractEnd: LocalDate(iso: "2027-05-31")!,
                balance: Money(kopecks: 1_200_000))).get()
            #expect(new0.certificateAmount == q.certificate.kopecks && new0.parentAmount == q.parent.kopecks)
            #expect(new0.parts.map(\.month) == ["2027-01", "2027-02", "2027-03", "2027-04", "2027-05"])
            let cert0 = try await CertificateModel.query(on: app.db).filter(\.$childID == kids[0].id!).first()!
            let b0 = try await app.ledger.balance(certificateID: cert0.id!, periodID: next.id!, on: app.db)
            #expect(b0.granted == 1_200_000 && b0.reserved == q.certificate.kopecks)
            let was0 = try await ContractModel.find(old[0].id, on: app.db)!
            #expect(was0.status == .terminated && was0.prolongation == .done)
            // Kid 1: no new money, the parent's part grew: an offer waiting for the parent's acceptance.
            let new1 = try await ContractModel.query(on: app.db).filter(\.$previousID == old[1].id!).first()!
            #expect(new1.status == .offered && new1.certificateAmount == 0 && new1.parentAmount == new1.fullAmount && new1.answerDue != nil)
            // Kid 2 declined, kid 3's certificate is frozen: no new contracts; kid 3's family is told why.
            #expect(try await ContractModel.query(on: app.db).filter(\.$previousID == old[2].id!).count() == 0)
            #expect(try await ContractModel.query(on: app.db).filter(\.$previousID == old[3].id!).count() == 0)
            #expect(try await ContractModel.find(old[3].id, on: app.db)?.prolongation == .skipped)
            let notes = try await app.notifications.list(f.familyID, on: app.db).map(\.text)
            #expect(notes.contains { $0.contains("не продлён") && $0.contains("заморожен") })
            #expect(notes.contains { $0.contains("Подтвердите продление") })
            // The places moved with the contracts: kid 0 and kid 1 keep theirs, kid 3's is freed by the sweep.
            #expect(try await GroupModel.find(f.groupID, on: app.db)?.taken == 3)
            #expect(try await service.sweep().finished == 1)
            #expect(try await GroupModel.find(f.groupID, on: app.db)?.taken == 2)
            try await expectClean(app)

            // And what it did.
            #expect(try await service.services.prolongations.counts(current, on: app.db.sql) == .init(pending: 0, declined: 1, done: 2, skipped: 1))
            try await m.login("osinniki@kuzbass.example")
            #expect(try await m.get("/municipality/program").text.contains("Продлено договоров из периода"))
            // Run again: nothing more happens.
            let again = try await programme.openPeriod(municipalityID: f.municipalityID, override: true, on: app.db)
            #expect(again.prolonged == 0 && again.awaitingConsent == 0)
            #expect(try await ContractModel.query(on: app.db).filter(\.$previousID != nil).count() == 2)
            // The parent accepts the grown part explicitly.
            let accepted = try await apiPost(app, "/api/v1/applications/\(new1.id!)/accept", "{}", token: parent2)
            #expect(accepted.status == .ok && accepted.text.contains("\"active\"") && accepted.text.contains(old[1].id!.uuidString.lowercased()), "\(accepted.text)")
            try await b.login("parent@osinniki.example")
            let page1 = try await b.get(SiteRoute.familyApplication(new1.id!).url)
            #expect(page1.text.contains("Продлевает договор"))
            try await expectClean(app)
        }
    }
}
