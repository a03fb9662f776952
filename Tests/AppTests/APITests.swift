@testable import App
import Domain
import Fluent
import Testing
import Vapor
import VaporTesting

@Suite struct APITests {
    struct Me: Decodable { let role: String; let regionCode: String; let email: String }
    struct ChildPage: Decodable { let total: Int; let items: [Child] }
    struct Child: Decodable { let id: UUID; let name: String; let municipalityId: UUID }
    struct APIError: Decodable { let error: String; let reason: String }

    @Test func everyDemoRoleGetsATokenAndItsIdentity() async throws {
        try await withNavigator { app in
            for staff in DemoPlan().staff {
                let token = try await apiToken(app, staff.email)
                let res = try await apiGet(app, "/api/v1/me", token: token)
                #expect(res.status == .ok)
                let me = try JSONDecoder().decode(Me.self, from: res.body)
                #expect(me.role == staff.role.rawValue && me.regionCode == staff.regionCode && me.email == staff.email)
            }
        }
    }

    @Test func badCredentialsAndBadBodiesGetJSONErrors() async throws {
        try await withNavigator { app in
            func post(_ body: String, _ type: String = "application/json") async throws -> (HTTPStatus, APIError) {
                let res = try await app.testing().sendRequest(.POST, "/api/v1/auth/token", headers: ["Content-Type": type],
                                                              body: ByteBuffer(string: body))
                return (res.status, try JSONDecoder().decode(APIError.self, from: res.body))
            }
            var (status, error) = try await post(#"{"email":"parent@osinniki.example","password":"wrong"}"#)
            #expect(status == .unauthorized && error.error == "invalid_credentials")
            #expect(error.reason.contains("Неверный"))
            (status, error) = try await post(#"{"email": 5"#)
            #expect(status == .badRequest && error.error == "bad_request")
            (status, error) = try await post(#"{"email":"parent@osinniki.example"}"#)
            #expect(status == .badRequest && error.reason.contains("password"))
            (status, error) = try await post("email=a", "application/x-www-form-urlencoded")
            #expect(status == .unsupportedMediaType)
            let none = try await apiGet(app, "/api/v1/me", token: nil)
            #expect(none.status == .unauthorized)
            #expect(try JSONDecoder().decode(APIError.self, from: none.body).error == "unauthorized")
            let forged = try await apiGet(app, "/api/v1/me", token: "forged-token")
            #expect(forged.status == .unauthorized)
        }
    }

    @Test func revokedTokensStopWorking() async throws {
        try await withNavigator { app in
            let token = try await apiToken(app, "parent@osinniki.example")
            var h = HTTPHeaders()
            h.bearerAuthorization = BearerAuthorization(token: token)
            let res = try await app.testing().sendRequest(.DELETE, "/api/v1/auth/token", headers: h)
            #expect(res.status == .noContent)
            #expect(try await apiGet(app, "/api/v1/me", token: token).status == .unauthorized)
        }
    }

    @Test func tokensExpire() async throws {
        let clock = TestClock()
        try await withNavigator(clock: clock) { app in
            let token = try await apiToken(app, "parent@osinniki.example")
            clock.advance(25 * 3600)
            #expect(try await apiGet(app, "/api/v1/me", token: token).status == .unauthorized)
        }
    }

    /// The scope rule, through the API, for every role: the list holds only rows of the scope, and a
    /// foreign row is 404.
    @Test func childrenAreScopedForEveryRole() async throws {
        try await withNavigator(demoChildren: 60) { app in
            let all = try await ChildModel.query(on: app.db).all()
            let osinniki = try await MunicipalityModel.query(on: app.db).filter(\.$regionCode == "42").filter(\.$code == "33").first()!.id!
            let parent = try await UserModel.query(on: app.db).filter(\.$email == "parent@osinniki.example").first()!.id!
            let expectations: [(String, (ChildModel) -> Bool)] = [
                ("operator@kuzbass.example", { $0.regionCode == "42" }),
                ("operator@altai.example", { $0.regionCode == "22" }),
                ("osinniki@kuzbass.example", { $0.municipalityID == osinniki }),
                ("monitor.osinniki@kuzbass.example", { $0.municipalityID == osinniki }),
                ("monitor@kuzbass.example", { $0.regionCode == "42" }),
                ("parent@osinniki.example", { $0.familyID == parent }),
                ("ddt@osinniki.example", { _ in false }),
            ]
            for (email, visible) in expectations {
                let token = try await apiToken(app, email)
                let res = try await apiGet(app, "/api/v1/children?per=100", token: token)
                #expect(res.status == .ok)
                let page = try JSONDecoder().decode(ChildPage.self, from: res.body)
                let expected = Set(all.filter(visible).map { $0.id! })
                #expect(Set(page.items.map(\.id)) == expected, "\(email)")
                #expect(page.total == expected.count)
                for c in all.prefix(30) {
                    let one = try await apiGet(app, "/api/v1/children/\(c.id!.uuidString)", token: token)
                    #expect(one.status == (visible(c) ? .ok : .notFound), "\(email) \(c.name)")
                }
            }
        }
    }

    @Test func malformedParametersAreRefused() async throws {
        try await withNavigator { app in
            let token = try await apiToken(app, "operator@kuzbass.example")
            for path in ["/api/v1/children?per=0", "/api/v1/children?per=1000", "/api/v1/children?page=-1", "/api/v1/children?page=abc"] {
                let res = try await apiGet(app, path, token: token)
                #expect(res.status == .badRequest, "\(path)")
                #expect(try JSONDecoder().decode(APIError.self, from: res.body).reason.contains("Параметр"))
            }
            #expect(try await apiGet(app, "/api/v1/children/not-a-uuid", token: token).status == .badRequest)
            #expect(try await apiGet(app, "/api/v1/reference/municipalities?region=99", token: nil).status == .badRequest)
        }
    }

    @Test func referenceDataIsPublic() async throws {
        try await withNavigator(demoChildren: nil) { app in
            let res = try await apiGet(app, "/api/v1/reference/municipalities?region=42", token: nil)
            #expect(res.status == .ok)
            struct M: Decodable { let code: String; let name: String; let children5to17: Int?; let childrenIsEstimate: Bool }
            let list = try JSONDecoder().decode([M].self, from: res.body)
            #expect(list.count == 34)
            #expect(list.first { $0.code == "33" }?.name == "Осинниковский городской округ")
            let classifiers = try await apiGet(app, "/api/v1/reference/classifiers", token: nil)
            #expect(classifiers.body.string.contains("физкультурно-спортивная"))
            #expect(classifiers.body.string.contains("продвинутый"))
        }
    }

    @Test func activityKindsAreServedWholeAndByDirection() async throws {
        try await withNavigator(demoChildren: nil) { app in
            struct Kind: Decodable, Equatable { let code: String; let title: String; let direction: String }
            let res = try await apiGet(app, "/api/v1/reference/activity-kinds", token: nil)
            #expect(res.status == .ok)
            let all = try JSONDecoder().decode([Kind].self, from: res.body)
            #expect(all == ActivityKinds.all.map { Kind(code: $0.code, title: $0.title, direction: $0.direction.rawValue) })
            let sport = try JSONDecoder().decode([Kind].self, from: try await apiGet(app, "/api/v1/reference/activity-kinds?direction=sport", token: nil).body)
            #expect(sport.count == ActivityKinds.of(.sport).count && sport.allSatisfy { $0.direction == "sport" } && sport.contains { $0.code == "chess" })
            let bad = try await apiGet(app, "/api/v1/reference/activity-kinds?direction=cooking", token: nil)
            struct Refusal: Decodable { let error: String; let fields: [FieldError] }
            let refusal = try JSONDecoder().decode(Refusal.self, from: bad.body)
            #expect(bad.status == .badRequest && refusal.fields.map(\.field) == ["direction"])
        }
    }
}
