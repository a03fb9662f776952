import Domain
import Foundation
import Vapor

/// One value of a JSON body's field, kept as it came, so that a handler can refuse it naming the field.
///
/// A plain `Int64` field is not enough for amounts: `JSONDecoder` reports `1.5` or `1e400` in an `Int64`
/// field as "not valid JSON" with no coding path, so the refusal could not say which field was wrong.
/// Decoding this type never fails on a scalar; a boolean is never taken for 0 or 1 (unlike
/// `JSONSerialization`'s `NSNumber` on Linux), and `1800000.0` reads as the integer `1800000`.
enum JSONScalar: Codable, Sendable, Hashable {
    case null
    case bool(Bool)
    case integer(Int64)
    /// A number that is not an `Int64` as written: a fraction, or beyond the integer range.
    case number(Double)
    case string(String)
    /// An array or an object.
    case other

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let b = try? c.decode(Bool.self) {
            self = .bool(b)
        } else if let i = try? c.decode(Int64.self) {
            self = .integer(i)
        } else if let d = try? c.decode(Double.self) {
            self = .number(d)
        } else if let s = try? c.decode(String.self) {
            self = .string(s)
        } else {
            self = .other
        }
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null, .other: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .integer(let i): try c.encode(i)
        case .number(let d): try c.encode(d)
        case .string(let s): try c.encode(s)
        }
    }

    /// An amount of kopecks: a whole JSON number in `0…max` (`KopecksInput`); anything else is `.notWhole`.
    func kopecks(max: Int64 = KopecksInput.max) -> Result<Money, KopecksInput.Refusal> {
        switch self {
        case .integer(let i): KopecksInput.check(i, max: max)
        case .number(let d): KopecksInput.check(d, max: max)
        case .null, .bool, .string, .other: .failure(.notWhole)
        }
    }
}

extension KeyedDecodingContainer {
    /// The field as it came, `nil` when the key is absent (`null` is kept as `.null`, not taken for absent).
    func scalar(_ key: Key) throws -> JSONScalar? {
        contains(key) ? try decode(JSONScalar.self, forKey: key) : nil
    }
}

enum JSONInput {
    /// A 400 naming the field, as every API refusal of a field: `invalid_<field>`, `fields: [{field, message}]`.
    static func refusal(_ field: String, _ message: String) -> AppError {
        AppError(status: .badRequest, code: "invalid_\(field)", reason: "\(field): \(message)",
                 fields: [FieldError(field: field, message: message)])
    }

    /// An amount field of a body (absent → `nil`). Not a whole number (a string, a boolean, a fraction) is a
    /// 400 naming the field, like a wrong type; a whole number out of `0…max` is a 422 naming the field,
    /// like every other value that a check refuses. `what` starts the message: «Номинал».
    static func amount(_ value: JSONScalar?, _ field: String, max: Int64 = KopecksInput.max, what: String) throws -> Money? {
        guard let value else { return nil }
        switch value.kopecks(max: max) {
        case .success(let m): return m
        case .failure(.notWhole): throw refusal(field, "\(what): \(KopecksInput.Refusal.notWhole.message)")
        case .failure(let r): throw FieldError(field: field, message: "\(what): \(r.message)")
        }
    }

    /// A decoding error of a body as a refusal that names the field when the decoder says which one
    /// (a wrong type, a `null` where a value is needed, a malformed UUID); `nil` when it does not
    /// (malformed JSON, or a number the decoder could not read).
    static func refusal(_ error: DecodingError) -> AppError? {
        let context: DecodingError.Context
        let message: String
        switch error {
        case .typeMismatch(let type, let c):
            context = c
            message = expectation(type)
        case .valueNotFound(_, let c):
            context = c
            message = "поле не может быть null."
        case .keyNotFound(let key, let c):
            return refusal(field(c.codingPath + [key]), "поле обязательно.")
        case .dataCorrupted(let c):
            context = c
            message = "значение не подходит по формату."
        @unknown default:
            return nil
        }
        guard !context.codingPath.isEmpty else { return nil }
        return refusal(field(context.codingPath), message)
    }

    /// «normatives[1]», «schedule[0].day».
    static func field(_ path: [any CodingKey]) -> String {
        var out = ""
        for key in path {
            if let i = key.intValue, key.stringValue.hasPrefix("Index") {
                out += "[\(i)]"
            } else {
                out += (out.isEmpty ? "" : ".") + key.stringValue
            }
        }
        return out
    }

    static func expectation(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type, is Int64.Type, is Int32.Type: "ожидается целое число (суммы — в копейках)."
        case is Double.Type, is Float.Type: "ожидается число."
        case is Bool.Type: "ожидается true или false."
        case is String.Type, is UUID.Type: "ожидается строка."
        default:
            String(describing: type).hasPrefix("Array") ? "ожидается массив."
                : String(describing: type).hasPrefix("Dictionary") ? "ожидается объект." : "значение другого типа."
        }
    }
}
