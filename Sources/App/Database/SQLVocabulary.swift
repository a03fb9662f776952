import Domain

/// Statuses and kinds written into SQL text come from their Domain enums, never spelled by hand.
extension RawRepresentable where RawValue == String {
    /// The value as an SQL string literal: `'active'`.
    var sqlLiteral: String { "'" + rawValue.replacingOccurrences(of: "'", with: "''") + "'" }
}

extension Sequence where Element: RawRepresentable, Element.RawValue == String {
    /// `('applied', 'offered')`, for `IN`.
    var sqlList: String { "(" + map(\.sqlLiteral).joined(separator: ", ") + ")" }
}
