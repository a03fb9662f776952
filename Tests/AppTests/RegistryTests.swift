@testable import App
import Domain
import Fluent
import Testing
import Vapor
import VaporTesting

@Suite struct RegistryTests {
    func card(inn: String, ogrn: String, kpp: String = "423201001") -> [String: String] {
        ["fullName": "Общество с ограниченной ответственностью «Кванториум-Осинники»", "shortName": "ООО «Кванториум»",
         "kind": "training", "ownership": "private", "inn": inn, "ogrn": ogrn, "kpp": kpp,
         "licenceNumber": "Л035-01223-42/00123456", "licenceDate": "2021-03-15",
         "legalAddress": "652811, г. Осинники, ул. Ленина, 1", "actualAddress": "652811, г. Осинники, ул. Ленина, 1",
         "phone": "+7 (38471) 4-00-00", "bankBIK": "043207612"]
    }

    @Test func registrationModerationAndIssuingPoint() async throws {
        try await withNavigator(demoCertificates: false) { app in
            let osinniki = try await MunicipalityModel.query(on: app.db).filter(\.$regionCode == "42").filter(\.$code == "33").first()!.id!
            let inn = Identifiers.makeOrganizationINN(from: [4, 2, 2, 2, 0, 1, 2, 3, 4])
            let ogrn = Identifiers.makeOGRN(from: [1, 1, 4, 2, 2, 2, 0, 0, 1, 2, 3, 4])
            let browser = Browser(app)
            #expect(try await browser.get("/providers/register").status == .ok)
            func broken(_ s: String) -> String { String(s.dropLast()) + String((Int(String(s.last!))! + 1) % 10) }
            var form = card(inn: broken(inn), ogrn: broken(ogrn), kpp: "42ab01001")
            form["municipality"] = osinniki.uuidString
            form["staffSurname"] = "Новикова"
            form["staffName"] = "Дарья"
            form["staffEmail"] = "kvant@osinniki.example"
            form["staffPassword"] = "kvant2026"
            let bad = try await browser.post("/providers/register", form)
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.text.contains("ИНН указан с ошибкой"))
            #expect(bad.text.contains("ОГРН указан с ошибкой"))
            #expect(bad.text.contains("КПП — 9 знаков"))
            #expect(try await ProviderModel.query(on: app.db).filter(\.$shortName == "ООО «Кванториум»").count() == 0)
            // A taken ИНН is refused too.
            let taken = try await ProviderModel.query(on: app.db).first()!
            form["inn"] = taken.inn
            form["ogrn"] = ogrn
            form["kpp"] = "423201001"
            #expect(try await browser.post("/providers/register", form).text.contains("с таким ИНН уже зарегистрирован"))
            form["inn"] = inn
            let ok = try await browser.post("/providers/register", form)
            #expect(ok.status == .seeOther)
            let provider = try await ProviderModel.query(on: app.db).filter(\.$inn == inn).first()!
            #expect(provider.status == .new)
            #expect(try await browser.get("/provider").text.contains("на модерации"))
            // The operator refuses with a reason; the provider sees it, fixes the card, and it goes back to moderation.
            let op = Browser(app)
            try await op.login("operator@kuzbass.example")
            #expect(try await op.post(SiteRoute.registryModerate(provider.id!).url, ["decision": "refuse", "reason": ""]).status == .unprocessableEntity)
            #expect(try await op.post(SiteRoute.registryModerate(provider.id!).url, ["decision": "refuse", "reason": "Не указан БИК банка полностью"]).status == .seeOther)
            #expect(try await browser.get("/provider").text.contains("Не указан БИК банка полностью"))
            var fixed = card(inn: inn, ogrn: ogrn)
            fixed["bankAccount"] = "40702810900000012345"
            #expect(try await browser.post("/provider/card", fixed).status == .seeOther)
            #expect(try await ProviderModel.find(provider.id, on: app.db)?.status == .new)
            // The operator of another region cannot moderate it.
            let altai = Browser(app)
            try await altai.login("operator@altai.example")
            #expect(try await altai.post(SiteRoute.registryModerate(provider.id!).url, ["decision": "approve"]).status == .notFound)
            #expect(try await op.post(SiteRoute.registryModerate(provider.id!).url, ["decision": "approve"]).status == .seeOther)
            #expect(try await ProviderModel.find(provider.id, on: app.db)?.status == .active)
            // Approved: it has an agreement with its own municipality (and only with it).
            let agreements = try await AgreementModel.query(on: app.db).filter(\.$providerID == provider.id!).all()
            #expect(agreements.map(\.municipalityID) == [osinniki] && agreements.allSatisfy { $0.status == .active })
            // The municipality names it an issuing point: its staff may now confirm certificates.
            let m = Browser(app)
            try await m.login("osinniki@kuzbass.example")
            #expect(try await m.post(SiteRoute.registryIssuingPoint(provider.id!).url, ["value": "1"]).status == .seeOther)
            let staff = Browser(app)
            let login = try await staff.login("kvant@osinniki.example", "kvant2026")
            #expect(login.status == .seeOther)
            #expect(try await staff.get("/certificates").status == .ok)
            // Banned: no longer an issuing point.
            #expect(try await op.post(SiteRoute.registryModerate(provider.id!).url, ["decision": "ban", "reason": "Нарушение условий"]).status == .seeOther)
            let banned = try await ProviderModel.find(provider.id, on: app.db)!
            #expect(banned.status == .banned && !banned.isIssuingPoint)
        }
    }

    @Test func soleProprietorsNeedA12DigitINNAndNoLicenceWithoutStaff() {
        var i = ProviderInput()
        i.fullName = "Индивидуальный предприниматель Петрова Анна Ивановна"
        i.shortName = "ИП Петрова А. И."
        i.kind = ProviderKind.soleAlone.rawValue
        i.ownership = Ownership.private.rawValue
        i.inn = Identifiers.makeOrganizationINN(from: [4, 2, 1, 1, 1, 1, 1, 1, 1])
        i.ogrn = Identifiers.makeOGRNIP(from: [3, 1, 4, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2])
        i.legalAddress = "г. Осинники"
        i.actualAddress = "г. Осинники"
        let today = LocalDate(year: 2026, month: 11, day: 22)!
        guard case .failure(let e) = i.validate(today: today) else { Issue.record("accepted"); return }
        #expect(e.errors.map(\.field) == ["inn"])
        i.inn = Identifiers.makePersonINN(from: [4, 2, 1, 1, 1, 1, 1, 1, 1, 1])
        #expect((try? i.validate(today: today).get()) != nil)
        i.kind = ProviderKind.soleWithStaff.rawValue
        guard case .failure(let e2) = i.validate(today: today) else { Issue.record("licence not required"); return }
        #expect(Set(e2.errors.map(\.field)) == ["licenceNumber", "licenceDate"])
    }
}
