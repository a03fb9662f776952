import Domain
import Foundation
import NIOCore

/// The one JSON writer of the hot answers — the catalogue's search, programs and open data, and the answer to an
/// application — where Foundation's `JSONEncoder` cost more than the rest of the answer. It writes straight into a
/// buffer: strings escaped as JSON requires, and U+2028/U+2029 too (they end a line in JavaScript); identifiers in
/// lower case; dates in ISO 8601, UTC, whole seconds — the text the global encoder writes for the same values.
///
/// Objects and arrays are written as `{`, fields each followed by a comma, then `close("}")`, which drops the last
/// comma; `object` and `array` do that around a body.
struct JSONWriter {
    private(set) var buffer: ByteBuffer

    init(capacity: Int = 4096) { buffer = ByteBufferAllocator().buffer(capacity: capacity) }

    /// The text written so far (tests, small answers).
    var out: String { String(buffer: buffer) }

    mutating func raw(_ s: StaticString) { buffer.writeStaticString(s) }
    mutating func raw(_ s: String) { buffer.writeString(s) }

    /// A JSON string.
    mutating func string(_ s: String) {
        buffer.writeInteger(UInt8(ascii: "\""))
        if Self.isPlain(s) {
            buffer.writeString(s)
        } else {
            var utf8 = Array(s.utf8)[...]
            while let b = utf8.popFirst() {
                switch b {
                case UInt8(ascii: "\""): buffer.writeStaticString("\\\"")
                case UInt8(ascii: "\\"): buffer.writeStaticString("\\\\")
                case 0x0A: buffer.writeStaticString("\\n")
                case 0x0D: buffer.writeStaticString("\\r")
                case 0x09: buffer.writeStaticString("\\t")
                case ..<0x20: writeEscape(UInt16(b))
                case 0xE2 where utf8.count >= 2 && utf8[utf8.startIndex] == 0x80 && (utf8[utf8.startIndex + 1] == 0xA8 || utf8[utf8.startIndex + 1] == 0xA9):
                    writeEscape(utf8[utf8.startIndex + 1] == 0xA8 ? 0x2028 : 0x2029)
                    utf8.removeFirst(2)
                default: buffer.writeInteger(b)
                }
            }
        }
        buffer.writeInteger(UInt8(ascii: "\""))
    }

    private mutating func writeEscape(_ v: UInt16) {
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        buffer.writeStaticString("\\u")
        for shift in stride(from: 12, through: 0, by: -4) { buffer.writeInteger(hex[Int((v >> UInt16(shift)) & 0xF)]) }
    }

    /// Nothing to escape: no quote, backslash or control character, and no U+2028/U+2029 (which start with 0xE2).
    static func isPlain(_ s: String) -> Bool {
        !s.utf8.contains { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 == 0xE2 }
    }

    // MARK: keys and fields (each field ends with a comma)

    mutating func key(_ k: StaticString) {
        buffer.writeInteger(UInt8(ascii: "\""))
        buffer.writeStaticString(k)
        buffer.writeStaticString("\":")
    }

    /// A key from data (escaped).
    mutating func key(dynamic k: String) {
        string(k)
        buffer.writeInteger(UInt8(ascii: ":"))
    }

    private mutating func comma() { buffer.writeInteger(UInt8(ascii: ",")) }

    mutating func field(_ k: StaticString, _ v: String) { key(k); string(v); comma() }
    mutating func field(_ k: StaticString, _ v: String?) { key(k); if let v { string(v) } else { raw("null") }; comma() }
    mutating func field(_ k: StaticString, _ v: Int) { key(k); buffer.writeString(String(v)); comma() }
    mutating func field(_ k: StaticString, _ v: Int64) { key(k); buffer.writeString(String(v)); comma() }
    mutating func field(_ k: StaticString, _ v: Int64?) { key(k); buffer.writeString(v.map { String($0) } ?? "null"); comma() }
    mutating func field(_ k: StaticString, _ v: Double?) { key(k); buffer.writeString(v.map { String($0) } ?? "null"); comma() }
    mutating func field(_ k: StaticString, _ v: Bool) { key(k); raw(v ? "true" : "false"); comma() }
    mutating func field(_ k: StaticString, _ v: UUID) { key(k); string(v.lowercasedString); comma() }
    mutating func field(_ k: StaticString, _ v: Date) { key(k); string(Self.iso8601(v)); comma() }

    /// A value the global encoder leaves out when absent (`encodeIfPresent`).
    mutating func fieldIfPresent(_ k: StaticString, _ v: String?) { if let v { field(k, v) } }
    mutating func fieldIfPresent(_ k: StaticString, _ v: UUID?) { if let v { field(k, v) } }
    mutating func fieldIfPresent(_ k: StaticString, _ v: Date?) { if let v { field(k, v) } }

    mutating func strings(_ k: StaticString, _ v: [String]) {
        key(k)
        buffer.writeInteger(UInt8(ascii: "["))
        for (i, s) in v.enumerated() {
            if i > 0 { comma() }
            string(s)
        }
        buffer.writeStaticString("],")
    }

    /// Ends an object or array opened with `{`/`[`, dropping a trailing comma.
    mutating func close(_ c: StaticString) {
        if buffer.readableBytes > 0, buffer.getInteger(at: buffer.writerIndex - 1, as: UInt8.self) == UInt8(ascii: ",") {
            buffer.moveWriterIndex(to: buffer.writerIndex - 1)
        }
        raw(c)
    }

    /// `{ … }` around `body`.
    mutating func object(_ body: (inout JSONWriter) -> Void) {
        raw("{")
        body(&self)
        close("}")
    }

    /// A field holding an array of objects, each written by `body`.
    mutating func array<T>(_ k: StaticString, _ items: [T], _ body: (inout JSONWriter, T) -> Void) {
        key(k)
        raw("[")
        for item in items {
            object { body(&$0, item) }
            comma()
        }
        close("]")
        comma()
    }

    /// `2026-09-01T10:00:00Z`, as `JSONEncoder`'s `.iso8601` writes it.
    static func iso8601(_ d: Date) -> String {
        let seconds = Int(d.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let rest = seconds - days * 86_400
        let day = LocalDate(dayNumber: days)
        return day.iso + "T" + LocalDate.pad(rest / 3600, 2) + ":" + LocalDate.pad(rest / 60 % 60, 2) + ":" + LocalDate.pad(rest % 60, 2) + "Z"
    }
}
