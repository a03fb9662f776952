import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Rows of a CSV (RFC 4180, «;» or «,» separated, UTF-8) or of the sheet of an XLSX workbook. The XLSX's
/// ZIP container is opened in App (`XLSXReader`); here are the XML parts it holds, parsed with
/// Foundation's `XMLParser`: the shared strings, then the sheet's cells, then rows.
public enum Spreadsheet {
    public struct Unreadable: Error, Sendable, Equatable {
        public let message: String

        public init(message: String) { self.message = message }
    }

    public static func csv(_ bytes: [UInt8]) throws -> [[String]] {
        var data = bytes
        if data.starts(with: [0xEF, 0xBB, 0xBF]) { data.removeFirst(3) }
        guard let text = String(validating: data, as: UTF8.self) else {
            throw Unreadable(message: "Файл не в кодировке UTF-8: сохраните его как «CSV UTF-8».")
        }
        let firstLine = text.prefix { $0 != "\n" && $0 != "\r\n" }
        let sep: Character = firstLine.filter { $0 == ";" }.count >= firstLine.filter { $0 == "," }.count ? ";" : ","
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var it = text.makeIterator()
        var pending: Character? = nil
        func next() -> Character? {
            if let p = pending { pending = nil; return p }
            return it.next()
        }
        while let ch = next() {
            if quoted {
                if ch == "\"" {
                    if let n = next() {
                        if n == "\"" { field.append("\"") } else { quoted = false; pending = n }
                    } else { quoted = false }
                } else {
                    field.append(ch)
                }
            } else if ch == "\"" && field.isEmpty {
                quoted = true
            } else if ch == sep {
                row.append(field)
                field = ""
            } else if ch == "\n" || ch == "\r\n" || ch == "\r" {
                row.append(field)
                field = ""
                rows.append(row)
                row = []
            } else {
                field.append(ch)
            }
        }
        if quoted { throw Unreadable(message: "В файле не закрыта кавычка.") }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows.filter { !($0.count == 1 && $0[0].isEmpty) }
    }

    // MARK: XLSX

    /// The rows of an XLSX sheet: `sheet` is the worksheet part (`xl/worksheets/sheet1.xml`),
    /// `sharedStrings` the shared strings part (`xl/sharedStrings.xml`) when the workbook has one.
    /// A cell's place comes from its reference («C7»), or follows the previous cell; rows without any
    /// text are left out; columns past the 200th are ignored.
    public static func xlsx(sheet: Data, sharedStrings: Data?) throws -> [[String]] {
        let shared = try sharedStrings.map(Self.sharedStrings) ?? []
        let parsed = SheetParser()
        try parse(sheet, with: parsed)
        if let missing = parsed.missingSharedString(count: shared.count) {
            throw Unreadable(message: "Книга Excel повреждена: нет строки \(missing).")
        }
        return parsed.rows.compactMap { cells in
            var row: [String] = []
            for cell in cells where cell.column < 200 {
                let value = cell.shared.map { shared[$0] } ?? cell.value
                while row.count < cell.column { row.append("") }
                if row.count == cell.column { row.append(value) } else { row[cell.column] = value }
            }
            return row.contains(where: { !$0.isEmpty }) ? row : nil
        }
    }

    /// The texts of the shared strings part, in order: every `<si>`, its rich text runs joined, its
    /// phonetic hints (`<rPh>`) left out.
    public static func sharedStrings(_ xml: Data) throws -> [String] {
        let parser = SharedStringsParser()
        try parse(xml, with: parser)
        return parser.strings
    }

    /// Column index of a cell reference: «C7» → 2.
    static func column(_ ref: String) -> Int? {
        var n = 0
        var seen = false
        for ch in ref.unicodeScalars {
            guard ("A"..."Z").contains(ch) else { break }
            n = n * 26 + Int(ch.value - 64)
            seen = true
            if n > 16_384 { return nil }  // beyond Excel's last column XFD
        }
        return seen ? n - 1 : nil
    }

    /// What `parse` needs of a part's delegate: whether the document came to its end without an error.
    /// (On Linux `XMLParser` parses in libxml2's recovery mode, so `parse()` alone succeeds on a cut
    /// document, and on one shorter than 4 bytes without reading it.)
    protocol PartDelegate: XMLParserDelegate {
        var outline: XMLOutline { get }
    }

    /// The nesting of a part's elements, and any error the parser reported.
    struct XMLOutline {
        var depth = 0
        var closed = false
        var failed = false

        mutating func enter() {
            if closed { failed = true }  // a second root
            depth += 1
        }

        mutating func leave() {
            depth -= 1
            if depth == 0 { closed = true }
        }

        var complete: Bool { closed && depth == 0 && !failed }
    }

