@testable import App
import Domain
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting

/// A valid СНИЛС not used by the demo.
func freshSnils(_ n: Int) -> String { DemoPlan.snils(forChild: 500_000_000 + n) }

func childForm(surname: String = "Ковалёва", name: String = "Алиса", birth: String, snils: String) -> [String: String] {
    ["surname": surname, "name": name, "patronymic": "Игоревна", "birthDate": birth, "sex": "female", "snils": snils,
     "birthCertificateSeries": "II-ЛО", "birthCertificateNumber": "654321"]
}

/// Sets up a current period 2026 with one certificate group of Осинники (cap: `cap` certificates).
func setUpProgram(_ app: Application, cap: Int = 1, nominal: String = "12000", days: String = "30") async throws -> (UUID, UUID, UUID) {
    let muni = try await MunicipalityModel.query(on: app.db).filter(\.$regionCode == "42").filter(\.$code == "33").first()!.id!
    let service = app.navigator.programme
    let period = try await service.createPeriod(municipalityID: muni, startsOn: "2026-01-01", endsOn: "2026-12-31", on: app.db)
    let group = try await service.saveGroup(nil, municipalityID: muni, input: .init(name: "Основная", capCount: String(cap),
                                                                                  capSum: "1 000 000", returnAfterDays: days,
                                                                                  carryOver: false, prorate: false), on: app.db)
    try await service.setNominal(groupID: group.id!, periodID: period.id!, nominalText: nominal, municipalityID: muni, on: app.db)
    return (muni, period.id!, group.id!)
}

/// Adds a child through the parent's pages and applies for its certificate; returns the certificate id.
func applyAsParent(_ app: Application, _ browser: Browser, birth: String, snils: String, name: String = "Алиса") async throws -> UUID {
    let res = try await browser.post("/family/children/new", childForm(name: name, birth: birth, snils: snils))
    #expect(res.status == .seeOther, "\(res.text.prefix(500))")
    let child = try await ChildModel.query(on: app.db).filter(\.$snils == snils).first()!
    let applied = try await browser.post(SiteRoute.familyChildApply(child.id!).url, [:])
    #expect(applied.status == .seeOther)
    return try await CertificateModel.query(on: app.db).filter(\.$childID == child.id!).first()!.id!
}

@Suite struct CertificateTests {
    @Test func childDataIsCheckedFieldByField() async throws {
        try await withNavigator(demoCertificates: false) { app in
            let parent = Browser(app)
            try await parent.login("parent@osinniki.example")
            var bad = childForm(birth: "2016-05-01", snils: "112-233-445 96")
            bad["birthCertificateSeries"] = "ЛО-12"
            bad["birthCertificateNumber"] = "12345"
            bad["surname"] = ""
            let res = try await parent.post("/family/children/new", bad)
            #expect(res.status == .unprocessableEntity)
            for text in ["не сходится контрольное число", "Серия свидетельства", "Номер свидетельства", "Укажите фамилию"] {
                #expect(res.text.contains(text), "\(text)")
            }
            // A СНИЛС already in the system (another family's child) is refused.
            let taken = try await ChildModel.query(on: app.db).filter(\.$name == "Глеб").first()!.snils
            let dup = try await parent.post("/family/children/new", childForm(birth: "2016-05-01", snils: taken))
            #expect(dup.status == .unprocessableEntity)
            #expect(dup.text.contains("уже зарегистрирован"))
            #expect(try await ChildModel.query(on: app.db).filter(\.$familyID == ChildModel.query(on: app.db).filter(\.$name == "Варвара").first()!.familyID).count() == 3)
        }
    }

    @Test func ageMustBe5To17OnTheRegionsDate() async throws {
        // 2026-11-22 12:00 in Novokuznetsk.
        try await withNavigator(demoCertificates: false) { app in
            let parent = Browser(app)
            try await parent.login("parent@osinniki.example")
            for (birth, ok) in [("2021-11-23", false), ("2021-11-22", true), ("2008-11-23", true), ("2008-11-22", false)] {
                let snils = freshSnils(birth.hashValue & 0xFFFF)
                let res = try await parent.post("/family/children/new", childForm(birth: birth, snils: snils))
                #expect(res.status == .seeOther)
                let child = try await ChildModel.query(on: app.db).filter(\.$snils == snils).first()!
                let applied = try await parent.post(SiteRoute.familyChildApply(child.id!).url, [:])
                if ok {
                    #expect(applied.status == .seeOther, "\(birth)")
                } else {
                    #expect(applied.status == .unprocessableEntity, "\(birth)")
                    #expect(applied.text.contains("Сертификат выдаётся детям"))
                    #expect(try await CertificateModel.query(on: app.db).filter(\.$childID == child.id!).count() == 0)
                }
            }
        }
    }

