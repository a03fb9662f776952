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

    /// `uuidString` (upper case, as the SQLite driver stores an identifier), written straight from the bytes: Foundation
    /// formats it through `snprintf`, which a bulk write of thousands of rows feels.
    var uppercasedString: String {
        String(unsafeUninitializedCapacity: 36) { out in
            let hex = Self.upperHexDigits
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

    /// Reads the 8-4-4-4-12 form in either case without Foundation's `sscanf`; nil for anything else.
    static func fast(_ s: String) -> UUID? {
        var s = s
        return s.withUTF8 { u -> UUID? in
            guard u.count == 36 else { return nil }
            var bytes = [UInt8](repeating: 0, count: 16)
            var j = 0, i = 0
            while i < 36 {
                if i == 8 || i == 13 || i == 18 || i == 23 {
                    guard u[i] == UInt8(ascii: "-") else { return nil }
                    i += 1
                    continue
                }
                guard let hi = nibble(u[i]), let lo = nibble(u[i + 1]) else { return nil }
                bytes[j] = hi << 4 | lo
                j += 1
                i += 2
            }
            return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                               bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
        }
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
    private static let upperHexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)
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
