@testable import App
import Domain
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

    struct APIError: Decodable {
        struct Field: Decodable { let field: String; let message: String }
        let error: String
        let reason: String
        let fields: [Field]?
    }

    struct Quote: Decodable { let full: Int64; let normative: Int64; let certificate: Int64; let parent: Int64 }

    /// The example with one amount field written as `json` (`nil`: the field left out).
    func body(_ field: String, _ json: String?) -> String {
        var fields = [#""groupStart":"2026-09-01""#, #""groupEnd":"2027-05-31""#, #""contractStart":"2026-09-01""#, #""contractEnd":"2027-05-31""#]
        for (name, value) in [("price", "1800000"), ("normative", "1638000"), ("balance", "1200000")] {
            if name == field { if let json { fields.append("\"\(name)\":\(json)") } } else { fields.append("\"\(name)\":\(value)") }
        }
        return "{" + fields.joined(separator: ",") + "}"
    }

    /// Every amount field takes a whole number of kopecks in 0…10 000 000 000 and nothing else; each refusal
    /// is a 400 that names the field. `balance: 0` (an exhausted certificate) is the common case of all.
    @Test func everyAmountFieldTakesWholeKopecksInRange() async throws {
        try await withNavigator(demoChildren: nil) { app in
            let accepted: [(String, Int64)] = [("0", 0), ("1", 1), ("10000000000", 10_000_000_000), ("1.0", 1), ("1800000.0", 1_800_000), ("18e5", 1_800_000)]
            let refused: [(String, String)] = [
                ("10000000001", "больше"), ("-1", "отрицательной"), ("1.5", "целое число копеек"), (#""100""#, "целое число копеек"),
                ("true", "целое число копеек"), ("false", "целое число копеек"), ("null", "целое число копеек"), ("[1]", "целое число копеек"),
                (#"{"kopecks":1}"#, "целое число копеек"), ("9223372036854775808", "больше"), ("1e300", "больше"), ("-0.5", "целое число копеек"),
            ]
            for field in ["price", "normative", "balance"] {
                for (json, value) in accepted {
                    let res = try await post(app, body(field, json))
                    #expect(res.status == .ok, "\(field)=\(json): \(res.body.string)")
                    guard res.status == .ok else { continue }
                    let q = try JSONDecoder().decode(Quote.self, from: res.body)
                    let price: Int64 = field == "price" ? value : 1_800_000
                    let normative: Int64 = field == "normative" ? value : 1_638_000
                    let balance: Int64 = field == "balance" ? value : 1_200_000
                    // The whole period of the group: the full price and the normative as given.
                    #expect(q.full == price && q.normative == normative, "\(field)=\(json)")
                    #expect(q.certificate == min(price, normative, balance) && q.parent == price - q.certificate, "\(field)=\(json)")
                }
                for (json, words) in refused + [(nil, "поле обязательно")] as [(String?, String)] {
                    let res = try await post(app, body(field, json))
                    #expect(res.status == .badRequest, "\(field)=\(json ?? "—")")
                    let e = try JSONDecoder().decode(APIError.self, from: res.body)
                    #expect(e.error == "invalid_\(field)", "\(field)=\(json ?? "—"): \(e.error)")
                    #expect(e.fields?.map(\.field) == [field], "\(field)=\(json ?? "—")")
                    #expect(e.fields?.first?.message.contains(words) == true, "\(field)=\(json ?? "—"): \(e.reason)")
                    #expect(e.reason.hasPrefix("\(field): "), "\(field)=\(json ?? "—"): \(e.reason)")
                }
            }
            // An exhausted certificate: the parent pays everything.
            let exhausted = try JSONDecoder().decode(Quote.self, from: try await post(app, body("balance", "0")).body)
            #expect(exhausted.certificate == 0 && exhausted.parent == 1_800_000)
            // Dates are «ГГГГ-ММ-ДД» strings, and a refusal names the date too.
            for (json, field) in [(#""groupEnd":20270531"#, "groupEnd"), (#""groupEnd":null"#, "groupEnd"), (#""groupEnd":"2027-5-31""#, "groupEnd")] {
                let res = try await post(app, example.replacingOccurrences(of: #""groupEnd":"2027-05-31""#, with: json))
                #expect(res.status == .badRequest)
                #expect(try JSONDecoder().decode(APIError.self, from: res.body).error == "invalid_\(field)", "\(json)")
            }
            let missingDate = try await post(app, example.replacingOccurrences(of: #""contractStart":"2026-09-01","#, with: ""))
            #expect(try JSONDecoder().decode(APIError.self, from: missingDate.body).fields?.first?.message.contains("поле обязательно") == true)
            // Not an object at all: the general refusal, as before.
            for bad in ["[1,2]", "{", "", "0", #""x""#] {
                let res = try await post(app, bad)
                #expect(res.status == .badRequest, "\(bad)")
                #expect(try JSONDecoder().decode(APIError.self, from: res.body).error == "bad_request", "\(bad)")
            }
        }
    }

    /// `JSONScalar` on this platform: a boolean is never a number, and an integral float reads as the integer.
    struct Box: Decodable { let v: JSONScalar }

    func read(_ json: String) throws -> JSONScalar {
        try JSONDecoder().decode(Box.self, from: Data(#"{"v":\#(json)}"#.utf8)).v
    }

    @Test func jsonScalarsAreReadAsWritten() throws {
        #expect(try read("0") == .integer(0))
        #expect(try read("1") == .integer(1))
        #expect(try read("true") == .bool(true))
        #expect(try read("false") == .bool(false))
        #expect(try read("1.0") == .integer(1))
        #expect(try read("1.5") == .number(1.5))
        #expect(try read("-1") == .integer(-1))
        #expect(try read(#""100""#) == .string("100"))
        #expect(try read("null") == .null)
        #expect(try read("[0]") == .other)
        #expect(try read("{}") == .other)
        #expect(try read("9223372036854775807") == .integer(.max))
        #expect(try read("0").kopecks() == .success(Money(kopecks: 0)))
        #expect(try read("true").kopecks() == .failure(.notWhole))
        #expect(try read("10000000001").kopecks() == .failure(.tooLarge(max: 10_000_000_000)))
    }
}
