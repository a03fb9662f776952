@testable import App
import Domain
import Fluent
import Testing
import Vapor
import VaporTesting

@Suite struct AuthTests {
    @Test func loginLogoutAndNext() async throws {
        try await withNavigator { app in
            let browser = Browser(app)
            let res = try await browser.post("/login", ["email": " Parent@Osinniki.example ", "password": DemoPlan.password,
                                                         "next": "/account/password"])
            #expect(res.status == .seeOther)
            #expect(res.headers.first(name: .location) == "/account/password")
            let cookie = res.headers[.setCookie].first { $0.hasPrefix("nav_session=") } ?? ""
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"))
            #expect(!cookie.contains("Secure"))
            #expect(try await browser.get("/family").status == .ok)
            let out = try await browser.post("/logout", [:])
            #expect(out.status == .seeOther)
            #expect(try await browser.get("/family").status == .seeOther)
            #expect(try await SessionModel.query(on: app.db).count() == 0)
        }
    }

    @Test func outsideNextIsIgnored() async throws {
        try await withNavigator { app in
            let browser = Browser(app)
            let res = try await browser.post("/login", ["email": "parent@osinniki.example", "password": DemoPlan.password,
                                                         "next": "https://evil.example/"])
            #expect(res.headers.first(name: .location) == "/family")
        }
    }

    @Test func secureCookiesBehindTLS() async throws {
        try await withNavigator(adjust: { $0.trustProxy = true }) { app in
            let browser = Browser(app)
            _ = try await browser.get("/")
            var headers = HTTPHeaders()
            headers.contentType = .urlEncodedForm
            headers.add(name: "X-Forwarded-Proto", value: "https")
            headers.add(name: .cookie, value: "\(CSRFMiddleware.cookie)=\(browser.csrf)")
            let body = "email=parent%40osinniki.example&password=\(DemoPlan.password)&_csrf=\(browser.csrf)"
            let res = try await app.testing().sendRequest(.POST, "/login", headers: headers, body: ByteBuffer(string: body))
            let cookie = res.headers[.setCookie].first { $0.hasPrefix("nav_session=") } ?? ""
            #expect(cookie.contains("Secure"))
        }
    }

    @Test func wrongPasswordGivesARussianMessageAndNoSession() async throws {
        try await withNavigator { app in
            let browser = Browser(app)
            let res = try await browser.login("parent@osinniki.example", "wrong-password1")
            #expect(res.status == .unauthorized)
            #expect(res.text.contains("Неверный адрес электронной почты или пароль."))
            #expect(res.text.contains("value=\"parent@osinniki.example\""))
            let unknown = try await browser.login("nobody@osinniki.example", "whatever1")
            #expect(unknown.status == .unauthorized)
            #expect(try await SessionModel.query(on: app.db).count() == 0)
        }
    }

    @Test func formsWithoutTheCSRFTokenAreRefused() async throws {
        try await withNavigator { app in
            let browser = Browser(app)
            let res = try await browser.post("/login", ["email": "parent@osinniki.example", "password": DemoPlan.password], csrf: false)
            #expect(res.status == .forbidden)
            #expect(res.text.contains("Форма устарела"))
            #expect(try await SessionModel.query(on: app.db).count() == 0)
            var forged = try await browser.post("/login", ["email": "parent@osinniki.example", "password": DemoPlan.password,
                                                            "_csrf": String(repeating: "A", count: 43)], csrf: false)
            #expect(forged.status == .forbidden)
            // Signed in, a form from elsewhere cannot sign the user out or change the password.
            try await browser.login("parent@osinniki.example")
            forged = try await browser.post("/logout", [:], csrf: false)
            #expect(forged.status == .forbidden)
            #expect(try await browser.get("/family").status == .ok)
        }
    }

