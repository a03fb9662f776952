@testable import Domain
import Foundation
import Testing

@Suite struct ImportFormatTests {
    @Test func csvWithQuotesSeparatorsAndBOM() throws {
        let text = "\u{FEFF}Фамилия;Имя;Примечание\r\nИванов;\"Иван\";\"с \"\"кавычками\"\"; и ;\"\r\nПетрова;Анна;\"две\nстроки\"\n\n"
        let rows = try Spreadsheet.csv(Array(text.utf8))
        #expect(rows.count == 3)
        #expect(rows[0] == ["Фамилия", "Имя", "Примечание"])
        #expect(rows[1] == ["Иванов", "Иван", "с \"кавычками\"; и ;"])
        #expect(rows[2] == ["Петрова", "Анна", "две\nстроки"])
        let comma = try Spreadsheet.csv(Array("a,b,c\n1,2,3".utf8))
        #expect(comma == [["a", "b", "c"], ["1", "2", "3"]])
        #expect(throws: Spreadsheet.Unreadable.self) { try Spreadsheet.csv([0xFF, 0xFE, 0x41]) }
        #expect(throws: Spreadsheet.Unreadable.self) { try Spreadsheet.csv(Array("a;\"b\n".utf8)) }
    }
}

@Suite struct XLSXParsingTests {
    static let ns = #"xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main""#