    @Test func anIssuingPointConfirmsAndOthersCannot() async throws {
        try await withNavigator(demoCertificates: false) { app in
            let parent = Browser(app)
            try await parent.login("parent@osinniki.example")
            let certID = try await applyAsParent(app, parent, birth: "2015-03-10", snils: freshSnils(1))
            // Not an issuing point: the list and the action are refused, nothing changes.
            let syut = Browser(app)
            try await syut.login("syut@osinniki.example")
            #expect(try await syut.get("/certificates").status == .forbidden)
            #expect(try await syut.post(SiteRoute.certificateConfirm(certID).url, [:]).status == .forbidden)
            // An issuing point of another municipality does not even see it.
            let dvorec = Browser(app)
            try await dvorec.login("dvorec@novokuznetsk.example")
            #expect(try await dvorec.post(SiteRoute.certificateConfirm(certID).url, [:]).status == .notFound)
            // A parent cannot confirm his own.
            #expect(try await parent.post(SiteRoute.certificateConfirm(certID).url, [:]).status == .forbidden)
            #expect(try await CertificateModel.find(certID, on: app.db)?.status == .pending)
            // The ДДТ of Осинники finds it and confirms it.
            let ddt = Browser(app)
            try await ddt.login("ddt@osinniki.example")
            let list = try await ddt.get("/certificates")
            #expect(list.text.contains("Ковалёва Алиса Игоревна"))
            let found = try await ddt.get("/certificates?q=" + Browser.encode(freshSnils(1)))
            #expect(found.text.contains("Ковалёва Алиса"))
            #expect(try await ddt.post(SiteRoute.certificateConfirm(certID).url, [:]).status == .seeOther)
            let cert = try await CertificateModel.find(certID, on: app.db)!
            #expect(cert.status == .active)
            #expect(cert.number == "4233000001")
            #expect(cert.kind == .accounting)
            // Confirming twice is refused.
            #expect(try await ddt.post(SiteRoute.certificateConfirm(certID).url, [:]).status == .conflict)
            // The family sees it and was notified.
            let page = try await parent.get(SiteRoute.familyChild(cert.childID).url)
            #expect(page.text.contains("4233000001"))
            let notes = try await parent.get("/family/notifications")
            #expect(notes.text.contains("подтверждён"))
            #expect(notes.text.contains("Заявление на сертификат для ребёнка"))
        }
    }

    @Test func numbersAreUniqueUnderConcurrentConfirmation() async throws {
        try await withNavigator(demoCertificates: false) { app in
            let parent = Browser(app)
            try await parent.login("parent@osinniki.example")
            var ids: [UUID] = []
            for i in 0..<8 { ids.append(try await applyAsParent(app, parent, birth: "2014-0\(i + 1)-10", snils: freshSnils(100 + i), name: "Ребёнок")) }
            let staff = try await UserModel.query(on: app.db).filter(\.$email == "osinniki@kuzbass.example").first()!.principal!
            let service = app.navigator.certificates
            try await withThrowingTaskGroup(of: Void.self) { group in
                for id in ids { group.addTask { _ = try await service.confirm(id, by: staff, on: app.db) } }
                try await group.waitForAll()
            }
            let numbers = try await CertificateModel.query(on: app.db).filter(\.$id ~~ ids).all().compactMap(\.number)
            #expect(Set(numbers).count == 8)
            #expect(Set(numbers) == Set((1...8).map { String(format: "4233%06d", $0) }))
        }
    }

    @Test func rejectionNeedsAReasonAndAllowsANewApplication() async throws {
        try await withNavigator(demoCertificates: false) { app in
            let parent = Browser(app)
            try await parent.login("parent@osinniki.example")
            let certID = try await applyAsParent(app, parent, birth: "2015-03-10", snils: freshSnils(2))
            let muni = Browser(app)
            try await muni.login("osinniki@kuzbass.example")
            let empty = try await muni.post(SiteRoute.certificateReject(certID).url, ["reason": "  "])
            #expect(empty.status == .unprocessableEntity)
            #expect(empty.text.contains("Укажите причину отказа"))
            #expect(try await muni.post(SiteRoute.certificateReject(certID).url, ["reason": "СНИЛС не совпадает с документом"]).status == .seeOther)
            let cert = try await CertificateModel.find(certID, on: app.db)!
            #expect(cert.status == .rejected && cert.number == nil)
            let page = try await parent.get(SiteRoute.familyChild(cert.childID).url)
            #expect(page.text.contains("СНИЛС не совпадает с документом"))
            #expect(try await parent.post(SiteRoute.familyChildApply(cert.childID).url, [:]).status == .seeOther)
            #expect(try await CertificateModel.find(certID, on: app.db)?.status == .pending)
        }
    }

