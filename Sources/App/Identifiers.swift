import Foundation

// One spelling of an identifier everywhere: lower-case, as PostgreSQL and RFC 9562 write it.
//
// Foundation's `UUID` encodes itself with `uuidString`, which is upper-case, and no encoder setting changes
// that. The overloads below are more specific than the generic `encode(_:forKey:)`, so the synthesized
// `encode(to:)` of every Codable type declared in this module (API DTOs, page contexts) picks them: a `UUID`,
// a `UUID?`, a `[UUID]` and a `[UUID]?` property is written as lower-case text. Types declared in other
// modules (Domain, Fluent models) keep Foundation's encoding; the hand-written JSON writers
// (`JSONObjectWriter`, `JSONWriter`) and links (`SiteRoute.url`) write `lowercasedString` (or the older
// `uuidString.lowercased()`) themselves. Decoding is unchanged: `UUID(uuidString:)` reads either case.

extension UUID {
    /// `uuidString` in lower case (8-4-4-4-12 hex digits), written straight from the bytes.
    var lowercasedString: String {
        String(unsafeUninitializedCapacity: 36) { out in
            let hex = Self.hexDigits
            var i = 0
            withUnsafeBytes(of: uuid) { bytes in
                for (n, b) in bytes.enumerated() {
                    if n == 4 || n == 6 || n == 8 || n == 10 { out[i] = UInt8(ascii: "-"); i += 1 }
                    out[i] = hex[Int(b >> 4)]
                    out[i + 1] = hex[Int(b & 0x0F)]
                    i += 2
                }
            }
            return i
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}

extension KeyedEncodingContainer {
    mutating func encode(_ value: UUID, forKey key: Key) throws {
        try encode(value.lowercasedString, forKey: key)
    }

    mutating func encodeIfPresent(_ value: UUID?, forKey key: Key) throws {
        guard let value else { return }
        try encode(value.lowercasedString, forKey: key)
    }

    mutating func encode(_ value: [UUID], forKey key: Key) throws {
        try encode(value.map { $0.lowercasedString }, forKey: key)
    }

    mutating func encodeIfPresent(_ value: [UUID]?, forKey key: Key) throws {
        guard let value else { return }
        try encode(value.map { $0.lowercasedString }, forKey: key)
    }
}
