@testable import App
import Domain
import Fluent
import Testing
import Vapor
import VaporTesting

@Suite struct PagesTests {
    @Test func homePageIsRussianAccessibleAndSelfContained() async throws {
        try await withNavigator(demoChildren: nil) { app in
            let res = try await Browser(app).get("/")
            #expect(res.status == .ok)
            let html = res.text
            #expect(html.contains("<html lang=\"ru\">"))
            #expect(html.contains("Кружки и секции"))
            #expect(html.contains("<main id=\"main\""))
            #expect(html.contains("aria-label=\"Основное меню\""))
            #expect(html.contains("<label for=\"q\">"))
            #expect(html.contains("Версия для слабовидящих"))
            #expect(html.contains("name=\"viewport\""))
            // No external requests: every src and href is local.
            #expect(!html.contains("src=\"http") && !html.contains("href=\"http") && !html.contains("href=\"//"))
        }
    }

    @Test func catalogEchoesTheQueryEscaped() async throws {
        try await withNavigator(demoChildren: nil) { app in
            let res = try await Browser(app).get("/catalog?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E")
            #expect(res.status == .ok)
            #expect(!res.text.contains("<script>alert(1)</script>"))
            #expect(res.text.contains("&lt;script&gt;"))
        }
    }

    @Test func errorPagesAreRussian() async throws {
        try await withNavigator(demoChildren: nil) { app in
            let browser = Browser(app)
            let notFound = try await browser.get("/no/such/page")
            #expect(notFound.status == .notFound)
            #expect(notFound.text.contains("Страница не найдена"))
            #expect(notFound.headers.contentType?.description.contains("text/html") == true)
            let api = try await browser.get("/api/v1/no-such")
            #expect(api.status == .notFound)
            #expect(api.text.contains("\"error\":\"not_found\""))
            #expect(ErrorPage.wording(.internalServerError).0 == "Ошибка на сервере")
            #expect(ErrorPage.wording(.forbidden).0 == "Доступ запрещён")
        }
    }

    @Test func visuallyImpairedModePersistsAcrossPages() async throws {
        try await withNavigator(demoChildren: nil) { app in
            let browser = Browser(app)
            #expect(try await browser.get("/").text.contains("<body class=\"\">"))
            let res = try await browser.post("/accessibility", ["mode": "on", "back": "/catalog"])
            #expect(res.status == .seeOther)
            #expect(res.headers.first(name: .location) == "/catalog")
            #expect(try await browser.get("/catalog").text.contains("<body class=\"a11y\">"))
            #expect(try await browser.get("/login").text.contains("Обычная версия"))
            // An outside address is never a redirect target.
            let evil = try await browser.post("/accessibility", ["mode": "off", "back": "//evil.example/"])
            #expect(evil.headers.first(name: .location) == "/")
            #expect(try await browser.get("/").text.contains("<body class=\"\">"))
        }
    }

    @Test func everyCabinetRendersForItsRole() async throws {
        try await withNavigator { app in
            let expectations: [(String, String, String)] = [
                ("operator@kuzbass.example", "/operator", "Оператор ПФДО: Кемеровская область – Кузбасс"),
                ("operator@altai.example", "/operator", "Оператор ПФДО: Алтайский край"),
                ("osinniki@kuzbass.example", "/municipality", "Осинниковский городской округ"),
                ("ddt@osinniki.example", "/provider", "ДДТ г. Осинники"),
                ("parent@osinniki.example", "/family", "Кабинет родителя"),
                ("monitor@kuzbass.example", "/monitor", "Наблюдатель: Кемеровская область – Кузбасс"),
                ("monitor.osinniki@kuzbass.example", "/monitor", "Наблюдатель: Осинниковский городской округ"),
            ]
            for (email, path, heading) in expectations {
                let browser = Browser(app)
                let login = try await browser.login(email)
                #expect(login.status == .seeOther, "\(email)")
                #expect(login.headers.first(name: .location) == path)
                let page = try await browser.get(path)
                #expect(page.status == .ok, "\(email)")
                #expect(page.text.contains(heading), "\(email)")
                #expect(page.text.contains("Выйти"))
                #expect(page.text.contains("aria-current=\"page\""))
            }
        }
    }

