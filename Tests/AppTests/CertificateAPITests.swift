@testable import App
import Domain
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@Suite struct CertificateAPITests {
    func post(_ app: Application, _ path: String, _ json: String, token: String) async throws -> TestingHTTPResponse {
        var h = HTTPHeaders()
        h.bearerAuthorization = BearerAuthorization(token: token)
        h.contentType = .json
        return try await app.testing().sendRequest(.POST, path, headers: h, body: ByteBuffer(string: json))
    }

    struct E: Decodable { let error: String; let reason: String }
    struct C: Decodable { let id: UUID; let number: String?; let status: String; let kind: String }

    @Test func aParentAppliesAndAnIssuingPointConfirmsThroughTheAPI() async throws {
        try await withNavigator(demoCertificates: false) { app in
            let parent = try await apiToken(app, "parent@osinniki.example")
            let snils = freshSnils(42)
            func childJSON(_ snils: String, birth: String = "2015-04-01") -> String {
                #"{"surname":"Лебедев","name":"Тимофей","patronymic":"","birthDate":"\#(birth)","sex":"male","snils":"\#(snils)","birthCertificateSeries":"I-ЛО","birthCertificateNumber":"123456"}"#
            }
            // Wrong СНИЛС: 422 naming the field, nothing created.
            let wrong = try await post(app, "/api/v1/children", childJSON("11223344596"), token: parent)
            #expect(wrong.status == .unprocessableEntity)
            #expect(wrong.body.string.contains("\"field\":\"snils\""))
            let created = try await post(app, "/api/v1/children", childJSON(snils), token: parent)
            #expect(created.status == .created)
            struct Child: Decodable { let id: UUID }
            let child = try JSONDecoder().decode(Child.self, from: created.body)
            // The same child again: refused.
            #expect(try await post(app, "/api/v1/children", childJSON(snils), token: parent).status == .unprocessableEntity)
            let applied = try await post(app, "/api/v1/children/\(child.id)/certificate", "{}", token: parent)
            #expect(applied.status == .created)
            let cert = try JSONDecoder().decode(C.self, from: applied.body)
            #expect(cert.status == "pending" && cert.number == nil)
            #expect(try await post(app, "/api/v1/children/\(child.id)/certificate", "{}", token: parent).status == .conflict)
            // Another family cannot apply for this child.
            let other = try await apiToken(app, "parent@barnaul.example")
            #expect(try await post(app, "/api/v1/children/\(child.id)/certificate", "{}", token: other).status == .notFound)
            // A provider that is not an issuing point is refused; the parent too.
            let syut = try await apiToken(app, "syut@osinniki.example")
            let refused = try await post(app, "/api/v1/certificates/\(cert.id)/confirm", "{}", token: syut)
            #expect(refused.status == .forbidden)
            #expect(try JSONDecoder().decode(E.self, from: refused.body).error == "not_issuing_point")
            #expect(try await post(app, "/api/v1/certificates/\(cert.id)/confirm", "{}", token: parent).status == .forbidden)
            // The issuing point confirms.
            let ddt = try await apiToken(app, "ddt@osinniki.example")
            let ok = try await post(app, "/api/v1/certificates/\(cert.id)/confirm", "{}", token: ddt)
            #expect(ok.status == .ok)
            let confirmed = try JSONDecoder().decode(C.self, from: ok.body)
            #expect(confirmed.status == "active" && confirmed.number == "4233000001")
            // The family lists it; another family does not see it.
            let mine = try await apiGet(app, "/api/v1/certificates", token: parent)
            #expect(mine.body.string.contains("4233000001"))
            let theirs = try await apiGet(app, "/api/v1/certificates/\(cert.id)", token: other)
            #expect(theirs.status == .notFound)
            // Ages 4 and 18 are refused with a reason naming the birth date.
            for (i, birth) in ["2022-01-01", "2008-01-01"].enumerated() {
                let c = try await post(app, "/api/v1/children", childJSON(freshSnils(60 + i), birth: birth), token: parent)
                #expect(c.status == .created)
                let id = try JSONDecoder().decode(Child.self, from: c.body).id
                let r = try await post(app, "/api/v1/children/\(id)/certificate", "{}", token: parent)
                #expect(r.status == .unprocessableEntity)
                #expect(r.body.string.contains("birthDate"))
            }
        }
    }
}

@Suite struct ProgramAPITests {
    func post(_ app: Application, _ path: String, _ json: String, token: String) async throws -> TestingHTTPResponse {
        var h = HTTPHeaders()
        h.bearerAuthorization = BearerAuthorization(token: token)
        h.contentType = .json
        return try await app.testing().sendRequest(.POST, path, headers: h, body: ByteBuffer(string: json))
    }

    @Test func aMunicipalityRunsItsProgrammeThroughTheAPI() async throws {
        try await withNavigator(demoCertificates: false) { app in
            let m = try await apiToken(app, "osinniki@kuzbass.example")
            let bad = try await post(app, "/api/v1/municipality/periods", #"{"startsOn":"2026-12-31","endsOn":"2026-01-01"}"#, token: m)
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains("endsOn"))
            let p = try await post(app, "/api/v1/municipality/periods", #"{"startsOn":"2026-01-01","endsOn":"2026-12-31","contractingOpen":true}"#, token: m)
            #expect(p.status == .created)
            struct P: Decodable { let id: UUID; let status: String; let contractingOpen: Bool }
            let period = try JSONDecoder().decode(P.self, from: p.body)
            #expect(period.status == "current" && period.contractingOpen)
            let g = try await post(app, "/api/v1/municipality/groups", #"{"name":"Основная","capCount":1,"capSum":1200000,"returnAfterDays":30}"#, token: m)
            #expect(g.status == .created)
            struct G: Decodable { let id: UUID }
            let group = try JSONDecoder().decode(G.self, from: g.body)
            // The sum cap: one certificate of 12 000 ₽ fits, a nominal of 12 000,01 ₽ would not.
            let over = try await post(app, "/api/v1/municipality/groups/\(group.id)/nominal", #"{"periodId":"\#(period.id)","nominal":1200001}"#, token: m)
            #expect(over.status == .noContent)  // no ПФ certificates yet: the cap is not reached
            #expect(try await post(app, "/api/v1/municipality/groups/\(group.id)/nominal", #"{"periodId":"\#(period.id)","nominal":-1}"#, token: m).status == .unprocessableEntity)
            #expect(try await post(app, "/api/v1/municipality/groups/\(group.id)/nominal", #"{"periodId":"\#(period.id)","nominal":1200000}"#, token: m).status == .noContent)
            // Another municipality cannot touch this group; a parent cannot reach the programme at all.
            let other = try await apiToken(app, "novokuznetsk@kuzbass.example")
            #expect(try await post(app, "/api/v1/municipality/groups/\(group.id)", #"{"name":"X","capCount":1,"capSum":1,"returnAfterDays":3}"#, token: other).status == .notFound)
            let parent = try await apiToken(app, "parent@osinniki.example")
            #expect(try await apiGet(app, "/api/v1/municipality/program", token: parent).status == .forbidden)
            let program = try await apiGet(app, "/api/v1/municipality/program", token: m)
            #expect(program.body.string.contains("Основная"))
        }
    }
}
