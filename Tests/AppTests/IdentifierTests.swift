@testable import App
import Domain
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

/// One spelling of identifiers: every answer, page and link writes UUIDs in lower case (docs/decisions.md).
@Suite struct IdentifierTests {
    static let uuidPattern = try! NSRegularExpression(pattern: "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")

    /// The UUIDs in `text` written with an upper-case letter.
    static func upperCaseUUIDs(_ text: String) -> [String] {
        let ns = text as NSString
        return uuidPattern.matches(in: text, range: NSRange(location: 0, length: ns.length))
            .map { ns.substring(with: $0.range) }.filter { $0 != $0.lowercased() }
    }

    static func uuidCount(_ text: String) -> Int {
        uuidPattern.numberOfMatches(in: text, range: NSRange(location: 0, length: (text as NSString).length))
    }

    struct Sample: Codable {
        let one: UUID
        let maybe: UUID?
        let none: UUID?
        let many: [UUID]
        let maybeMany: [UUID]?
        let noneMany: [UUID]?
    }

    @Test func theEncoderOverloadsWriteLowerCase() throws {
        let id = UUID(uuidString: "0A1B2C3D-EEEE-4000-8000-00000000000F")!
        #expect(id.lowercasedString == "0a1b2c3d-eeee-4000-8000-00000000000f")
        for _ in 0..<200 {
            let u = UUID()
            #expect(u.lowercasedString == u.uuidString.lowercased())
        }
        // A type of this module, as the API's DTOs are: a UUID, an optional, an array and an optional array.
        let sample = Sample(one: id, maybe: id, none: nil, many: [id, id], maybeMany: [id], noneMany: nil)
        let json = String(decoding: try JSONEncoder().encode(sample), as: UTF8.self)
        #expect(Self.upperCaseUUIDs(json).isEmpty && Self.uuidCount(json) == 5, "\(json)")
        #expect(!json.contains("none"), "an absent value is left out: \(json)")
        // Reading accepts either case.
        let upper = json.replacingOccurrences(of: "0a1b2c3d-eeee", with: "0A1B2C3D-EEEE")
        #expect(try JSONDecoder().decode(Sample.self, from: Data(upper.utf8)).many == [id, id])

        // A DTO of the App module through Vapor's configured encoder.
        let me = APIController.MeResponse(id: id, email: "a@b.example", name: "А", role: "parent", regionCode: "42",
                                          municipalityId: id, providerId: nil, mayConfirmCertificates: false)
        var buffer = ByteBuffer()
        var headers = HTTPHeaders()
        try ContentConfiguration.global.requireEncoder(for: .json).encode(me, to: &buffer, headers: &headers)
        let text = String(buffer: buffer)
        #expect(Self.upperCaseUUIDs(text).isEmpty && Self.uuidCount(text) == 2 && !text.contains("providerId"), "\(text)")

        // The hand-written writers.
        var w = JSONWriter()
        w.object { $0.field("id", id) }
        let hand = w.out
        #expect(hand == #"{"id":"0a1b2c3d-eeee-4000-8000-00000000000f"}"#)
        #expect(SiteRoute.catalogProgram(id).url == "/catalog/programs/0a1b2c3d-eeee-4000-8000-00000000000f")
    }

    /// Every role's answers of the main lists, one item of each, the catalogue and the open data.
    @Test func apiAnswersWriteLowerCaseIdentifiers() async throws {
        try await withNavigator(demoChildren: 12, demoEnrollments: true) { app in
            let program = try await ProgramModel.query(on: app.db).filter(\.$status == .certified).first()!
            let provider = program.providerID
            let child = try await ChildModel.query(on: app.db).first()!.id!
            let certificate = try await CertificateModel.query(on: app.db).first()!.id!
            var seen = 0
            func check(_ path: String, _ token: String?) async throws {
                let res = try await apiGet(app, path, token: token)
                #expect(res.status.code < 500, "\(path): \(res.status)")
                #expect(Self.upperCaseUUIDs(res.text).isEmpty, "\(path): \(Self.upperCaseUUIDs(res.text).prefix(3))")
                seen += Self.uuidCount(res.text)
            }
            for path in ["/api/v1/catalog/search?per=50", "/api/v1/catalog/programs/\(program.id!.uuidString)",
                         "/api/v1/catalog/providers/\(provider.uuidString)", "/api/v1/catalog/export.jsonl", "/api/v1/catalog/export.csv",
                         "/api/v1/reference/municipalities"] {
                try await check(path, nil)
            }
            for email in ["parent@osinniki.example", "ddt@osinniki.example", "osinniki@kuzbass.example", "operator@kuzbass.example",
                          "monitor@kuzbass.example"] {
                let token = try await apiToken(app, email)
                for path in ["/api/v1/me", "/api/v1/children?per=100", "/api/v1/certificates?per=100", "/api/v1/providers", "/api/v1/programs",
                             "/api/v1/applications", "/api/v1/agreements", "/api/v1/municipality/program",
                             "/api/v1/programs/\(program.id!.uuidString)", "/api/v1/providers/\(provider.uuidString)",
                             "/api/v1/children/\(child.uuidString)", "/api/v1/certificates/\(certificate.uuidString)"] {
                    try await check(path, token)
                }
            }
            #expect(seen > 500, "too few identifiers looked at: \(seen)")
        }
    }

    /// Pages write the ids of links, form values and element ids in lower case too.
    @Test func pagesWriteLowerCaseIdentifiers() async throws {
        try await withNavigator(demoChildren: 12, demoEnrollments: true) { app in
            let group = try await GroupModel.query(on: app.db).first()!.id!
            let pages: [(String, [String])] = [
                ("parent@osinniki.example", ["/family", "/family/applications", "/family/enroll?group=\(group.lowercasedString)"]),
                ("osinniki@kuzbass.example", ["/municipality/program", "/municipality/agreements", "/certificates", "/contracts"]),
                ("ddt@osinniki.example", ["/provider/programs", "/provider/applications"]),
                ("operator@kuzbass.example", ["/registry/programs"]),
            ]
            var seen = 0
            for (email, paths) in pages {
                let b = Browser(app)
                try await b.login(email)
                for path in paths {
                    let res = try await b.get(path)
                    #expect(res.status == .ok, "\(email) \(path): \(res.status)")
                    #expect(Self.upperCaseUUIDs(res.text).isEmpty, "\(path): \(Self.upperCaseUUIDs(res.text).prefix(3))")
                    seen += Self.uuidCount(res.text)
                }
            }
            #expect(seen > 20, "too few identifiers looked at: \(seen)")
        }
    }

    @Test func fastIdentifierTextMatchesFoundation() {
        for _ in 0..<200 {
            let u = UUID()
            #expect(u.uppercasedString == u.uuidString)
            #expect(UUID.fast(u.uuidString) == u && UUID.fast(u.lowercasedString) == u)
        }
        #expect(UUID.fast("not-a-uuid") == nil && UUID.fast("") == nil)
        #expect(UUID.fast("0000000G-0000-4000-8000-000000000000") == nil)
        #expect(UUID.fast("00000000+0000-4000-8000-000000000000") == nil)
    }
}
