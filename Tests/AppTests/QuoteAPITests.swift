@testable import App
import Foundation
import Testing
import Vapor
import VaporTesting

@Suite struct QuoteAPITests {
    let example = #"{"groupStart":"2026-09-01","groupEnd":"2027-05-31","price":1800000,"normative":1638000,"contractStart":"2026-09-01","contractEnd":"2027-05-31","balance":1200000}"#

    func post(_ app: Application, _ body: String) async throws -> TestingHTTPResponse {
        try await app.testing().sendRequest(.POST, "/api/v1/quote", headers: ["Content-Type": "application/json"], body: ByteBuffer(string: body))
    }

    @Test func theDomainExampleOverHTTP() async throws {
        try await withNavigator(demoChildren: nil) { app in
            let res = try await post(app, example)
            #expect(res.status == .ok)
            struct M: Decodable { let month: String; let certificate: Int64; let parent: Int64 }
            struct Q: Decodable { let full: Int64; let normative: Int64; let certificate: Int64; let parent: Int64; let months: [M] }
            let q = try JSONDecoder().decode(Q.self, from: res.body)
            #expect(q.full == 1_800_000 && q.normative == 1_638_000 && q.certificate == 1_200_000 && q.parent == 600_000)
            #expect(q.months.count == 9)
            #expect(q.months[0].month == "2026-09" && q.months[0].certificate == 131_872 && q.months[0].parent == 65_936)
            #expect(q.months[1].month == "2026-10" && q.months[1].certificate == 133_516 && q.months[1].parent == 66_758)
        }
    }

    @Test func badInputNamesTheField() async throws {
        try await withNavigator(demoChildren: nil) { app in
            let cases: [(String, String)] = [
                (example.replacingOccurrences(of: #""price":1800000"#, with: #""price":-5"#), "price"),
                (example.replacingOccurrences(of: #""price":1800000"#, with: #""price":1800000.5"#), "price"),
                (example.replacingOccurrences(of: #""balance":1200000"#, with: #""balance":"1200000""#), "balance"),
                (example.replacingOccurrences(of: #","balance":1200000"#, with: ""), "balance"),
                (example.replacingOccurrences(of: #""contractEnd":"2027-05-31""#, with: #""contractEnd":"2026-08-31""#), "contractEnd"),
                (example.replacingOccurrences(of: #""contractStart":"2026-09-01""#, with: #""contractStart":"2026-08-01""#), "contractStart"),
                (example.replacingOccurrences(of: #""groupStart":"2026-09-01""#, with: #""groupStart":"01.09.2026""#), "groupStart"),
                (example.replacingOccurrences(of: #""normative":1638000"#, with: #""normative":true"#), "normative"),
            ]
            for (body, field) in cases {
                let res = try await post(app, body)
                #expect(res.status == .badRequest, "\(field)")
                struct E: Decodable { let error: String; let reason: String }
                let e = try JSONDecoder().decode(E.self, from: res.body)
                #expect(e.reason.contains(field), "\(field): \(e.reason)")
            }
            #expect(try await post(app, "[1,2]").status == .badRequest)
            #expect(try await post(app, "{").status == .badRequest)
        }
    }
}
