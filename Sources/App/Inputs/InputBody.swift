import Domain
import Foundation
import Vapor

/// A JSON value decoded with `Codable` (not `JSONSerialization`, which on Linux makes 0 and 1 booleans too).
enum JSONValue: Decodable, Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let i = try? c.decode(Int64.self) { self = .int(i) }
        else if let d = try? c.decode(Double.self) { self = .double(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }
}

/// A request's input as the mappings of the inputs read it, whichever way it came: an HTML form or a query string
/// (every value a string, a checkbox `on`, amounts in roubles) or a JSON object (typed values, amounts in kopecks).
/// Each input has one mapping from it (`Inputs/`), used by its page and by the API alike; a value of the wrong JSON
/// type is refused (400) with the field named, and a form's value is taken as typed, for the input's own checks.
struct InputBody: Sendable {
    enum Source: Sendable { case form, json }

    let source: Source
    let values: [String: JSONValue]

    init(source: Source, values: [String: JSONValue]) {
        self.source = source
        self.values = values
    }

    /// The body of a POST: JSON when it says so, otherwise a URL-encoded form.
    static func body(_ req: Request) throws -> InputBody {
        if req.hasJSONBody {
            let data = req.body.data.map { Data($0.readableBytesView) } ?? Data()
            guard case .object(let object) = try? JSONDecoder().decode(JSONValue.self, from: data) else {
                throw AppError(status: .badRequest, code: "bad_request", reason: "Тело запроса должно быть JSON-объектом.")
            }
            return InputBody(source: .json, values: object)
        }
        if req.routePath.hasPrefix("/api/") {
            throw AppError(status: .unsupportedMediaType, code: "unsupported_media_type", reason: "Ожидается тело запроса в формате JSON.")
        }
        return InputBody(source: .form, values: parse(req.body.string ?? ""))
    }

    /// A page's query string.
    static func query(_ req: Request) -> InputBody { InputBody(source: .form, values: parse(req.url.query ?? "")) }

    /// `a=1&b=x+y&kinds[]=p&kinds[]=q` → strings, and arrays for repeated keys or keys ending in `[]`.
    static func parse(_ encoded: String) -> [String: JSONValue] {
        var out: [String: JSONValue] = [:]
        for pair in encoded.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String { String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
            var key = decode(parts[0])
            let value = JSONValue.string(parts.count > 1 ? decode(parts[1]) : "")
            let list = key.hasSuffix("[]")
            if list { key.removeLast(2) }
            switch out[key] {
            case .array(let a)?: out[key] = .array(a + [value])
            case let existing? : out[key] = .array([existing, value])
            case nil: out[key] = list ? .array([value]) : value
            }
        }
        return out
    }

    func has(_ key: String) -> Bool { values[key].map { $0 != .null } ?? false }

    /// A JSON value of the wrong type: 400 `invalid_<field>` naming it (as every API refusal of a field).
    private func wrongType(_ key: String, _ expected: String) -> AppError {
        JSONInput.refusal(key, "ожидается \(expected).")
    }

    /// A text (nil when absent or null).
    func text(_ key: String) throws -> String? {
        switch values[key] {
        case nil, .null?: return nil
        case .string(let s)?: return s
        case .array(let a)? where source == .form: if case .string(let s)? = a.last { return s } else { return nil }
        default: throw wrongType(key, "строка")
        }
    }

    /// A list of texts: a form's repeated (or `key[]`) fields, a JSON array of strings.
    func texts(_ key: String) throws -> [String] {
        switch values[key] {
        case nil, .null?: return []
        case .string(let s)? where source == .form: return [s]
        case .array(let a)?:
            return try a.map { v in
                guard case .string(let s) = v else { throw wrongType(key, "массив строк") }
                return s
            }
        default: throw wrongType(key, "массив строк")
        }
    }

    /// A yes or no: a form's checkbox or `1`/`0`, a JSON boolean (nil when absent).
    func flag(_ key: String) throws -> Bool? {
        switch values[key] {
        case nil, .null?: return nil
        case .bool(let b)?: return b
        case .string(let s)? where source == .form: return ["on", "1", "true", "yes", "да"].contains(s.lowercased())
        default: throw wrongType(key, "true или false")
        }
    }

    /// A whole number as the input's checks take it: a form's text as typed, a JSON integer written out.
    func number(_ key: String) throws -> String? {
        switch values[key] {
        case nil, .null?: return nil
        case .int(let v)?: return String(v)
        case .string(let s)? where source == .form: return s
        default: throw wrongType(key, "целое число")
        }
    }

    /// An amount as the input's checks take it (roubles, `12 000,00`): a form's text as typed; in JSON a whole number
    /// of kopecks (`KopecksInput`: anything else is a 400 naming the field; a whole number out of `0…max` goes on
    /// as a text the input's checks refuse, 422).
    func money(_ key: String, max: Int64 = KopecksInput.max) throws -> String? {
        let checked: Result<Money, KopecksInput.Refusal>
        switch values[key] {
        case nil, .null?: return nil
        case .string(let s)? where source == .form: return s
        case .int(let v)?: checked = KopecksInput.check(v, max: max)
        case .double(let v)?: checked = KopecksInput.check(v, max: max)
        default: checked = .failure(.notWhole)
        }
        switch checked {
        case .success(let m): return "\(m.kopecks / 100).\(LocalDate.pad(Int(m.kopecks % 100), 2))"
        case .failure(.notWhole): throw wrongType(key, "целое число копеек")
        case .failure: return "-1"
        }
    }

    /// A field a JSON body must have: absent or null is a 400 naming it (a request of the wrong shape); a form
    /// leaves it to the input's checks, which ask for it on the page.
    func require(_ key: String) throws {
        guard source == .json, !has(key) else { return }
        throw JSONInput.refusal(key, "поле обязательно.")
    }

    /// An identifier: a form's value that is not one counts as absent (the page asks again); in JSON it is refused.
    func uuid(_ key: String) throws -> UUID? {
        guard let s = try text(key), !s.isEmpty else { return nil }
        if let id = UUID(uuidString: s) { return id }
        if source == .form { return nil }
        throw wrongType(key, "идентификатор (UUID)")
    }
}