    @Test func parentSeesOwnChildrenOnly() async throws {
        try await withNavigator { app in
            let browser = Browser(app)
            try await browser.login("parent@osinniki.example")
            let page = try await browser.get("/family").text
            #expect(page.contains("Морозова Варвара Дмитриевна"))
            #expect(page.contains("Морозов Матвей Дмитриевич"))
            #expect(!page.contains("Волков Глеб"))
            let glebID = try await ChildModel.query(on: app.db).filter(\.$name == "Глеб").first()!.id!
            let foreign = try await browser.get(SiteRoute.familyChild(glebID).url)
            #expect(foreign.status == .notFound)
            #expect(!foreign.text.contains("Глеб"))
            let own = try await ChildModel.query(on: app.db).filter(\.$name == "Варвара").first()!.id!
            let mine = try await browser.get(SiteRoute.familyChild(own).url)
            #expect(mine.status == .ok)
            #expect(mine.text.contains("Свидетельство о рождении"))
        }
    }

    @Test func municipalityOperatorAndMonitorSeeTheirScopes() async throws {
        try await withNavigator { app in
            let kuzbassProvider = try await ProviderModel.query(on: app.db).filter(\.$shortName == "ДДТ г. Осинники").first()!.id!
            let altaiProvider = try await ProviderModel.query(on: app.db).filter(\.$shortName == "ДДТ г. Барнаул").first()!.id!
            let novokuznetsk = try await ProviderModel.query(on: app.db).filter(\.$shortName == "Дворец творчества г. Новокузнецк").first()!.id!
            let cases: [(String, UUID, HTTPStatus)] = [
                ("operator@kuzbass.example", kuzbassProvider, .ok),
                ("operator@kuzbass.example", altaiProvider, .notFound),
                ("operator@altai.example", altaiProvider, .ok),
                ("osinniki@kuzbass.example", kuzbassProvider, .ok),
                ("osinniki@kuzbass.example", novokuznetsk, .notFound),
                ("monitor.osinniki@kuzbass.example", kuzbassProvider, .ok),
                ("monitor.osinniki@kuzbass.example", novokuznetsk, .notFound),
                ("monitor@kuzbass.example", novokuznetsk, .ok),
                ("ddt@osinniki.example", kuzbassProvider, .ok),
                ("syut@osinniki.example", kuzbassProvider, .notFound),
                ("parent@osinniki.example", kuzbassProvider, .forbidden),
            ]
            for (email, provider, status) in cases {
                let browser = Browser(app)
                try await browser.login(email)
                let res = try await browser.get(SiteRoute.registryProvider(provider).url)
                #expect(res.status == status, "\(email)")
            }
            let browser = Browser(app)
            try await browser.login("osinniki@kuzbass.example")
            let page = try await browser.get("/municipality").text
            #expect(page.contains("СЮТ г. Осинники"))
            #expect(!page.contains("ДДТ г. Барнаул"))
        }
    }

    @Test func roleGuardsRefuseOtherRolesAndStrangers() async throws {
        try await withNavigator { app in
            let stranger = Browser(app)
            let res = try await stranger.get("/family")
            #expect(res.status == .seeOther)
            #expect(res.headers.first(name: .location) == "/login?next=/family")
            let parent = Browser(app)
            try await parent.login("parent@osinniki.example")
            for path in ["/provider", "/operator", "/municipality", "/monitor"] {
                let r = try await parent.get(path)
                #expect(r.status == .forbidden, "\(path)")
                #expect(r.text.contains("Доступ запрещён"))
            }
            let provider = Browser(app)
            try await provider.login("ddt@osinniki.example")
            #expect(try await provider.get("/family").status == .forbidden)
            #expect(try await provider.get("/operator").status == .forbidden)
        }
    }
}
