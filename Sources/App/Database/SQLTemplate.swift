import Foundation

/// A statement written once with named parameters (`:name`), rendered for every place it runs: SQLKit and
/// PostgreSQL prepared statements take it with positional parameters (`$1`, `$2`, … in the order of first
/// appearance; SQLite reads `$1` as a parameter named "$1", numbered in the same order), and a PL/pgSQL function
/// takes it with its own parameter names (`p_name`). Casts (`::uuid`) and quoted literals are left alone.
struct SQLTemplate: Sendable {
    /// The text as written, with `:name` parameters.
    let text: String
    /// The statement with `$n` parameters.
    let positional: String
    /// The parameter names in `$n` order.
    let names: [String]
    /// A column the statement returns; for a conditional statement, no row means the condition failed.
    let returning: String?

    init(_ text: String, returning: String? = nil) {
        self.text = text
        self.returning = returning
        var names: [String] = []
        let rendered = Self.render(text) { name in
            if let i = names.firstIndex(of: name) { return "$\(i + 1)" }
            names.append(name)
            return "$\(names.count)"
        }
        positional = rendered + (returning.map { " RETURNING \($0)" } ?? "")
        self.names = names
    }

    /// The statement inside a PL/pgSQL body: every parameter renamed by `name` (a function parameter or a
    /// local variable), and `RETURNING … INTO into` when the statement returns a column.
    func plpgsql(into: String? = nil, name: (String) -> String = SQLTemplate.functionParameter) -> String {
        var s = Self.render(text, name)
        if let returning, let into { s += " RETURNING \(returning) INTO \(into)" }
        return s
    }

    /// The name of a parameter inside the PL/pgSQL functions: `p_` and the parameter's name (never a column's name,
    /// so no reference is ambiguous).
    static func functionParameter(_ name: String) -> String { "p_" + name }

    /// Replaces every `:name` outside quoted literals and casts.
    static func render(_ text: String, _ replace: (String) -> String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        let chars = Array(text.unicodeScalars)
        var i = 0
        var quoted = false
        func isNameStart(_ c: Unicode.Scalar) -> Bool { c == "_" || ("a"..."z").contains(c) }
        func isName(_ c: Unicode.Scalar) -> Bool { isNameStart(c) || ("0"..."9").contains(c) }
        while i < chars.count {
            let c = chars[i]
            if c == "'" { quoted.toggle() }
            if !quoted, c == ":", i + 1 < chars.count, isNameStart(chars[i + 1]), i == 0 || chars[i - 1] != ":" {
                var j = i + 1
                while j < chars.count && isName(chars[j]) { j += 1 }
                out += replace(String(String.UnicodeScalarView(chars[(i + 1)..<j])))
                i = j
                continue
            }
            out.unicodeScalars.append(c)
            i += 1
        }
        return out
    }

    /// `INSERT INTO table (a, b, …) VALUES (:prefix_a, :prefix_b, …)` for the columns, with `values` overriding
    /// the expression of some columns (a literal, another parameter).
    static func insert<Row>(into table: String, _ columns: [Column<Row>], prefix: String, values: [String: String] = [:]) -> SQLTemplate {
        SQLTemplate("INSERT INTO \(table) (" + columns.map(\.name).joined(separator: ", ") + ") VALUES ("
                    + columns.map { values[$0.name] ?? ":\(prefix)\($0.name)" }.joined(separator: ", ") + ")")
    }
}
