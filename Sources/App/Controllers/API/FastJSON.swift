import Domain
import Foundation
import NIOCore
import Vapor

/// A JSON object written straight into a buffer, for the answers of the enrollment hot path (Foundation's
/// `JSONEncoder` cost more than the rest of the answer). The output reads the same as the global encoder's:
/// dates in ISO 8601 (UTC, whole seconds), UUIDs lower-case (see Identifiers.swift), an absent value's key left out.
struct JSONObjectWriter {
    private(set) var buffer: ByteBuffer
    private var first = true

    init(capacity: Int = 1024) {
        buffer = ByteBufferAllocator().buffer(capacity: capacity)
        buffer.writeInteger(UInt8(ascii: "{"))
    }

    private mutating func key(_ k: StaticString) {
        if !first { buffer.writeInteger(UInt8(ascii: ",")) }
        first = false
        buffer.writeInteger(UInt8(ascii: "\""))
        buffer.writeStaticString(k)
        buffer.writeStaticString("\":")
    }

    mutating func field(_ k: StaticString, _ v: String?) {
        guard let v else { return }
        key(k)
        Self.write(string: v, to: &buffer)
    }

    mutating func field(_ k: StaticString, _ v: UUID?) {
        guard let v else { return }
        key(k)
        buffer.writeInteger(UInt8(ascii: "\""))
        buffer.writeString(v.lowercasedString)
        buffer.writeInteger(UInt8(ascii: "\""))
    }

    mutating func field(_ k: StaticString, _ v: Int64) {
        key(k)
        buffer.writeString(String(v))
    }

    mutating func field(_ k: StaticString, _ v: Bool) {
        key(k)
        buffer.writeStaticString(v ? "true" : "false")
    }

    mutating func field(_ k: StaticString, _ v: Date?) {
        guard let v else { return }
        key(k)
        buffer.writeInteger(UInt8(ascii: "\""))
        buffer.writeString(Self.iso8601(v))
        buffer.writeInteger(UInt8(ascii: "\""))
    }

    /// An array of objects, each written by `body`.
    mutating func field<T>(_ k: StaticString, _ items: [T], _ body: (inout JSONObjectWriter, T) -> Void) {
        key(k)
        buffer.writeInteger(UInt8(ascii: "["))
        for (i, item) in items.enumerated() {
            if i > 0 { buffer.writeInteger(UInt8(ascii: ",")) }
            var w = JSONObjectWriter(capacity: 64)
            body(&w, item)
            var inner = w.finished()
            buffer.writeBuffer(&inner)
        }
        buffer.writeInteger(UInt8(ascii: "]"))
    }

    func finished() -> ByteBuffer {
        var b = buffer
        b.writeInteger(UInt8(ascii: "}"))
        return b
    }

    /// `2026-09-01T10:00:00Z`, as `JSONEncoder`'s `.iso8601` writes it.
    static func iso8601(_ d: Date) -> String {
        let seconds = Int(d.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let rest = seconds - days * 86_400
        let day = LocalDate(dayNumber: days)
        return day.iso + "T" + LocalDate.pad(rest / 3600, 2) + ":" + LocalDate.pad(rest / 60 % 60, 2) + ":" + LocalDate.pad(rest % 60, 2) + "Z"
    }

    /// A JSON string: quotes, backslashes and control characters escaped, everything else as UTF-8.
    static func write(string s: String, to buffer: inout ByteBuffer) {
        buffer.writeInteger(UInt8(ascii: "\""))
        var plain = true
        for b in s.utf8 where b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") {
            plain = false
            break
        }
        if plain {
            buffer.writeString(s)
        } else {
            for b in s.utf8 {
                switch b {
                case UInt8(ascii: "\""): buffer.writeStaticString("\\\"")
                case UInt8(ascii: "\\"): buffer.writeStaticString("\\\\")
                case 0x0A: buffer.writeStaticString("\\n")
                case 0x0D: buffer.writeStaticString("\\r")
                case 0x09: buffer.writeStaticString("\\t")
                case ..<0x20:
                    buffer.writeStaticString("\\u00")
                    let hex: [UInt8] = Array("0123456789abcdef".utf8)
                    buffer.writeInteger(hex[Int(b >> 4)])
                    buffer.writeInteger(hex[Int(b & 0x0F)])
                default: buffer.writeInteger(b)
                }
            }
        }
        buffer.writeInteger(UInt8(ascii: "\""))
    }
}
