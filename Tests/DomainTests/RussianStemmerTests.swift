import Domain
import Foundation
import Testing

@Suite struct RussianStemmerTests {
    /// Every word of the fixture (60 000 real forms) stems exactly as the reference implementation does.
    @Test func agreesWithTheReferenceImplementation() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/russian-stems.tsv")
        let text = try String(contentsOf: url, encoding: .utf8)
        var checked = 0
        var mismatches: [String] = []
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard parts.count == 2 else { continue }
            let got = RussianStemmer.stem(String(parts[0]))
            if got != parts[1] { mismatches.append("\(parts[0]): \(got) ≠ \(parts[1])") }
            checked += 1
        }
        #expect(checked > 50_000)
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches: \(mismatches.prefix(20).joined(separator: "; "))")
    }

    @Test func knownForms() {
        #expect(RussianStemmer.stem("робототехникой") == RussianStemmer.stem("робототехника"))
        #expect(RussianStemmer.stem("шахматный") == "шахматн")
        #expect(RussianStemmer.stem("шахматы") == "шахмат")
        #expect(RussianStemmer.stem("ёлки") == RussianStemmer.stem("елки"))
        #expect(RussianStemmer.stem("") == "")
        #expect(RussianStemmer.stem("abc") == "abc")
    }
}
