import Domain
import Testing

@Suite struct IdentifiersTests {
    @Test func knownValidNumbers() {
        #expect(Identifiers.isValidSNILS("112-233-445 95"))
        #expect(Identifiers.isValidOrganizationINN("7707083893"))
        #expect(Identifiers.isValidPersonINN("500100732259"))
        #expect(Identifiers.isValidOGRN("1027700132195"))
        #expect(Identifiers.isValidOGRNIP("304500116000157"))
        #expect(Identifiers.isValidKPP("773601001"))
        #expect(Identifiers.isValidKPP("7736AB001"))
    }

    @Test func knownInvalidNumbers() {
        #expect(!Identifiers.isValidSNILS("112-233-445 96"))
        #expect(!Identifiers.isValidSNILS("112-233-445"))
        #expect(!Identifiers.isValidSNILS("112-233-445 9a"))
        #expect(!Identifiers.isValidSNILS("１１２-233-445 95"))  // full-width digits are not ASCII
        #expect(!Identifiers.isValidOrganizationINN("7707083894"))
        #expect(!Identifiers.isValidPersonINN("500100732258"))
        #expect(!Identifiers.isValidOGRN("1027700132196"))
        #expect(!Identifiers.isValidOGRNIP("304500116000158"))
        #expect(!Identifiers.isValidKPP("77360100"))
        #expect(!Identifiers.isValidKPP("7736ab001"))
    }

    /// Property: whatever digits we start from, the made number is valid, and changing its check digit
    /// makes it invalid.
    @Test func madeNumbersAreValidAndCheckDigitsMatter() {
        var rng = SeededRandom(seed: 7)
        for _ in 0..<2000 {
            let d = (0..<14).map { _ in Int.random(in: 0...9, using: &rng) }
            let snils = Identifiers.makeSNILS(from: Array(d[0..<9]))
            #expect(Identifiers.isValidSNILS(snils), "\(snils)")
            let inn10 = Identifiers.makeOrganizationINN(from: Array(d[0..<9]))
            #expect(Identifiers.isValidOrganizationINN(inn10))
            let inn12 = Identifiers.makePersonINN(from: Array(d[0..<10]))
            #expect(Identifiers.isValidPersonINN(inn12))
            let ogrn = Identifiers.makeOGRN(from: Array(d[0..<12]))
            #expect(Identifiers.isValidOGRN(ogrn))
            let ogrnip = Identifiers.makeOGRNIP(from: Array(d[0..<14]))
            #expect(Identifiers.isValidOGRNIP(ogrnip))
            for number in [inn10, ogrn, ogrnip] {
                var chars = Array(number)
                let last = chars.last!.wholeNumberValue!
                chars[chars.count - 1] = Character(String((last + 1) % 10))
                let broken = String(chars)
                #expect(!(Identifiers.isValidOrganizationINN(broken) || Identifiers.isValidOGRN(broken) || Identifiers.isValidOGRNIP(broken)))
            }
        }
    }

    @Test func snilsFormatting() {
        #expect(Identifiers.formatSNILS("11223344595") == "112-233-445 95")
        #expect(Identifiers.normalized("112-233-445 95") == "11223344595")
        #expect(Identifiers.normalized("112/233") == nil)
    }
}
