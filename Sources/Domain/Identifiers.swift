/// Russian identifiers and their checksums: СНИЛС, ИНН, ОГРН, ОГРНИП, КПП.
/// Input may contain spaces and dashes («123-456-789 64»); `normalized` strips them.
public enum Identifiers {
    public static func digits(_ s: String) -> [Int]? {
        var out: [Int] = []
        for ch in s where ch != " " && ch != "-" && ch != "\u{00A0}" {
            guard let d = ch.wholeNumberValue, ch.isASCII else { return nil }
            out.append(d)
        }
        return out
    }

    /// Digits only, or nil when something else than digits, spaces and dashes is present.
    public static func normalized(_ s: String) -> String? {
        digits(s).map { $0.map(String.init).joined() }
    }

    // MARK: СНИЛС

    public static func snilsChecksum(_ first9: [Int]) -> Int {
        var sum = 0
        for (i, d) in first9.enumerated() { sum += d * (9 - i) }
        if sum < 100 { return sum }
        if sum == 100 || sum == 101 { return 0 }
        let r = sum % 101
        return r == 100 ? 0 : r
    }

    public static func isValidSNILS(_ s: String) -> Bool {
        guard let d = digits(s), d.count == 11 else { return false }
        let check = d[9] * 10 + d[10]
        return snilsChecksum(Array(d[0..<9])) == check
    }

    /// «123-456-789 64».
    public static func formatSNILS(_ s: String) -> String {
        guard let n = normalized(s), n.count == 11 else { return s }
        let c = Array(n)
        return String(c[0..<3]) + "-" + String(c[3..<6]) + "-" + String(c[6..<9]) + " " + String(c[9..<11])
    }

    public static func makeSNILS(from first9: [Int]) -> String {
        let check = snilsChecksum(first9)
        return first9.map(String.init).joined() + (check < 10 ? "0" : "") + String(check)
    }

    // MARK: ИНН

    private static func weighted(_ d: [Int], _ w: [Int]) -> Int {
        var s = 0
        for i in 0..<w.count { s += d[i] * w[i] }
        return s % 11 % 10
    }

    private static let inn10Weights = [2, 4, 10, 3, 5, 9, 4, 6, 8]
    private static let inn11Weights = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8]
    private static let inn12Weights = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8]

    /// ИНН of an organization (10 digits).
    public static func isValidOrganizationINN(_ s: String) -> Bool {
        guard let d = digits(s), d.count == 10 else { return false }
        return weighted(d, inn10Weights) == d[9]
    }

    /// ИНН of a person or an ИП (12 digits).
    public static func isValidPersonINN(_ s: String) -> Bool {
        guard let d = digits(s), d.count == 12 else { return false }
        return weighted(d, inn11Weights) == d[10] && weighted(d, inn12Weights) == d[11]
    }

    public static func makeOrganizationINN(from first9: [Int]) -> String {
        (first9 + [weighted(first9 + [0], inn10Weights)]).map(String.init).joined()
    }

    public static func makePersonINN(from first10: [Int]) -> String {
        let c11 = weighted(first10 + [0], inn11Weights)
        let c12 = weighted(first10 + [c11, 0], inn12Weights)
        return (first10 + [c11, c12]).map(String.init).joined()
    }

    // MARK: ОГРН, ОГРНИП

    private static func number(_ d: ArraySlice<Int>) -> UInt64 {
        d.reduce(0) { $0 * 10 + UInt64($1) }
    }

    public static func isValidOGRN(_ s: String) -> Bool {
        guard let d = digits(s), d.count == 13 else { return false }
        return Int(number(d[0..<12]) % 11 % 10) == d[12]
    }

    public static func isValidOGRNIP(_ s: String) -> Bool {
        guard let d = digits(s), d.count == 15 else { return false }
        return Int(number(d[0..<14]) % 13 % 10) == d[14]
    }

    public static func makeOGRN(from first12: [Int]) -> String {
        let c = Int(number(first12[...]) % 11 % 10)
        return (first12 + [c]).map(String.init).joined()
    }

    public static func makeOGRNIP(from first14: [Int]) -> String {
        let c = Int(number(first14[...]) % 13 % 10)
        return (first14 + [c]).map(String.init).joined()
    }

    // MARK: КПП

    /// КПП: 4 digits (tax office), 2 digits or capital Latin letters (reason), 3 digits.
    public static func isValidKPP(_ s: String) -> Bool {
        let c = Array(s)
        guard c.count == 9 else { return false }
        for i in 0..<9 {
            let ch = c[i]
            let ok: Bool
            if i == 4 || i == 5 {
                ok = ch.isASCII && (ch.isNumber || ("A"..."Z").contains(ch))
            } else {
                ok = ch.isASCII && ch.isNumber
            }
            if !ok { return false }
        }
        return true
    }
}
