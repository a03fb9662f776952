@testable import Domain
import Testing

enum InflateFixtures {
    static let smallPlain = "привет привет привет, Навигатор!"
    static let smallDeflated: [UInt8] = [187, 176, 255, 98, 195, 133, 29, 23, 54, 93, 216, 122, 177, 73, 225, 2, 46, 142, 142, 194, 133, 185, 23, 54, 0, 217, 59, 46, 108, 190, 176, 225, 98, 211, 133, 125, 23, 27, 20, 1]
    static let bigDeflated: [UInt8] = [237, 206, 217, 81, 66, 65, 20, 69, 209, 84, 8, 192, 12, 72, 142, 233, 9, 138, 2, 142, 32, 226, 132, 226, 44, 60, 69, 240, 201, 152, 194, 62, 25, 121, 139, 24, 248, 178, 206, 71, 119, 215, 173, 234, 222, 171, 185, 101, 197, 39, 43, 149, 54, 107, 162, 132, 37, 25, 51, 210, 157, 156, 106, 164, 49, 47, 98, 47, 169, 30, 115, 18, 119, 10, 76, 226, 197, 56, 206, 84, 21, 50, 53, 243, 57, 220, 112, 195, 13, 55, 220, 112, 195, 13, 55, 220, 112, 99, 91, 141, 22, 109, 174, 25, 240, 206, 152, 153, 138, 170, 169, 201, 57, 87, 60, 240, 198, 23, 191, 42, 168, 170, 6, 103, 244, 184, 231, 53, 180, 140, 181, 118, 117, 200, 41, 151, 244, 121, 33, 229, 39, 202, 137, 14, 56, 161, 203, 29, 207, 140, 152, 178, 84, 69, 117, 142, 185, 136, 63, 62, 49, 12, 119, 161, 178, 246, 57, 162, 195, 13, 143, 124, 240, 205, 60, 126, 182, 103, 223, 190, 125, 251, 246, 237, 219, 183, 111, 223, 190, 125, 251, 246, 237, 219, 183, 111, 223, 190, 125, 251, 246, 237, 255, 7, 255, 15]
    static let bigCount = 8720
    static let bigChecksum: UInt32 = 1322777201
}

func crc32(_ data: [UInt8]) -> UInt32 {
    var table = [UInt32](repeating: 0, count: 256)
    for i in 0..<256 {
        var c = UInt32(i)
        for _ in 0..<8 { c = c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        table[i] = c
    }
    var crc: UInt32 = 0xFFFF_FFFF
    for b in data { crc = table[Int((crc ^ UInt32(b)) & 0xFF)] ^ (crc >> 8) }
    return crc ^ 0xFFFF_FFFF
}

@Suite struct ImportFormatTests {
    @Test func inflatesFixedAndDynamicHuffmanBlocks() throws {
        let small = try Inflate.inflate(InflateFixtures.smallDeflated)
        #expect(String(decoding: small, as: UTF8.self) == InflateFixtures.smallPlain)
        let big = try Inflate.inflate(InflateFixtures.bigDeflated)
        #expect(big.count == InflateFixtures.bigCount)
        #expect(crc32(big) == InflateFixtures.bigChecksum)
    }

    @Test func inflatesStoredBlocksAndRefusesBrokenInput() throws {
        // A final stored block of 3 bytes.
        #expect(try Inflate.inflate([0x01, 0x03, 0x00, 0xFC, 0xFF, 0x61, 0x62, 0x63]) == Array("abc".utf8))
        #expect(throws: InflateError.invalidStoredLength) { try Inflate.inflate([0x01, 0x03, 0x00, 0x00, 0x00, 0x61]) }
        #expect(throws: InflateError.truncated) { try Inflate.inflate(Array(InflateFixtures.bigDeflated.prefix(50))) }
        #expect(throws: InflateError.invalidBlockType) { try Inflate.inflate([0x07]) }
        #expect(throws: InflateError.tooLarge) { try Inflate.inflate(InflateFixtures.bigDeflated, limit: 1000) }
        // Random garbage never crashes.
        var rng = SeededRandom(seed: 3)
        for _ in 0..<2000 {
            let junk = (0..<Int.random(in: 0...64, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            _ = try? Inflate.inflate(junk, limit: 1 << 16)
            _ = try? ZipArchive.entries(junk)
        }
    }

    @Test func csvWithQuotesSeparatorsAndBOM() throws {
        let text = "\u{FEFF}Фамилия;Имя;Примечание\r\nИванов;\"Иван\";\"с \"\"кавычками\"\"; и ;\"\r\nПетрова;Анна;\"две\nстроки\"\n\n"
        let rows = try Spreadsheet.rows(Array(text.utf8))
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
    @Test func textsAndElementsOfSheetXML() {
        #expect(Spreadsheet.texts("<si><t>Робо</t></si>"[...]) == "Робо")
        #expect(Spreadsheet.texts("<si><r><t xml:space=\"preserve\">a &amp; </t></r><r><t>b</t></r><t/></si>"[...]) == "a & b")
        let cells = Spreadsheet.elements("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"C1\"/></row>"[...], "c")
        #expect(cells.count == 2)
        #expect(Spreadsheet.attribute(cells[0].attributes, "r") == "A1")
        #expect(Spreadsheet.column("AB12") == 27)
        #expect(Spreadsheet.decodeEntities("&lt;&#1071;&#x42F;&gt;"[...]) == "<ЯЯ>")
    }
}
