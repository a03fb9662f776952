/// The Snowball Russian stemming algorithm (snowballstem.org/algorithms/russian/stemmer.html), checked
/// against the reference implementation (PyPI `snowballstemmer`) on a vocabulary kept as a test fixture.
///
/// Words are lower-cased Cyrillic; ё is treated as е. Other characters are left as they are.
public enum RussianStemmer {
    private typealias S = [Unicode.Scalar]

    private static let vowels: Set<Unicode.Scalar> = ["а", "е", "и", "о", "у", "ы", "э", "ю", "я"]

    private static func list(_ words: [String]) -> [S] {
        words.map { Array($0.unicodeScalars) }.sorted { $0.count > $1.count }
    }

    private static let perfectiveGerund1 = list(["в", "вши", "вшись"])
    private static let perfectiveGerund2 = list(["ив", "ивши", "ившись", "ыв", "ывши", "ывшись"])
    private static let adjective = list(["ее", "ие", "ые", "ое", "ими", "ыми", "ей", "ий", "ый", "ой", "ем", "им", "ым", "ом",
                                         "его", "ого", "ему", "ому", "их", "ых", "ую", "юю", "ая", "яя", "ою", "ею"])
    private static let participle1 = list(["ем", "нн", "вш", "ющ", "щ"])
    private static let participle2 = list(["ивш", "ывш", "ующ"])
    private static let reflexive = list(["ся", "сь"])
    private static let verb1 = list(["ла", "на", "ете", "йте", "ли", "й", "л", "ем", "н", "ло", "но", "ет", "ют", "ны", "ть", "ешь", "нно"])
    private static let verb2 = list(["ила", "ыла", "ена", "ейте", "уйте", "ите", "или", "ыли", "ей", "уй", "ил", "ыл", "им", "ым", "ен",
                                     "ило", "ыло", "ено", "ят", "ует", "уют", "ит", "ыт", "ены", "ить", "ыть", "ишь", "ую", "ю"])
    private static let noun = list(["а", "ев", "ов", "ие", "ье", "е", "иями", "ями", "ами", "еи", "ии", "и", "ией", "ей", "ой", "ий", "й",
                                    "иям", "ям", "ием", "ем", "ам", "ом", "о", "у", "ах", "иях", "ях", "ы", "ь", "ию", "ью", "ю", "ия",
                                    "ья", "я"])
    private static let derivational = list(["ост", "ость"])

    private static func endsWith(_ w: S, _ end: Int, _ suffix: S, limit: Int) -> Bool {
        let start = end - suffix.count
        guard start >= limit else { return false }
        for i in 0..<suffix.count where w[start + i] != suffix[i] { return false }
        return true
    }

    /// The longest suffix of `w[..<end]` among `groups` lying at or after `limit`: (group index, length).
    private static func longest(_ w: S, _ end: Int, limit: Int, _ groups: [[S]]) -> (Int, Int)? {
        var best: (Int, Int)? = nil
        for (g, list) in groups.enumerated() {
            for s in list where s.count > (best?.1 ?? 0) {
                if endsWith(w, end, s, limit: limit) { best = (g, s.count); break }
            }
        }
        return best
    }

    /// A group-1 ending must follow а or я (kept), itself inside RV.
    private static func precededByAorYa(_ w: S, _ start: Int, limit: Int) -> Bool {
        start - 1 >= limit && (w[start - 1] == "а" || w[start - 1] == "я")
    }

    public static func stem(_ word: String) -> String {
        var w: S = word.unicodeScalars.map { $0 == "ё" ? "е" : $0 }
        // Regions: RV after the first vowel; R1 after the first non-vowel following a vowel; R2 the same in R1.
        let n = w.count
        var pV = n, p1 = n, p2 = n
        var i = 0
        while i < n && !vowels.contains(w[i]) { i += 1 }
        if i < n {
            pV = i + 1
            var j = pV
            while j < n && vowels.contains(w[j]) { j += 1 }
            if j < n {
                p1 = j + 1
                var k = p1
                while k < n && !vowels.contains(w[k]) { k += 1 }
                while k < n && vowels.contains(w[k]) { k += 1 }
                if k < n { p2 = k + 1 }
            }
        }
        guard pV < n else { return String(String.UnicodeScalarView(w)) }
        var end = n

        // Step 1.
        var done = false
        if let (g, len) = longest(w, end, limit: pV, [perfectiveGerund1, perfectiveGerund2]) {
            if g == 1 || precededByAorYa(w, end - len, limit: pV) {
                end -= len
                done = true
            }
        }
        if !done {
            if let (_, len) = longest(w, end, limit: pV, [reflexive]) { end -= len }
            if let (_, len) = longest(w, end, limit: pV, [adjective]) {
                end -= len
                if let (g, plen) = longest(w, end, limit: pV, [participle1, participle2]),
                   g == 1 || precededByAorYa(w, end - plen, limit: pV) {
                    end -= plen
                }
            } else if let (g, len) = longest(w, end, limit: pV, [verb1, verb2]),
                      g == 1 || precededByAorYa(w, end - len, limit: pV) {
                end -= len
            } else if let (_, len) = longest(w, end, limit: pV, [noun]) {
                end -= len
            }
        }
        // Step 2.
        if end - 1 >= pV && w[end - 1] == "и" { end -= 1 }
        // Step 3.
        if let (_, len) = longest(w, end, limit: pV, [derivational]), end - len >= p2 { end -= len }
        // Step 4.
        let superlative: [S] = list(["ейш", "ейше"])
        let tidy = longest(w, end, limit: pV, [superlative, [["н"]], [["ь"]]])
        switch tidy?.0 {
        case 0:
            end -= tidy!.1
            if end - 2 >= pV && w[end - 1] == "н" && w[end - 2] == "н" { end -= 1 }
        case 1:
            if end - 2 >= pV && w[end - 2] == "н" { end -= 1 }
        case 2:
            end -= 1
        default:
            break
        }
        w.removeLast(n - end)
        return String(String.UnicodeScalarView(w))
    }
}