    @Test func financingCapsUseItOrLoseItAndTheFreedPlace() async throws {
        let clock = TestClock()
        try await withNavigator(demoCertificates: false, clock: clock) { app in
            let (_, period, _) = try await setUpProgram(app, cap: 1, nominal: "12 000,00", days: "30")
            let parent = Browser(app)
            try await parent.login("parent@osinniki.example")
            let a = try await applyAsParent(app, parent, birth: "2015-03-10", snils: freshSnils(3), name: "Алиса")
            let b = try await applyAsParent(app, parent, birth: "2013-03-10", snils: freshSnils(4), name: "Вера")
            let staff = try await UserModel.query(on: app.db).filter(\.$email == "osinniki@kuzbass.example").first()!.principal!
            let service = app.navigator.certificates
            for id in [a, b] { _ = try await service.confirm(id, by: staff, on: app.db) }
            let childA = try await CertificateModel.find(a, on: app.db)!.childID
            let childB = try await CertificateModel.find(b, on: app.db)!.childID
            #expect(try await parent.post(SiteRoute.familyChildFinancing(childA).url, [:]).status == .seeOther)
            #expect(try await CertificateModel.find(a, on: app.db)?.kind == .financing)
            #expect(try await app.ledger.balance(certificateID: a, periodID: period, on: app.db) == LedgerBalance(granted: 1_200_000))
            // The group is full: a clear refusal, nothing changes.
            let refused = try await parent.post(SiteRoute.familyChildFinancing(childB).url, [:])
            #expect(refused.status == .conflict)
            #expect(refused.text.contains("нет свободных мест"))
            #expect(try await CertificateModel.find(b, on: app.db)?.kind == .accounting)
            // 28 days later the parent is warned, once.
            clock.advance(28 * 86400)
            try await parent.login("parent@osinniki.example")  // the old session has expired
            #expect(try await service.sweep(on: app.db).warned == 1)
            #expect(try await service.sweep(on: app.db).warned == 0)
            #expect(try await parent.get("/family/notifications").text.contains("вернётся в статус сертификата учёта"))
            // After 30 days without a contract it returns to учёта, and the place is free for another child.
            clock.advance(3 * 86400)
            try await parent.login("parent@osinniki.example")
            #expect(try await service.sweep(on: app.db).returned == 1)
            #expect(try await CertificateModel.find(a, on: app.db)?.kind == .accounting)
            let back = try await app.ledger.balance(certificateID: a, periodID: period, on: app.db)
            #expect(back.granted == 0 && back.available == 0)
            #expect(try await parent.post(SiteRoute.familyChildFinancing(childB).url, [:]).status == .seeOther)
            #expect(try await CertificateModel.find(b, on: app.db)?.kind == .financing)
            let page = try await parent.get(SiteRoute.familyChild(childA).url)
            #expect(page.text.contains("Уменьшение номинала") || page.text.contains("Начисление номинала"))
            #expect(try await app.ledger.verify(on: app.db).problems.isEmpty)
        }
    }

    @Test func aCertificateWithAContractIsNotTakenBack() async throws {
        let clock = TestClock()
        try await withNavigator(demoCertificates: false, clock: clock) { app in
            let (_, period, _) = try await setUpProgram(app, cap: 5)
            let parent = Browser(app)
            try await parent.login("parent@osinniki.example")
            let a = try await applyAsParent(app, parent, birth: "2015-03-10", snils: freshSnils(5))
            let staff = try await UserModel.query(on: app.db).filter(\.$email == "osinniki@kuzbass.example").first()!.principal!
            let service = app.navigator.certificates
            _ = try await service.confirm(a, by: staff, on: app.db)
            _ = try await service.makeFinancing(a, on: app.db)
            try await app.ledger.post(.init(certificateID: a, periodID: period, contractID: UUID(), kind: .hold, amount: 500_000, key: "h"), on: app.db)
            clock.advance(40 * 86400)
            #expect(try await service.sweep(on: app.db).returned == 0)
            #expect(try await CertificateModel.find(a, on: app.db)?.kind == .financing)
        }
    }

