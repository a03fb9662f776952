import Foundation
import SQLKit

/// Many rows handed to the database as one JSON parameter and read back as a table (`json_each` on SQLite,
/// `jsonb_array_elements` on PostgreSQL): a bulk write binds one value instead of one per cell, which is where a
/// multi-row INSERT of thousands of rows spends its time. The columns are typed once here; the values are written
/// as the database stores them (identifiers in Foundation's spelling, as the drivers bind a `UUID`).
struct JSONRows: Sendable {
    enum Kind: Sendable {
        case uuid, text, bigint, int

        var postgres: String {
            switch self {
            case .uuid: "uuid"
            case .text: "text"
            case .bigint: "bigint"
            case .int: "integer"
            }
        }
    }

    enum Value: Sendable {
        case uuid(UUID)
        case text(String)
        case int(Int64)
        case null
    }

    let kinds: [Kind]
    private(set) var json = "["
    private(set) var count = 0

    init(_ kinds: [Kind]) { self.kinds = kinds }

    mutating func append(_ values: [Value]) {
        precondition(values.count == kinds.count)
        if count > 0 { json += "," }
        json += "["
        for (i, v) in values.enumerated() {
            if i > 0 { json += "," }
            switch v {
            case .uuid(let u): json += "\"" + u.uppercasedString + "\""
            case .text(let s): Self.quote(s, into: &json)
            case .int(let n): json += String(n)
            case .null: json += "null"
            }
        }
        json += "]"
        count += 1
    }

    /// `SELECT c0, c1, … FROM <the rows>`: a subquery for an INSERT … SELECT or an UPDATE … FROM.
    func select(postgres: Bool) -> SQLQueryString {
        let body = json + "]"
        if postgres {
            let cols = kinds.enumerated().map { i, k in "(v->>\(i))::\(k.postgres) AS c\(i)" }.joined(separator: ", ")
            return "SELECT \(unsafeRaw: cols) FROM jsonb_array_elements(\(bind: body)::jsonb) AS r(v)"
        }
        let cols = kinds.indices.map { "json_extract(value, '$[\($0)]') AS c\($0)" }.joined(separator: ", ")
        return "SELECT \(unsafeRaw: cols) FROM json_each(\(bind: body))"
    }

    /// The other way: the rows of `inner` as one JSON text (`[[…], …]`, in `columns`' order), decoded as `Row`s (each
    /// from its array, in that order) — a thousand rows decoded cell by cell through the drivers cost more than the query.
    static func read<Row: Decodable>(_ inner: SQLQueryString, columns: String, as: Row.Type, on sql: any SQLDatabase) async throws -> [Row] {
        let q: SQLQueryString = sql.dialect.name == "postgresql"
            ? "SELECT coalesce(json_agg(json_build_array(\(unsafeRaw: columns))), '[]')::text AS j FROM (\(inner)) AS t"
            : "SELECT json_group_array(json_array(\(unsafeRaw: columns))) AS j FROM (\(inner)) AS t"
        let text = try await sql.raw(q).first()?.decode(column: "j", as: String.self) ?? "[]"
        return try JSONDecoder().decode([Row].self, from: Data(text.utf8))
    }

    static func quote(_ s: String, into out: inout String) {
        out += "\""
        for ch in s.unicodeScalars {
            switch ch {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if ch.value < 0x20 { out += String(format: "\\u%04x", ch.value) } else { out.unicodeScalars.append(ch) }
            }
        }
        out += "\""
    }
}

extension UnkeyedDecodingContainer {
    /// The next cell of a row read by `JSONRows.read`: an identifier in either case.
    mutating func decodeID() throws -> UUID {
        let text = try decode(String.self)
        guard let id = UUID.fast(text) else {
            throw DecodingError.dataCorruptedError(in: self, debugDescription: "not an identifier: \(text)")
        }
        return id
    }
}
