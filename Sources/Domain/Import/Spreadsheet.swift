/// Rows of a CSV (RFC 4180, «;» or «,» separated, UTF-8) or of the first sheet of an XLSX workbook.
public enum Spreadsheet {
    public struct Unreadable: Error, Sendable, Equatable {
        public let message: String
    }

    /// Detects the format by its first bytes (an XLSX is a ZIP archive).
    public static func rows(_ data: [UInt8]) throws -> [[String]] {
        if data.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return try xlsx(data) }
        return try csv(data)
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

    static func decodeEntities(_ s: Substring) -> String {
        guard s.contains("&") else { return String(s) }
        var out = ""
        var i = s.startIndex
        while i < s.endIndex {
            if s[i] == "&", let semi = s[i...].firstIndex(of: ";"), s.distance(from: i, to: semi) <= 10 {
                let name = s[s.index(after: i)..<semi]
                switch name {
                case "amp": out.append("&")
                case "lt": out.append("<")
                case "gt": out.append(">")
                case "quot": out.append("\"")
                case "apos": out.append("'")
                default:
                    if name.hasPrefix("#x"), let v = UInt32(name.dropFirst(2), radix: 16), let u = Unicode.Scalar(v) { out.unicodeScalars.append(u) }
                    else if name.hasPrefix("#"), let v = UInt32(name.dropFirst()), let u = Unicode.Scalar(v) { out.unicodeScalars.append(u) }
                    else { out += "&" + name + ";" }
                }
                i = s.index(after: semi)
            } else {
                out.append(s[i])
                i = s.index(after: i)
            }
        }
        return out
    }

    /// The text of every `<t>` inside `xml` (rich text runs joined).
    static func texts(_ xml: Substring) -> String {
        var out = ""
        var rest = xml
        while let open = rest.range(of: "<t") {
            let afterName = rest[open.upperBound...]
            guard let first = afterName.first, first == ">" || first == " " else { rest = afterName; continue }
            guard let gt = afterName.firstIndex(of: ">") else { break }
            if gt > afterName.startIndex, afterName[afterName.index(before: gt)] == "/" { rest = afterName[afterName.index(after: gt)...]; continue }
            let body = afterName[afterName.index(after: gt)...]
            guard let close = body.range(of: "</t>") else { break }
            out += decodeEntities(body[..<close.lowerBound])
            rest = body[close.upperBound...]
        }
        return out
    }

    /// Splits `xml` into the contents of each `<tag …>…</tag>` element.
    static func elements(_ xml: Substring, _ tag: String) -> [(attributes: Substring, body: Substring)] {
        var out: [(Substring, Substring)] = []
        var rest = xml
        while let open = rest.range(of: "<" + tag) {
            let after = rest[open.upperBound...]
            guard let first = after.first, first == ">" || first == " " || first == "/" else { rest = after; continue }
            guard let gt = after.firstIndex(of: ">") else { break }
            let attrs = after[..<gt]
            if attrs.hasSuffix("/") {
                out.append((attrs.dropLast(), ""))
                rest = after[after.index(after: gt)...]
                continue
            }
            let body = after[after.index(after: gt)...]
            guard let close = body.range(of: "</" + tag + ">") else { break }
            out.append((attrs, body[..<close.lowerBound]))
            rest = body[close.upperBound...]
        }
        return out
    }

    static func attribute(_ attrs: Substring, _ name: String) -> String? {
        guard let r = attrs.range(of: " " + name + "=\"") else { return nil }
        let rest = attrs[r.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return String(rest[..<end])
    }

    /// Column index of a cell reference: «C7» → 2.
    static func column(_ ref: String) -> Int? {
        var n = 0
        var seen = false
        for ch in ref.unicodeScalars {
            guard ("A"..."Z").contains(ch) else { break }
            n = n * 26 + Int(ch.value - 64)
            seen = true
        }
        return seen ? n - 1 : nil
    }

    public static func xlsx(_ data: [UInt8]) throws -> [[String]] {
        let files: [String: [UInt8]]
        do { files = try ZipArchive.entries(data) } catch {
            throw Unreadable(message: "Файл XLSX повреждён или не является книгой Excel.")
        }
        let sheetName = files.keys.filter { $0.hasPrefix("xl/worksheets/sheet") && $0.hasSuffix(".xml") }
            .sorted { $0.count == $1.count ? $0 < $1 : $0.count < $1.count }.first
        guard let sheetName, let sheetBytes = files[sheetName] else {
            throw Unreadable(message: "В книге Excel нет листов.")
        }
        var shared: [String] = []
        if let ss = files["xl/sharedStrings.xml"] {
            let xml = String(decoding: ss, as: UTF8.self)
            shared = elements(xml[...], "si").map { texts($0.body) }
        }
        let sheet = String(decoding: sheetBytes, as: UTF8.self)
        var rows: [[String]] = []
        for row in elements(sheet[...], "row") {
            var cells: [String] = []
            for (i, c) in elements(row.body, "c").enumerated() {
                let col = attribute(c.attributes, "r").flatMap(column) ?? i
                guard col < 200 else { continue }
                let type = attribute(c.attributes, "t")
                var value = ""
                if type == "inlineStr" {
                    value = texts(c.body)
                } else if let v = elements(c.body, "v").first {
                    let raw = decodeEntities(v.body)
                    if type == "s" {
                        guard let idx = Int(raw), idx >= 0, idx < shared.count else { throw Unreadable(message: "Книга Excel повреждена: нет строки \(raw).") }
                        value = shared[idx]
                    } else {
                        value = raw
                    }
                }
                while cells.count < col { cells.append("") }
                if cells.count == col { cells.append(value) } else { cells[col] = value }
            }
            if cells.contains(where: { !$0.isEmpty }) { rows.append(cells) }
        }
        return rows
    }
}
