@testable import App
import Domain
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

/// Rendering of the public, family and certificate pages: the pure builders on plain models, and the pages over HTTP.
@Suite struct PublicFamilyPagesTests {
    static let layout = LayoutContext.build(title: "t", path: "/", user: nil, csrf: "c", a11y: false)

    @Test func theBuildersArePure() {
        let login = LoginPage.context(.init(demoLogins: [("a@b.ru", "оператор")], demoPassword: "pw"),
                                      email: String(repeating: "x", count: 300), next: "/family", errors: [], layout: Self.layout)
        #expect(login.email.count == Validation.maxEmailLength && login.next == "/family" && login.demoLogins.map(\.email) == ["a@b.ru"])
        #expect(LoginPage.localNext("//evil.example/") == "" && LoginPage.localNext("/family") == "/family" && LoginPage.localNext(nil) == "")
        #expect(HomePage.context(layout: Self.layout).directions.count == Direction.allCases.count)
        #expect(PasswordPage.context(errors: [], done: true, layout: Self.layout).action == SiteRoute.password.url)

        // The catalogue's pages of results: every page up to seven, otherwise the ends and the neighbours.
        var q = CatalogQuery(today: LocalDate(year: 2026, month: 11, day: 22)!)
        q.per = 10
        #expect(CatalogPage.pageLinks(q, total: 10).isEmpty)
        #expect(CatalogPage.pageLinks(q, total: 70).map(\.label) == ["1", "2", "3", "4", "5", "6", "7"])
        q.page = 5
        let far = CatalogPage.pageLinks(q, total: 200)
        #expect(far.map(\.label) == ["1", "4", "5", "6", "20"] && far.filter(\.current).map(\.label) == ["5"])
        #expect(CatalogPage.totalText(21, query: "") == "Найдено: 21 программа")
        #expect(CatalogPage.totalText(0, query: "шахматы").contains("«шахматы»"))

        // The child's form keeps what was typed and puts each error next to its field.
        let input = ChildInput(surname: "Орлов", name: "", patronymic: "", birthDate: "2014-06-01", sex: "male", snils: "1",
                               birthCertificateSeries: "", birthCertificateNumber: "")
        let page = ChildFormPage.context(input, errors: [FieldError(field: "snils", message: "СНИЛС должен содержать 11 цифр")],
                                         action: SiteRoute.familyChildNew.url, heading: "Новый ребёнок", layout: Self.layout)
        let fields = page.sections[0].forms[0].fields
        #expect(fields.first { $0.name == "surname" }?.value == "Орлов")
        #expect(fields.first { $0.name == "snils" }?.error == "СНИЛС должен содержать 11 цифр")
        #expect(fields.first { $0.name == "sex" }?.options.first { $0.selected }?.value == "male")
        #expect(page.errors.count == 1)

        // The registration form never shows a password again; the chosen municipality stays chosen.
        let muni = UUID()
        let reg = FamilyRegistrationPage.context(.init(municipalities: [(muni, "Осинники", "Кузбасс")]),
                                                 input: FamilyRegistrationInput(surname: "Иванова", municipality: muni, password: "secret123"),
                                                 errors: [], layout: Self.layout)
        let regFields = reg.sections[0].forms[0].fields
        #expect(regFields.first { $0.name == "password" }?.value == "")
        #expect(regFields.first { $0.name == "municipality" }?.options.first { $0.selected }?.value == muni.lowercasedString)

        // A certificate without entries has no money sections; the assisted form ends with the child's fields.
        #expect(CertificateViews.ledgerSections(.init(periods: []), region: "42").isEmpty)
        let assisted = AssistedIssuancePage.context(AssistedIssuanceInput(parentPassword: "secret"), errors: [], layout: Self.layout)
        #expect(assisted.sections[0].forms[0].fields.map(\.name).suffix(8) == ChildFormPage.fields(.blank, errors: [], formID: "").map(\.name)[...])
        #expect(assisted.sections[0].forms[0].fields.first { $0.name == "parentPassword" }?.value == "")
    }

    @Test func signInPageListsTheDemoAccountsAndThePasswordPageRenders() async throws {
        try await withNavigator(demoChildren: 0) { app in
            let browser = Browser(app)
            let login = try await browser.get("/login?next=/family")
            #expect(login.status == .ok)
            #expect(login.text.contains("operator@kuzbass.example") && login.text.contains(DemoPlan.password))
            #expect(login.text.contains("name=\"next\" value=\"/family\""))
            let wrong = try await browser.post("/login", ["email": "parent@osinniki.example", "password": "wrong", "next": "/family"])
            #expect(wrong.status == .unauthorized)
            #expect(wrong.text.contains("value=\"parent@osinniki.example\"") && wrong.text.contains("Неверный адрес"))
            try await browser.login("parent@osinniki.example")
            let password = try await browser.get("/account/password")
            #expect(password.status == .ok && password.text.contains("currentPassword"))
        }
    }