    func sheet(_ rows: String) -> Data {
        Data(#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet \#(Self.ns)><sheetData>\#(rows)</sheetData></worksheet>"#.utf8)
    }

    @Test func sharedStringsJoinRichTextRunsAndDecodeEntities() throws {
        let xml = #"<sst \#(Self.ns) count="4"><si><t>Робо</t></si><si><r><rPr><b/></rPr><t xml:space="preserve">a &amp; </t></r><r><t>b</t></r><t/></si>"#
            + #"<si><t>&lt;&#1071;&#x42F;&gt;</t><rPh sb="0" eb="1"><t>фонетика</t></rPh></si><si><t/></si><si><t><![CDATA[x<y]]></t></si></sst>"#
        #expect(try Spreadsheet.sharedStrings(Data(xml.utf8)) == ["Робо", "a & b", "<ЯЯ>", "", "x<y"])
        #expect(Spreadsheet.column("AB12") == 27)
        #expect(Spreadsheet.column("A1") == 0)
        #expect(Spreadsheet.column("12") == nil)
        #expect(Spreadsheet.column(String(repeating: "Z", count: 40)) == nil)  // no overflow
    }

    @Test func cellsGoToTheirColumnsAndTypesAreRead() throws {
        let shared = Data(#"<sst \#(Self.ns)><si><t>Иванов</t></si><si><t>Иван</t></si></sst>"#.utf8)
        let rows = try Spreadsheet.xlsx(sheet: sheet("""
            <row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="s"><v>1</v></c></row>\
            <row r="2"><c r="A2"><v>41791</v></c><c r="B2" t="inlineStr"><is><t>встроенная &amp; строка</t></is></c><c r="D2" t="str"><f>A2&amp;""</f><v>41791</v></c></row>\
            <row r="3"><c r="A3"/><c r="B3" t="s"/></row>\
            <row r="4"><c t="inlineStr"><is><t>без</t></is></c><c t="inlineStr"><is><t>ссылок</t></is></c><c r="GZ4"><v>далеко</v></c></row>
            """), sharedStrings: shared)
        #expect(rows == [["Иванов", "", "Иван"], ["41791", "встроенная & строка", "", "41791"], ["без", "ссылок"]])
        // A prefixed namespace (as some generators write) reads the same.
        let prefixed = Data(#"<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData><x:row><x:c r="B1"><x:v>7</x:v></x:c></x:row></x:sheetData></x:worksheet>"#.utf8)
        #expect(try Spreadsheet.xlsx(sheet: prefixed, sharedStrings: nil) == [["", "7"]])
    }

    @Test func brokenPartsAreRefusedInRussian() throws {
        func message(_ sheetXML: Data, _ shared: Data? = nil) -> String? {
            do { _ = try Spreadsheet.xlsx(sheet: sheetXML, sharedStrings: shared); return nil } catch let e as Spreadsheet.Unreadable {
                return e.message
            } catch { return "\(error)" }
        }
        #expect(message(sheet(#"<row><c t="s"><v>3</v></c></row>"#))?.contains("нет строки 3") == true)
        #expect(message(sheet(#"<row><c t="s"><v>x</v></c></row>"#))?.contains("нет строки x") == true)
        #expect(message(Data("<worksheet><sheetData><row>".utf8))?.contains("не читается как XML") == true)
        let laughs = #"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><worksheet><sheetData><row><c t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>"#
        #expect(message(Data(laughs.utf8))?.contains("повреждена") == true)
        #expect(message(Data("<worksheet\u{0}/>".utf8))?.contains("повреждена") == true)
        #expect(message(sheet(""), Data("<sst><si>".utf8))?.contains("не читается как XML") == true)
        #expect(message(Data("<a/".utf8))?.contains("не читается как XML") == true)
        #expect(message(Data("<worksheet/><worksheet/>".utf8))?.contains("не читается как XML") == true)
        #expect(message(Data([0x3C, 0x63, 0xC3, 0x3E, 0x3C, 0x2F, 0x63, 0xC3, 0x3E]))?.contains("UTF-8") == true)  // <c\xC3></c\xC3>
        let cp1251 = #"<?xml version="1.0" encoding="windows-1251"?><worksheet><sheetData/></worksheet>"#
        #expect(message(Data(cp1251.utf8))?.contains("UTF-8") == true)
        #expect(try Spreadsheet.xlsx(sheet: Data(#"<?xml version='1.0' encoding='UTF-8'?><worksheet/>"#.utf8), sharedStrings: nil) == [])
        #expect(try Spreadsheet.xlsx(sheet: Data([0xEF, 0xBB, 0xBF] + Array("<worksheet/>".utf8)), sharedStrings: nil) == [])
        // Random bytes and cut documents never crash: they give rows or a refusal.
        var rng = SeededRandom(seed: 3)
        let good = Array(sheet(#"<row r="1"><c r="A1" t="inlineStr"><is><t>Робо</t></is></c><c r="B1"><v>1</v></c></row>"#))
        let shared = Array(#"<sst><si><r><t>а</t></r><rPh><t>б</t></rPh></si><si><t>в</t></si></sst>"#.utf8)
        let alphabet = Array("<>/=\"' &;#x:abcrstvAZ019?!-[]".utf8) + [0xC3, 0xD0, 0x80, 0xFF]
        for _ in 0..<2_000 {
            let junk = (0..<Int.random(in: 0...64, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            _ = try? Spreadsheet.xlsx(sheet: Data(junk), sharedStrings: nil)
            _ = try? Spreadsheet.sharedStrings(Data(junk))
            // Documents cut short or with a few bytes changed, inserted or removed, mostly still text.
            for base in [good, shared] {
                var doc = Array(base.prefix(Int.random(in: base.count / 2...base.count, using: &rng)))
                for _ in 0..<Int.random(in: 1...4, using: &rng) where !doc.isEmpty {
                    let at = Int.random(in: 0..<doc.count, using: &rng)
                    switch Int.random(in: 0..<3, using: &rng) {
                    case 0: doc[at] = alphabet.randomElement(using: &rng)!
                    case 1: doc.insert(alphabet.randomElement(using: &rng)!, at: at)
                    default: doc.remove(at: at)
                    }
                }
                _ = try? Spreadsheet.xlsx(sheet: Data(doc), sharedStrings: Data(shared))
                _ = try? Spreadsheet.sharedStrings(Data(doc))
            }
        }
    }
}