    @Test func aNominalIsNeverLoweredBelowCommitments() async throws {
        try await withNavigator(demoCertificates: false) { app in
            let (muni, period, group) = try await setUpProgram(app, cap: 5, nominal: "12000")
            let parent = Browser(app)
            try await parent.login("parent@osinniki.example")
            let a = try await applyAsParent(app, parent, birth: "2015-03-10", snils: freshSnils(6))
            let staff = try await UserModel.query(on: app.db).filter(\.$email == "osinniki@kuzbass.example").first()!.principal!
            let service = app.navigator.certificates
            _ = try await service.confirm(a, by: staff, on: app.db)
            _ = try await service.makeFinancing(a, on: app.db)
            try await app.ledger.post(.init(certificateID: a, periodID: period, contractID: UUID(), kind: .hold, amount: 1_000_000, key: "h"), on: app.db)
            let program = app.navigator.programme
            await #expect(throws: FieldError.self) {
                try await program.setNominal(groupID: group, periodID: period, nominalText: "9 999,99", municipalityID: muni, on: app.db)
            }
            #expect(try await app.ledger.balance(certificateID: a, periodID: period, on: app.db).granted == 1_200_000)
            #expect(try await GroupNominalModel.query(on: app.db).first()?.nominal == 1_200_000)
            // Down to exactly what is committed is allowed; up again grants the difference.
            try await program.setNominal(groupID: group, periodID: period, nominalText: "10000", municipalityID: muni, on: app.db)
            #expect(try await app.ledger.balance(certificateID: a, periodID: period, on: app.db) == LedgerBalance(granted: 1_000_000, reserved: 1_000_000))
            try await program.setNominal(groupID: group, periodID: period, nominalText: "15000", municipalityID: muni, on: app.db)
            #expect(try await app.ledger.balance(certificateID: a, periodID: period, on: app.db).available == 500_000)
            // Through the page: a municipality sees the refusal in Russian.
            let m = Browser(app)
            try await m.login("osinniki@kuzbass.example")
            #expect(try await m.get("/municipality/program").status == .ok)
            // A count cap below the certificates already in the group is refused.
            let caps = try await m.post(SiteRoute.programGroup(group).url, ["name": "Основная", "capCount": "0", "capSum": "1000000", "returnAfterDays": "30"])
            #expect(caps.status == .unprocessableEntity)
            #expect(caps.text.contains("лимит не может быть меньше"))
            #expect(try await m.post(SiteRoute.programGroup(group).url, ["name": "Основная", "capCount": "7", "capSum": "2 000 000,50", "returnAfterDays": "45", "carryOver": "on"]).status == .seeOther)
            let saved = try await CertificateGroupModel.find(group, on: app.db)!
            #expect(saved.capCount == 7 && saved.capSum == 200_000_050 && saved.returnAfterDays == 45 && saved.carryOver)
            let res = try await m.post(SiteRoute.programGroupNominal(group).url, ["period": period.uuidString, "nominal": "1000"])
            #expect(res.status == .unprocessableEntity)
            #expect(res.text.contains("Номинал нельзя снизить"))
            #expect(try await app.ledger.verify(on: app.db).problems.isEmpty)
        }
    }

    @Test func frozenCertificatesCannotBecomeFinancing() async throws {
        try await withNavigator(demoCertificates: false) { app in
            _ = try await setUpProgram(app, cap: 5)
            let parent = Browser(app)
            try await parent.login("parent@osinniki.example")
            let a = try await applyAsParent(app, parent, birth: "2015-03-10", snils: freshSnils(7))
            let m = Browser(app)
            try await m.login("osinniki@kuzbass.example")
            #expect(try await m.post(SiteRoute.certificateConfirm(a).url, [:]).status == .seeOther)
            #expect(try await m.post(SiteRoute.certificateFreeze(a).url, ["frozen": "1"]).status == .seeOther)
            let child = try await CertificateModel.find(a, on: app.db)!.childID
            #expect(try await parent.post(SiteRoute.familyChildFinancing(child).url, [:]).status == .conflict)
            #expect(try await m.post(SiteRoute.certificateFreeze(a).url, ["frozen": "0"]).status == .seeOther)
            #expect(try await parent.post(SiteRoute.familyChildFinancing(child).url, [:]).status == .seeOther)
        }
    }

    @Test func certificatesCloseOnTheEighteenthBirthday() async throws {
        let clock = TestClock()
        try await withNavigator(demoCertificates: false, clock: clock) { app in
            let parent = Browser(app)
            try await parent.login("parent@osinniki.example")
            let a = try await applyAsParent(app, parent, birth: "2008-11-30", snils: freshSnils(8))
            let staff = try await UserModel.query(on: app.db).filter(\.$email == "osinniki@kuzbass.example").first()!.principal!
            _ = try await app.navigator.certificates.confirm(a, by: staff, on: app.db)
            #expect(try await app.navigator.certificates.sweep(on: app.db).closed == 0)
            clock.advance(8 * 86400)  // 2026-11-30: the 18th birthday
            #expect(try await app.navigator.certificates.sweep(on: app.db).closed == 1)
            #expect(try await CertificateModel.find(a, on: app.db)?.status == .closed)
        }
    }

    @Test func rolloverExpiresGrantsAndIsSafeToRerun() async throws {
        try await withNavigator(demoCertificates: false) { app in
            let (muni, period, group) = try await setUpProgram(app, cap: 5, nominal: "12000")
            let parent = Browser(app)
            try await parent.login("parent@osinniki.example")
            let a = try await applyAsParent(app, parent, birth: "2015-03-10", snils: freshSnils(9))
            let staff = try await UserModel.query(on: app.db).filter(\.$email == "osinniki@kuzbass.example").first()!.principal!
            _ = try await app.navigator.certificates.confirm(a, by: staff, on: app.db)
            _ = try await app.navigator.certificates.makeFinancing(a, on: app.db)
            try await app.ledger.post(.init(certificateID: a, periodID: period, contractID: UUID(), kind: .hold, amount: 200_000, key: "h"), on: app.db)
            let program = app.navigator.programme
            let next = try await program.createPeriod(municipalityID: muni, startsOn: "2027-01-01", endsOn: "2027-12-31", on: app.db)
            #expect(next.status == .next)
            try await program.setNominal(groupID: group, periodID: next.id!, nominalText: "13000", municipalityID: muni, on: app.db)
            let closed = try await program.closePeriod(municipalityID: muni, override: true, on: app.db)
            #expect(closed.posted == 1)
            #expect(try await app.ledger.balance(certificateID: a, periodID: period, on: app.db) == LedgerBalance(granted: 1_200_000, reserved: 200_000, expired: 1_000_000))
            await #expect(throws: AppError.self) { try await program.closePeriod(municipalityID: muni, override: true, on: app.db) }
            let opened = try await program.openPeriod(municipalityID: muni, override: true, on: app.db)
            #expect(opened.posted == 1)
            #expect(try await app.ledger.balance(certificateID: a, periodID: next.id!, on: app.db).granted == 1_300_000)
            // Granting again (an interrupted open run again) posts nothing twice.
            let again = try await program.grantPeriod(try await PeriodModel.find(next.id!, on: app.db)!, on: app.db)
            #expect(again.posted == 0)
            // `period open` run again after an interruption resumes and posts nothing twice.
            #expect(try await program.openPeriod(municipalityID: muni, override: true, on: app.db).posted == 0)
            #expect(try await app.ledger.verify(on: app.db).problems.isEmpty)
            #expect(try await parent.get("/family/notifications").text.contains("Начислен номинал нового периода"))
        }
    }

    @Test func assistedIssuanceRegistersTheFamilyAndConfirmsAtOnce() async throws {
        try await withNavigator(demoCertificates: false) { app in
            let ddt = Browser(app)
            try await ddt.login("ddt@osinniki.example")
            #expect(try await ddt.get("/certificates/assisted").status == .ok)
            var form = childForm(surname: "Орлов", name: "Пётр", birth: "2014-06-01", snils: freshSnils(70))
            form["sex"] = "male"
            form["patronymic"] = ""
            form["parentSurname"] = "Орлова"
            form["parentName"] = "Мария"
            form["parentEmail"] = "orlova@example.ru"
            form["parentPassword"] = "short"
            let bad = try await ddt.post("/certificates/assisted", form)
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.text.contains("не менее 8 символов"))
            #expect(try await UserModel.query(on: app.db).filter(\.$email == "orlova@example.ru").count() == 0)
            form["parentPassword"] = "времПароль1"
            let ok = try await ddt.post("/certificates/assisted", form)
            #expect(ok.status == .seeOther)
            let child = try await ChildModel.query(on: app.db).filter(\.$snils == freshSnils(70)).first()!
            let cert = try await CertificateModel.query(on: app.db).filter(\.$childID == child.id!).first()!
            #expect(cert.status == .active && cert.number == "4233000001")
            // The family signs in with the temporary password and sees the child.
            let family = Browser(app)
            #expect(try await family.login("orlova@example.ru", "времПароль1").status == .seeOther)
            #expect(try await family.get("/family").text.contains("Орлов Пётр"))
            // A provider that is not an issuing point cannot use the form.
            let syut = Browser(app)
            try await syut.login("syut@osinniki.example")
            #expect(try await syut.get("/certificates/assisted").status == .forbidden)
        }
    }
}