    @Test func aParentRegistersThroughTheForm() async throws {
        try await withNavigator(demoChildren: nil) { app in
            let browser = Browser(app)
            let page = try await browser.get("/register")
            #expect(page.status == .ok)
            #expect(page.text.contains("Регистрация родителя") && page.text.contains("Осинниковский городской округ"))
            let muni = try await MunicipalityModel.query(on: app.db).filter(\.$regionCode == "42").filter(\.$code == "33").first()!.requireID()
            var form = ["surname": "Иванова", "name": "Анна", "email": "anna@example.ru", "phone": "abc", "municipality": muni.lowercasedString,
                        "password": "пароль2026", "repeatPassword": "пароль2027"]
            let bad = try await browser.post("/register", form)
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.text.contains("Телефон может содержать только цифры") && bad.text.contains("Пароль и его повтор не совпадают"))
            #expect(bad.text.contains("value=\"Иванова\"") && !bad.text.contains("пароль2026"))
            #expect(try await UserModel.query(on: app.db).filter(\.$email == "anna@example.ru").count() == 0)
            form["phone"] = "+7 913 000-00-00"
            form["repeatPassword"] = "пароль2026"
            let ok = try await browser.post("/register", form)
            #expect(ok.status == .seeOther && ok.headers.first(name: .location) == "/family")
            #expect(try await browser.get("/family").text.contains("Кабинет родителя"))
            let again = try await Browser(app).post("/register", form)
            #expect(again.status == .unprocessableEntity && again.text.contains("Учётная запись с таким адресом уже есть"))
        }
    }

    @Test func theChildFormsRenderNewAndFilledIn() async throws {
        try await withNavigator(demoCertificates: false) { app in
            let parent = Browser(app)
            try await parent.login("parent@osinniki.example")
            let blank = try await parent.get("/family/children/new")
            #expect(blank.status == .ok && blank.text.contains("Новый ребёнок") && blank.text.contains("name=\"birthCertificateSeries\""))
            var form = childForm(surname: "Орлов", name: "Пётр", birth: "2014-06-01", snils: "12345")
            let bad = try await parent.post("/family/children/new", form)
            #expect(bad.status == .unprocessableEntity && bad.text.contains("value=\"Орлов\"") && bad.text.contains("11 цифр"))
            form["snils"] = freshSnils(80)
            #expect(try await parent.post("/family/children/new", form).status == .seeOther)
            let child = try await ChildModel.query(on: app.db).filter(\.$snils == freshSnils(80)).first()!
            let edit = try await parent.get(SiteRoute.familyChildEdit(child.id!).url)
            #expect(edit.status == .ok && edit.text.contains("Изменить данные ребёнка"))
            #expect(edit.text.contains(Identifiers.formatSNILS(freshSnils(80))) && edit.text.contains("value=\"654321\""))
            let page = try await parent.get(SiteRoute.familyChild(child.id!).url)
            #expect(page.text.contains("Удалить ребёнка") && page.text.contains("Подать заявление на сертификат"))
            #expect(try await parent.post(SiteRoute.familyChildDelete(child.id!).url, [:]).status == .seeOther)
            #expect(try await ChildModel.find(child.id, on: app.db) == nil)
        }
    }

    @Test func theStaffCardConfirmsRejectsAndFreezes() async throws {
        try await withNavigator(demoCertificates: false) { app in
            let parent = Browser(app)
            try await parent.login("parent@osinniki.example")
            let first = try await applyAsParent(app, parent, birth: "2015-03-10", snils: freshSnils(81))
            let second = try await applyAsParent(app, parent, birth: "2016-04-11", snils: freshSnils(82), name: "Вера")
            let muni = Browser(app)
            try await muni.login("osinniki@kuzbass.example")
            let card = try await muni.get(SiteRoute.certificate(first).url)
            #expect(card.status == .ok)
            #expect(card.text.contains("Подтвердить личность и выдать сертификат") && card.text.contains("Отклонить заявление"))
            // An empty reason is refused next to its field, on the card.
            let empty = try await muni.post(SiteRoute.certificateReject(second).url, ["reason": " "])
            #expect(empty.status == .unprocessableEntity && empty.text.contains("Укажите причину отказа") && empty.text.contains("Отклонить заявление"))
            #expect(try await muni.post(SiteRoute.certificateReject(second).url, ["reason": "Документы не совпадают"]).status == .seeOther)
            #expect(try await CertificateModel.find(second, on: app.db)?.status == .rejected)
            #expect(try await muni.post(SiteRoute.certificateConfirm(first).url, [:]).status == .seeOther)
            let active = try await muni.get(SiteRoute.certificate(first).url)
            #expect(active.text.contains("Заморозить сертификат") && !active.text.contains("Отклонить заявление"))
            #expect(try await muni.post(SiteRoute.certificateFreeze(first).url, ["frozen": "1"]).status == .seeOther)
            #expect(try await CertificateModel.find(first, on: app.db)?.frozen == true)
            #expect(try await muni.get(SiteRoute.certificate(first).url).text.contains("Разморозить сертификат"))
            #expect(try await muni.post(SiteRoute.certificateFreeze(first).url, ["frozen": "0"]).status == .seeOther)
            #expect(try await CertificateModel.find(first, on: app.db)?.frozen == false)
            // Another municipality's staff do not see the card.
            let other = Browser(app)
            try await other.login("novokuznetsk@kuzbass.example")
            #expect(try await other.get(SiteRoute.certificate(first).url).status != .ok)
        }
    }
}
