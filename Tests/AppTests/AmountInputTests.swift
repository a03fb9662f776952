@testable import App
import Domain
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

/// Amounts in the request bodies of the API other than the quote: the nominal of a certificate group, the
/// group's cap on the sum of nominals, a module's price and the normatives of a certification. Each takes
/// a whole number of kopecks: 0 and 1 are numbers like any other (never taken for booleans), a fraction,
/// a string or a boolean is a 400 naming the field, a whole number out of range a 422 naming the field.
@Suite struct AmountInputTests {
    struct APIError: Decodable {
        struct Field: Decodable { let field: String }
        let error: String
        let fields: [Field]?
    }

    func refused(_ res: TestingHTTPResponse, _ status: HTTPResponseStatus, _ field: String, _ note: String) throws {
        #expect(res.status == status, "\(note): \(res.body.string)")
        let e = try JSONDecoder().decode(APIError.self, from: res.body)
        #expect(e.fields?.map(\.field) == [field], "\(note): \(res.body.string)")
        if status == .badRequest { #expect(e.error == "invalid_\(field)", "\(note): \(e.error)") }
    }

    static let notNumbers = ["1.5", #""100""#, "true", "false", "[1]"]

    @Test func nominalsAndSumCapsOfCertificateGroups() async throws {
        try await withNavigator(demoCertificates: false) { app in
            let m = try await apiToken(app, "osinniki@kuzbass.example")
            let p = try await apiPost(app, "/api/v1/municipality/periods", #"{"startsOn":"2026-01-01","endsOn":"2026-12-31"}"#, token: m)
            struct ID: Decodable { let id: UUID }
            let period = try JSONDecoder().decode(ID.self, from: p.body).id
            func group(_ capSum: String?) async throws -> TestingHTTPResponse {
                let cap = capSum.map { #","capSum":\#($0)"# } ?? ""
                return try await apiPost(app, "/api/v1/municipality/groups", #"{"name":"Группа \#(UUID())","capCount":1\#(cap),"returnAfterDays":30}"#, token: m)
            }
            // The sum cap: 0, 1, the largest the form takes, and an integral float, stored as given.
            for (json, value) in [("0", Int64(0)), ("1", 1), ("99999999999999", 99_999_999_999_999), ("99999999999999.0", 99_999_999_999_999)] {
                let res = try await group(json)
                #expect(res.status == .created, "capSum=\(json): \(res.body.string)")
                let id = try JSONDecoder().decode(ID.self, from: res.body).id
                #expect(try await CertificateGroupModel.find(id, on: app.db)?.capSum == value, "capSum=\(json)")
            }
            let groups = try await CertificateGroupModel.query(on: app.db).count()
            for json in ["100000000000000", "-1", "9223372036854775807"] { try refused(try await group(json), .unprocessableEntity, "capSum", "capSum=\(json)") }
            for json in Self.notNumbers { try refused(try await group(json), .badRequest, "capSum", "capSum=\(json)") }
            for json in [nil, "null"] { try refused(try await group(json), .unprocessableEntity, "capSum", "capSum=\(json ?? "—")") }
            #expect(try await CertificateGroupModel.query(on: app.db).count() == groups)

            // The nominal: 0, 1, the maximum and an integral float are stored as given.
            let target = try JSONDecoder().decode(ID.self, from: try await group("10000000000").body).id
            func nominal(_ json: String?) async throws -> TestingHTTPResponse {
                let field = json.map { #","nominal":\#($0)"# } ?? ""
                return try await apiPost(app, "/api/v1/municipality/groups/\(target)/nominal", #"{"periodId":"\#(period)"\#(field)}"#, token: m)
            }
            func stored() async throws -> Int64? {
                let row = try await GroupNominalModel.query(on: app.db).filter(\.$groupID == target).filter(\.$periodID == period).first()
                return row?.nominal
            }
            for (json, value) in [("1", Int64(1)), ("0", 0), ("10000000000", 10_000_000_000), ("1200000.0", 1_200_000)] {
                let res = try await nominal(json)
                #expect(res.status == .noContent, "nominal=\(json): \(res.body.string)")
                #expect(try await stored() == value, "nominal=\(json)")
            }
            for json in ["10000000001", "-1", "9223372036854775807", "1e300"] { try refused(try await nominal(json), .unprocessableEntity, "nominal", "nominal=\(json)") }
            for json in Self.notNumbers { try refused(try await nominal(json), .badRequest, "nominal", "nominal=\(json)") }
            for json in [nil, "null"] { try refused(try await nominal(json), .unprocessableEntity, "nominal", "nominal=\(json ?? "—")") }
            #expect(try await stored() == 1_200_000)
            // A field of another type elsewhere in a body is named too.
            try refused(try await apiPost(app, "/api/v1/municipality/groups/\(target)/nominal", #"{"periodId":5,"nominal":1}"#, token: m),
                        .badRequest, "periodId", "periodId=5")
            try refused(try await apiPost(app, "/api/v1/municipality/groups/\(target)/nominal", #"{"periodId":"not-a-uuid","nominal":1}"#, token: m),
                        .badRequest, "periodId", "periodId=not-a-uuid")
        }
    }

    @Test func modulePricesAndNormatives() async throws {
        try await withNavigator(demoChildren: 0) { app in
            let provider = try await apiToken(app, "robostart@osinniki.example")
            func program(_ funding: String) async throws -> UUID {
                let res = try await apiPost(app, "/api/v1/programs", """
                    {"name":"Программа \(funding) \(UUID().uuidString.prefix(8))","annotation":"Проверка сумм","direction":"tech","activityKinds":["robotics"],"level":"basic",
                     "form":"full-time","distance":false,"ageFromMonths":120,"ageToMonths":191,"funding":"\(funding)"}
                    """, token: provider)
                #expect(res.status == .created, "\(res.body.string)")
                struct P: Decodable { let id: UUID }
                return try JSONDecoder().decode(P.self, from: res.body).id
            }
            let paid = try await program("certificate")
            let free = try await program("free")
            func module(_ program: UUID, _ price: String?) async throws -> TestingHTTPResponse {
                let field = price.map { #","price":\#($0)"# } ?? ""
                return try await apiPost(app, "/api/v1/programs/\(program)/modules",
                                         #"{"name":"Модуль","months":9,"hours":144,"minChildren":6,"maxChildren":12\#(field)}"#, token: provider)
            }
            struct M: Decodable { let id: UUID }
            for (json, value) in [("1", Int64(1)), ("10000000000", 10_000_000_000), ("1800000.0", 1_800_000)] {
                let res = try await module(paid, json)
                #expect(res.status == .created, "price=\(json): \(res.body.string)")
                let id = try JSONDecoder().decode(M.self, from: res.body).id
                #expect(try await ModuleModel.find(id, on: app.db)?.price == value, "price=\(json)")
            }
            // A certified program's module costs more than nothing; a free program's costs nothing.
            for json in ["0", "10000000001", "-1", "9223372036854775807", "1e300"] {
                try refused(try await module(paid, json), .unprocessableEntity, "price", "price=\(json)")
            }
            for json in Self.notNumbers { try refused(try await module(paid, json), .badRequest, "price", "price=\(json)") }
            for json in [nil, "null"] { try refused(try await module(paid, json), .unprocessableEntity, "price", "price=\(json ?? "—")") }
            #expect(try await ModuleModel.query(on: app.db).filter(\.$programID == paid).count() == 3)
            for json in ["0", "0.0"] { #expect(try await module(free, json).status == .created, "free price=\(json)") }
            try refused(try await module(free, "1"), .unprocessableEntity, "price", "free price=1")

            // Certification: one normative per module, each a whole number in 1…10 000 000 000 kopecks, within the cap.
            let single = try await program("certificate")
            #expect(try await module(single, "1800000").status == .created)
            #expect(try await apiPost(app, "/api/v1/programs/\(single)/submit", "{}", token: provider).status == .ok)
            let op = try await apiToken(app, "operator@kuzbass.example")
            func certify(_ json: String) async throws -> TestingHTTPResponse {
                try await apiPost(app, "/api/v1/programs/\(single)/certify", #"{"normatives":[\#(json)]}"#, token: op)
            }
            for json in ["0", "1", "10000000001", "-1", "9223372036854775807"] {
                try refused(try await certify(json), .unprocessableEntity, "normatives[0]", "normative=\(json)")
            }
            for json in Self.notNumbers + ["null"] { try refused(try await certify(json), .badRequest, "normatives[0]", "normative=\(json)") }
            #expect(try await ProgramModel.find(single, on: app.db)?.status == .certification)
            let certified = try await certify("10000000000.0")
            #expect(certified.status == .ok, "\(certified.body.string)")
            #expect(try await ModuleModel.query(on: app.db).filter(\.$programID == single).first()?.normative == 10_000_000_000)
        }
    }
}
