import Foundation
import NIOCore
import PostgresNIO
import SQLKit

/// The SQL types of the values the hand-written statements bind.
enum SQLType: String, Sendable {
    case uuid, text, bigint, boolean, timestamptz, integer
}

/// A value bound to a statement, typed the way both databases take it (nil: NULL of that type).
enum SQLValue: Sendable, Hashable {
    case uuid(UUID?)
    case text(String?)
    case int(Int64?)
    case bool(Bool?)
    case date(Date?)

    /// For SQLKit's binds (both databases).
    var encodable: any Encodable & Sendable {
        switch self {
        case .uuid(let v): v
        case .text(let v): v
        case .int(let v): v
        case .bool(let v): v
        case .date(let v): v
        }
    }

    /// For a prepared statement on PostgreSQL.
    func append(to b: inout PostgresBindings) {
        switch self {
        case .uuid(let v): b.append(v)
        case .text(let v): b.append(v)
        case .int(let v): b.append(v)
        case .bool(let v): b.append(v)
        case .date(let v): b.append(v)
        }
    }
}

/// One column of a row the write inserts: its name, its type and how to read it from the row. A table's
/// statements (the INSERT, a PL/pgSQL function's parameters, the arrays of a batch) are generated from one
/// such list, so that no binding list is kept by hand.
struct Column<Row>: Sendable {
    let name: String
    let type: SQLType
    let value: @Sendable (Row) -> SQLValue

    init(_ name: String, _ type: SQLType, _ value: @escaping @Sendable (Row) -> SQLValue) {
        self.name = name
        self.type = type
        self.value = value
    }

    static func uuid(_ name: String, _ f: @escaping @Sendable (Row) -> UUID?) -> Self { .init(name, .uuid) { .uuid(f($0)) } }
    static func text(_ name: String, _ f: @escaping @Sendable (Row) -> String?) -> Self { .init(name, .text) { .text(f($0)) } }
    static func int(_ name: String, _ f: @escaping @Sendable (Row) -> Int64?) -> Self { .init(name, .bigint) { .int(f($0)) } }
    static func bool(_ name: String, _ f: @escaping @Sendable (Row) -> Bool?) -> Self { .init(name, .boolean) { .bool(f($0)) } }
    static func date(_ name: String, _ f: @escaping @Sendable (Row) -> Date?) -> Self { .init(name, .timestamptz) { .date(f($0)) } }
}

/// The values of one column over many rows, as one PostgreSQL array parameter (NULL elements allowed).
struct ColumnArray: Sendable {
    let type: SQLType
    private(set) var values: [SQLValue] = []

    init(type: SQLType, capacity: Int = 0) {
        self.type = type
        values.reserveCapacity(capacity)
    }

    mutating func append(_ v: SQLValue) { values.append(v) }

    func append(to b: inout PostgresBindings) {
        switch type {
        case .uuid: b.append(NullableArray(values.map { if case .uuid(let v) = $0 { v } else { nil } }))
        case .text: b.append(NullableArray(values.map { if case .text(let v) = $0 { v } else { nil } }))
        case .bigint: b.append(NullableArray(values.map { if case .int(let v) = $0 { v } else { nil } }))
        case .integer: b.append(NullableArray(values.map { if case .int(let v) = $0 { v.map { Int32(truncatingIfNeeded: $0) } } else { nil } }))
        case .boolean: b.append(NullableArray(values.map { if case .bool(let v) = $0 { v } else { nil } }))
        case .timestamptz: b.append(NullableArray(values.map { if case .date(let v) = $0 { v } else { nil } }))
        }
    }
}

/// A one-dimensional PostgreSQL array whose elements may be NULL (PostgresNIO's own arrays cannot hold NULL), in
/// the binary array format: dimensions, the has-null flag, the element type, length and lower bound, then each
/// element with its length (-1 for NULL).
struct NullableArray<Element: PostgresArrayEncodable & PostgresNonThrowingEncodable>: PostgresNonThrowingEncodable, PostgresDynamicTypeEncodable {
    let elements: [Element?]

    init(_ elements: [Element?]) { self.elements = elements }

    static var psqlType: PostgresDataType { Element.psqlArrayType }
    static var psqlFormat: PostgresFormat { .binary }

    func encode<JSONEncoder: PostgresJSONEncoder>(into buffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>) {
        buffer.writeInteger(elements.isEmpty ? 0 : 1, as: Int32.self)
        buffer.writeInteger(elements.contains { $0 == nil } ? 1 : 0, as: Int32.self)
        buffer.writeInteger(Element.psqlType.rawValue)
        guard !elements.isEmpty else { return }
        buffer.writeInteger(Int32(elements.count), as: Int32.self)
        buffer.writeInteger(1, as: Int32.self)
        for e in elements {
            guard let e else {
                buffer.writeInteger(-1, as: Int32.self)
                continue
            }
            let at = buffer.writerIndex
            buffer.writeInteger(0, as: Int32.self)
            e.encode(into: &buffer, context: context)
            buffer.setInteger(Int32(buffer.writerIndex - at - 4), at: at, as: Int32.self)
        }
    }
}