    @Test func failedLoginsAreThrottledPerAccountAndPerAddress() async throws {
        let clock = TestClock()
        try await withNavigator(clock: clock, adjust: { $0.loginMaxFailuresPerAddress = 8 }) { app in
            let browser = Browser(app)
            for _ in 0..<5 {
                #expect(try await browser.login("parent@osinniki.example", "wrong1234").status == .unauthorized)
            }
            // Locked now: even the right password is refused, with a clear message.
            let locked = try await browser.login("parent@osinniki.example")
            #expect(locked.status == .tooManyRequests)
            #expect(locked.text.contains("Слишком много неудачных попыток входа"))
            let api = try await app.testing().sendRequest(.POST, "/api/v1/auth/token", headers: ["Content-Type": "application/json"],
                                                          body: ByteBuffer(string: #"{"email":"parent@osinniki.example","password":"demo12345"}"#))
            #expect(api.status == .tooManyRequests)
            #expect(api.headers.first(name: "Retry-After") != nil)
            // Another account is not locked by this one.
            #expect(try await Browser(app).login("parent@barnaul.example").status == .seeOther)
            clock.advance(16 * 60)
            #expect(try await browser.login("parent@osinniki.example").status == .seeOther)
        }
    }

    @Test func parallelGuessesAllCount() async throws {
        try await withNavigator(demoChildren: 0, adjust: { $0.loginMaxFailuresPerAccount = 50; $0.loginMaxFailuresPerAddress = 100 }) { app in
            // 12 wrong passwords at once for one account: every one is counted, none fails with a server error.
            let statuses = try await withThrowingTaskGroup(of: HTTPResponseStatus.self) { group in
                for _ in 0..<12 {
                    group.addTask {
                        try await app.testing().sendRequest(.POST, "/api/v1/auth/token", headers: ["Content-Type": "application/json"],
                                                            body: ByteBuffer(string: #"{"email":"parent@osinniki.example","password":"wrong1234"}"#)).status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.allSatisfy { $0 == .unauthorized }, "\(statuses)")
            #expect(try await LoginFailureModel.find("account:parent@osinniki.example", on: app.db)?.failures == 12)
        }
    }

    @Test func oneAddressCannotTryManyAccounts() async throws {
        try await withNavigator(adjust: { $0.loginMaxFailuresPerAddress = 3; $0.trustProxy = true }) { app in
            func attempt(_ email: String, _ password: String, from ip: String) async throws -> HTTPStatus {
                let b = Browser(app)
                _ = try await b.get("/")
                var headers = HTTPHeaders()
                headers.contentType = .urlEncodedForm
                headers.add(name: "X-Forwarded-For", value: ip)
                headers.add(name: .cookie, value: "\(CSRFMiddleware.cookie)=\(b.csrf)")
                let body = "email=\(Browser.encode(email))&password=\(password)&_csrf=\(b.csrf)"
                return try await app.testing().sendRequest(.POST, "/login", headers: headers, body: ByteBuffer(string: body)).status
            }
            for i in 0..<3 { let v = try await attempt("user\(i)@x.example", "bad12345", from: "10.0.0.7"); #expect(v == .unauthorized) }
            let v117 = try await attempt("parent@osinniki.example", DemoPlan.password, from: "10.0.0.7")
            #expect(v117 == .tooManyRequests)
            let v118 = try await attempt("parent@osinniki.example", DemoPlan.password, from: "10.0.0.8")
            #expect(v118 == .seeOther)
        }
    }

    @Test func passwordChange() async throws {
        try await withNavigator { app in
            let other = Browser(app)
            try await other.login("parent@osinniki.example")
            let browser = Browser(app)
            try await browser.login("parent@osinniki.example")
            #expect(try await browser.get("/account/password").status == .ok)
            let bad = try await browser.post("/account/password", ["currentPassword": "nope", "newPassword": "short", "repeatPassword": "other"])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.text.contains("Текущий пароль указан неверно."))
            #expect(bad.text.contains("не менее 8 символов"))
            #expect(bad.text.contains("не совпадают"))
            let ok = try await browser.post("/account/password", ["currentPassword": DemoPlan.password, "newPassword": "новыйПароль2026",
                                                                  "repeatPassword": "новыйПароль2026"])
            #expect(ok.status == .seeOther)
            #expect(try await browser.get("/family").status == .ok)
            // The other session is closed; the old password no longer works; the new one does.
            #expect(try await other.get("/family").status == .seeOther)
            #expect(try await Browser(app).login("parent@osinniki.example").status == .unauthorized)
            #expect(try await Browser(app).login("parent@osinniki.example", "новыйПароль2026").status == .seeOther)
        }
    }

    @Test func hostileInputIsHarmless() async throws {
        try await withNavigator { app in
            let browser = Browser(app)
            let inputs = ["<script>alert(1)</script>@x.ru", "' OR '1'='1", String(repeating: "я", count: 10_000),
                          "\u{0}\u{1}\u{7F}", "\"><img src=x onerror=alert(1)>"]
            for input in inputs {
                let res = try await browser.post("/login", ["email": input, "password": input])
                let expected: [HTTPStatus] = input.contains("\u{0}") ? [.badRequest] : [.unauthorized, .tooManyRequests]
                #expect(expected.contains(res.status), "\(input.prefix(20)): \(res.status)")
                #expect(!res.text.contains("<script>alert(1)</script>"))
                #expect(!res.text.contains("<img src=x"))
            }
            // NUL characters never reach the database, in forms, queries or JSON.
            let nul = try await browser.post("/login", ["email": "a\u{0}@x.ru", "password": "x"])
            #expect(nul.status == .badRequest)
            #expect(nul.text.contains("недопустимые символы"))
            #expect(try await browser.get("/catalog?q=%00").status == .badRequest)
            let json = try await app.testing().sendRequest(.POST, "/api/v1/auth/token", headers: ["Content-Type": "application/json"],
                                                           body: ByteBuffer(string: #"{"email":"a\u0000@x.ru","password":"x"}"#))
            #expect(json.status == .badRequest)
            #expect(json.body.string.contains("\"error\":\"bad_request\""))
            // Broken UTF-8 in a form body.
            var headers = HTTPHeaders()
            headers.contentType = .urlEncodedForm
            headers.add(name: .cookie, value: "\(CSRFMiddleware.cookie)=\(browser.csrf)")
            var body = ByteBuffer(string: "_csrf=\(browser.csrf)&email=")
            body.writeBytes([0xFF, 0xFE, 0xC3])
            body.writeString("&password=x")
            let res = try await app.testing().sendRequest(.POST, "/login", headers: headers, body: body)
            #expect(res.status.code < 500)
            // A body larger than the limit.
            let huge = try await app.testing().sendRequest(.POST, "/login", headers: headers,
                                                           body: ByteBuffer(string: String(repeating: "a", count: 2_000_000)))
            #expect(huge.status == .payloadTooLarge)
            #expect(try await SessionModel.query(on: app.db).count() == 0)
        }
    }
}