    /// Runs `XMLParser` over one part. Refused before parsing, since the parts of a workbook never have them
    /// and the parser is not safe with them: a DTD or an entity declaration (libxml2 is run with entity
    /// substitution: that is how an XML file blows up when it is read); bytes that are not UTF-8, a NUL
    /// byte or another declared encoding (FoundationXML on Linux force-unwraps names as UTF-8 and traps
    /// on a name that is not). After parsing, the document must have closed its root without an error.
    static func parse(_ xml: Data, with delegate: some PartDelegate) throws {
        let damaged = Unreadable(message: "Книга Excel повреждена: её содержимое не читается как XML.")
        if xml.range(of: Data("<!DOCTYPE".utf8)) != nil || xml.range(of: Data("<!ENTITY".utf8)) != nil {
            throw Unreadable(message: "Книга Excel повреждена: в ней есть объявления XML, которых в книгах Excel не бывает.")
        }
        guard !xml.contains(0), String(validating: xml, as: UTF8.self) != nil, declaresUTF8(xml) else {
            throw Unreadable(message: "Книга Excel повреждена: её содержимое не в кодировке UTF-8.")
        }
        let parser = XMLParser(data: xml)
        parser.shouldProcessNamespaces = true
        parser.shouldResolveExternalEntities = false
        parser.delegate = delegate
        guard parser.parse(), delegate.outline.complete else { throw damaged }
    }

    /// No XML declaration, or one without an encoding or with UTF-8.
    static func declaresUTF8(_ xml: Data) -> Bool {
        var head = xml.prefix(256)
        if head.starts(with: [0xEF, 0xBB, 0xBF]) { head = head.dropFirst(3) }
        guard head.starts(with: Data("<?xml".utf8)), let end = head.range(of: Data("?>".utf8)) else { return true }
        let declaration = String(decoding: head[head.startIndex..<end.lowerBound], as: UTF8.self).lowercased()
        guard let at = declaration.range(of: "encoding") else { return true }
        let value = declaration[at.upperBound...].drop { $0 == " " || $0 == "=" || $0 == "\"" || $0 == "'" }
            .prefix { $0 != "\"" && $0 != "'" && $0 != " " }
        return value == "utf-8" || value == "utf8"
    }

    /// `<sst><si><t>…</t></si><si><r><t>…</t></r><r><t>…</t></r></si></sst>`.
    final class SharedStringsParser: NSObject, PartDelegate {
        var strings: [String] = []
        var outline = XMLOutline()
        private var current: String? = nil
        private var inText = false
        private var phonetic = 0

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            outline.enter()
            switch name {
            case "si": current = ""
            case "rPh": phonetic += 1
            case "t": inText = current != nil && phonetic == 0
            default: break
            }
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            outline.leave()
            switch name {
            case "si":
                strings.append(current ?? "")
                current = nil
            case "rPh": phonetic -= 1
            case "t": inText = false
            default: break
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if inText { current? += string }
        }

        func parser(_ parser: XMLParser, foundCDATA block: Data) {
            if inText { current? += String(decoding: block, as: UTF8.self) }
        }

        func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
            outline.failed = true
        }
    }

    /// `<sheetData><row><c r="A1" t="s"><v>0</v></c><c t="inlineStr"><is><t>…</t></is></c></row></sheetData>`.
    final class SheetParser: NSObject, PartDelegate {
        struct Cell {
            var column: Int
            var value = ""
            /// The index into the shared strings, for a cell of type `s`.
            var shared: Int? = nil
        }

        var rows: [[Cell]] = []
        var outline = XMLOutline()
        /// A shared string reference that is not a number (kept to report it).
        var badShared: String? = nil
        private var row: [Cell]? = nil
        private var cell: Cell? = nil
        private var type: String? = nil
        private var text: String? = nil
        private var phonetic = 0

        func missingSharedString(count: Int) -> String? {
            if let badShared { return badShared }
            for r in rows { for c in r { if let i = c.shared, i >= count { return String(i) } } }
            return nil
        }

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            outline.enter()
            switch name {
            case "row":
                row = []
            case "c" where row != nil:
                let next = (row?.last?.column ?? -1) + 1
                cell = Cell(column: attributes["r"].flatMap(Spreadsheet.column) ?? next)
                type = attributes["t"]
            case "v" where cell != nil && type != "inlineStr":
                text = ""
            case "rPh":
                phonetic += 1
            case "t" where cell != nil && type == "inlineStr" && phonetic == 0:
                text = ""
            default:
                break
            }
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            outline.leave()
            switch name {
            case "row":
                if let row { rows.append(row) }
                row = nil
            case "c":
                if let cell { row?.append(cell) }
                cell = nil
                type = nil
            case "v":
                guard let raw = text else { break }
                text = nil
                if type == "s" {
                    let trimmed = raw.trimmingCharacters(in: .whitespacesAndNewlines)
                    if let i = Int(trimmed), i >= 0 { cell?.shared = i } else if badShared == nil { badShared = trimmed }
                } else {
                    cell?.value = raw
                }
            case "t":
                if let t = text { cell?.value += t }
                text = nil
            case "rPh":
                phonetic -= 1
            default:
                break
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            text? += string
        }

        func parser(_ parser: XMLParser, foundCDATA block: Data) {
            text? += String(decoding: block, as: UTF8.self)
        }

        func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
            outline.failed = true
        }
    }
}
