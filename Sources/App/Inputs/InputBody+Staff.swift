import Domain
import Foundation

/// Accessors the staff's inputs need beyond the common ones: a number with a fraction (a group's coordinates), a nested
/// object (the card of a provider's registration), a group's lessons and a list of amounts (the normatives of a
/// certification). As everywhere, a form's values are taken as typed and a JSON value of the wrong type is a 400 naming
/// the field, with its path when it is nested: `card.inn`, `schedule[0].day`, `normatives[1]`.
extension InputBody {
    private var raw: [String: JSONValue] { values }

    /// A 400 naming the field, as every refusal of a JSON value of the wrong type.
    static func refused(_ field: String, _ expected: String) -> AppError { JSONInput.refusal(field, "ожидается \(expected).") }

    /// A number with a fraction as the input's checks take it: a form's text as typed (`53,5990`), a JSON number written out.
    func decimal(_ key: String) throws -> String? {
        if source == .form { return try text(key) }
        switch raw[key] {
        case nil, .null?: return nil
        case .int(let v)?: return String(v)
        case .double(let v)?: return String(v)
        default: throw Self.refused(key, "число")
        }
    }

    /// A nested object of a JSON body, read by `read` (absent or null: an empty object); a refusal inside names the field
    /// with its path (`card.inn`). A form is flat: `read` reads the form itself.
    func object<T>(_ key: String, _ read: (InputBody) throws -> T) throws -> T {
        guard source == .json else { return try read(self) }
        switch raw[key] {
        case nil, .null?: return try Self.nested(key + ".") { try read(InputBody(source: .json, values: [:])) }
        case .object(let o)?: return try Self.nested(key + ".") { try read(InputBody(source: .json, values: o)) }
        default: throw Self.refused(key, "объект")
        }
    }

    /// Runs `body`, naming the fields of its 400 refusals with `prefix` before them.
    private static func nested<T>(_ prefix: String, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as AppError where e.status == .badRequest && !e.fields.isEmpty {
            throw JSONInput.refusal(prefix + e.fields[0].field, e.fields[0].message)
        }
    }

    /// The items of a JSON array (absent or null: none); anything else is refused naming the field.
    private func items(_ key: String, _ expected: String) throws -> [JSONValue] {
        switch raw[key] {
        case nil, .null?: return []
        case .array(let a)?: return a
        default: throw Self.refused(key, expected)
        }
    }

    /// A group's lessons as the schedule's text the group's checks parse: a form's text as typed
    /// (`пн 15:00-16:30; ср 15:00-16:30`); in JSON a list of `{"day": 1…7, "start": "15:00", "end": "16:30"}`, each part
    /// required and of its type (`schedule[0].day`).
    func lessons(_ key: String) throws -> String? {
        if source == .form { return try text(key) }
        guard has(key) else { return nil }
        return try items(key, "массив занятий").enumerated().map { i, item in
            let at = "\(key)[\(i)]"
            guard case .object(let o) = item else { throw Self.refused(at, "объект {day, start, end}") }
            return try Self.nested(at + ".") {
                let lesson = InputBody(source: .json, values: o)
                func required(_ value: String?, _ name: String) throws -> String {
                    guard let value else { throw JSONInput.refusal(name, "поле обязательно.") }
                    return value
                }
                let day = try required(try lesson.number("day"), "day")
                return "\(day) \(try required(try lesson.text("start"), "start"))-\(try required(try lesson.text("end"), "end"))"
            }
        }.joined(separator: "; ")
    }

    /// A list of amounts in JSON, each as `money` takes it (a whole number of kopecks, named `key[i]` when refused;
    /// a null item is refused too). A form has no lists of amounts: its amounts are fields of their own.
    func amounts(_ key: String, max: Int64 = KopecksInput.max) throws -> [String] {
        try items(key, "массив сумм в копейках").enumerated().map { i, item in
            let at = "\(key)[\(i)]"
            guard let value = try InputBody(source: .json, values: [at: item]).money(at, max: max) else {
                throw Self.refused(at, "целое число копеек")
            }
            return value
        }
    }
}
