import Foundation

/// An in-process inverted index for the catalogue: Russian stems, BM25 ranking with field weights,
/// prefix matching of stems over the term dictionary (ranked below exact stems) to join derived forms the
/// stemmer cuts differently, and tolerance of one wrong, missing or extra letter in longer words.
public struct SearchIndex: Sendable {
    public struct Field: Sendable {
        public let text: String
        public let weight: Double

        public init(_ text: String, weight: Double) {
            self.text = text
            self.weight = weight
        }
    }

    public struct Hit: Sendable, Hashable {
        public let id: Int
        public let score: Double
    }

    /// How much a match counts by its kind.
    static let exactWeight = 1.0
    static let prefixWeight = 0.6
    static let longPrefixWeight = 0.45
    static let minLongPrefixLength = 5
    static let typoWeight = 0.4
    static let minPrefixLength = 4
    static let minTypoLength = 5
    static let k1 = 1.2
    static let b = 0.75

    var termIDs: [String: Int] = [:]
    var terms: [String] = []
    /// term → (document slot, weighted term frequency)
    var postings: [[(Int32, Float)]] = []
    /// one-letter deletions of a term → terms (for typo tolerance)
    var deletions: [String: [Int32]] = [:]
    /// Term ids sorted by term, for prefix ranges; terms added since the last `optimize()` are scanned.
    var sortedTerms: [Int32] = []
    var docIDs: [Int] = []
    var docLengths: [Float] = []
    var slotOf: [Int: Int32] = [:]
    var removedMask: [Bool] = []
    let scratch = ScratchPool()
    let slotLists = SlotListPool()
    let expansions = ExpansionCache()
    /// The average document length that impacts and bounds use, fixed by `optimize()` (0: not yet; then scoring
    /// uses the live average and no pruning is done).
    var frozenAvg: Double = 0
    /// Per term: the largest impact of its postings (an upper bound for pruning; kept on add).
    var maxImpact: [Float] = []
    /// Long posting lists in descending impact order (positions into the list, as of the last `optimize()`).
    var byImpact: [Int: [Int32]] = [:]
    /// Per document slot: its terms with their weighted frequencies, sorted by term (for pruned scoring).
    var forward: [[(Int32, Float)]] = []
    /// Very frequent terms also as a dense array of weighted frequencies per slot (as of the last `optimize()`):
    /// looking one up for a document is then a single read.
    var denseTF: [Int: [Float]] = [:]
    static let longList = 2048
    /// How many postings read in order cost as much as looking one document up in the forward index (a few
    /// cache misses): measured on the 100 000-program benchmark, where 16 read long lists far too often.
    static let lookupCost = 256
    var removedCount = 0
    var totalLength: Double = 0

    public init() {}

    public var count: Int { docIDs.count - removedCount }
    /// Slots of removed or replaced documents still in the postings (a rebuild drops them).
    public var deadSlots: Int { removedCount }

    /// Lower-cased words of letters and digits, ё as е.
    public static func tokens(_ text: String) -> [String] {
        var out: [String] = []
        var current = ""
        for ch in text.lowercased().unicodeScalars {
            let v = ch.value
            // Cyrillic and ASCII letters and digits without a Unicode property lookup; the rest by property.
            let letter = (v >= 0x430 && v <= 0x44F) || (v >= 0x61 && v <= 0x7A) || (v >= 0x30 && v <= 0x39) || v == 0x451
                || (v > 0x7F && ch.properties.isAlphabetic)
            if letter {
                current.unicodeScalars.append(ch == "ё" ? "е" : ch)
            } else if !current.isEmpty {
                out.append(current)
                current = ""
            }
        }
        if !current.isEmpty { out.append(current) }
        return out
    }

    static func stem(_ token: String) -> String {
        token.unicodeScalars.contains { ("а"..."я").contains($0) } ? RussianStemmer.stem(token) : token
    }

    mutating func termID(_ t: String) -> Int {
        if let id = termIDs[t] { return id }
        let id = terms.count
        termIDs[t] = id
        terms.append(t)
        postings.append([])
        maxImpact.append(0)
        if t.count >= Self.minTypoLength - 1 {
            let chars = Array(t)
            for i in 0..<chars.count {
                var v = chars
                v.remove(at: i)
                deletions[String(v), default: []].append(Int32(id))
            }
        }
        return id
    }

    /// Sorts the term dictionary, fixes the average length for scoring and orders long posting lists by impact
    /// (call after a bulk load or a batch of changes; searching works without it, only slower).
    public mutating func optimize() {
        if sortedTerms.count != terms.count {
            let t = terms
            sortedTerms = (0..<Int32(t.count)).sorted { t[Int($0)] < t[Int($1)] }
        }
        let n = Double(count)
        guard n > 0 else { return }
        let live = max(1, totalLength / n)
        let rescore = frozenAvg == 0 || abs(live - frozenAvg) / frozenAvg > 0.01
        if rescore { frozenAvg = live }
        let (c1, c2) = lengthConstants(frozenAvg)
        for t in 0..<postings.count {
            let list = postings[t]
            if rescore {
                var m: Float = 0
                for (slot, tf) in list { m = max(m, Self.impact(tf, docLengths[Int(slot)], c1, c2)) }
                maxImpact[t] = m
            }
            if list.count >= max(Self.longList, count / 4) && denseTF[t]?.count != docIDs.count {
                var d = [Float](repeating: 0, count: docIDs.count)
                for (slot, tf) in list { d[Int(slot)] = tf }
                denseTF[t] = d
            }
            if list.count >= Self.longList && (rescore || byImpact[t]?.count != list.count) {
                let impacts = list.map { Self.impact($0.1, docLengths[Int($0.0)], c1, c2) }
                byImpact[t] = (0..<Int32(list.count)).sorted { impacts[Int($0)] != impacts[Int($1)] ? impacts[Int($0)] > impacts[Int($1)] : $0 < $1 }
            }
        }
    }

    func lengthConstants(_ avg: Double) -> (Float, Float) {
        (Float(Self.k1 * (1 - Self.b)), Float(Self.k1 * Self.b / avg))
    }

    /// The BM25 saturation of a weighted frequency in a document of a given length (≤ k1 + 1).
    @inline(__always) static func impact(_ tf: Float, _ length: Float, _ c1: Float, _ c2: Float) -> Float {
        tf * Float(k1 + 1) / (tf + c1 + c2 * length)
    }

    var scoringAvg: Double { frozenAvg > 0 ? frozenAvg : max(1, totalLength / Double(max(count, 1))) }

    /// Terms that start with `s` (binary search over the sorted dictionary, then the unsorted tail).
    func terms(withPrefix s: String) -> [Int] {
        var lo = 0, hi = sortedTerms.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if terms[Int(sortedTerms[mid])] < s { lo = mid + 1 } else { hi = mid }
        }
        var out: [Int] = []
        while lo < sortedTerms.count, terms[Int(sortedTerms[lo])].hasPrefix(s) {
            out.append(Int(sortedTerms[lo]))
            lo += 1
        }
        for id in sortedTerms.count..<terms.count where terms[id].hasPrefix(s) { out.append(id) }
        return out
    }

    /// Adds (or replaces) a document.
    public mutating func add(id: Int, fields: [Field]) {
        remove(id: id)
        let slot = Int32(docIDs.count)
        docIDs.append(id)
        removedMask.append(false)
        slotOf[id] = slot
        var tf: [Int: Float] = [:]
        var length: Float = 0
        for f in fields {
            for token in Self.tokens(f.text) {
                tf[termID(Self.stem(token)), default: 0] += Float(f.weight)
                length += Float(f.weight)
            }
        }
        for (t, w) in tf { postings[t].append((slot, w)) }
        docLengths.append(length)
        totalLength += Double(length)
        forward.append(tf.map { (Int32($0.key), $0.value) }.sorted { $0.0 < $1.0 })
        if frozenAvg > 0 {
            let (c1, c2) = lengthConstants(frozenAvg)
            for (t, w) in tf { maxImpact[t] = max(maxImpact[t], Self.impact(w, length, c1, c2)) }
        }
    }

    public mutating func remove(id: Int) {
        guard let slot = slotOf[id] else { return }
        removedMask[Int(slot)] = true
        removedCount += 1
        slotOf[id] = nil
        totalLength -= Double(docLengths[Int(slot)])
    }

    /// Terms matching one query token, with the weight of the match.
    func matches(_ token: String) -> [(Int, Double)] {
        // Query words repeat (a catalogue's vocabulary is small): their expansions are kept until a new term
        // appears in the dictionary (which could add a prefix or typo match).
        if let cached = expansions.get(token, version: terms.count) { return cached }
        let found = expand(token)
        expansions.put(token, found, version: terms.count)
        return found
    }

    func expand(_ token: String) -> [(Int, Double)] {
        let s = Self.stem(token)
        var out: [Int: Double] = [:]
        if let id = termIDs[s] { out[id] = Self.exactWeight }
        if s.count >= Self.minPrefixLength {
            // Dictionary terms that extend the stem, or that the stem extends (both at least the minimum).
            for id in terms(withPrefix: s) where out[id] == nil {
                // A close extension is another form of the word; a long one is a compound or a derived word
                // («бисер» → «бисероплетение», «театр» → «театральный»): ranked lower, and only for longer stems.
                let extra = terms[id].count - s.count
                if extra <= 3 { out[id] = Self.prefixWeight } else if s.count >= Self.minLongPrefixLength { out[id] = Self.longPrefixWeight }
            }
            let chars = Array(s)
            for k in max(Self.minPrefixLength, chars.count - 2)..<chars.count {
                if let id = termIDs[String(chars[0..<k])], out[id] == nil { out[id] = Self.prefixWeight }
            }
        }
        if token.count >= Self.minTypoLength && out.isEmpty {
            let chars = Array(s)
            var candidates: Set<Int32> = []
            if let same = deletions[s] { candidates.formUnion(same) }  // one letter missing in the query
            for i in 0..<chars.count {
                var v = chars
                v.remove(at: i)
                let key = String(v)
                if let id = termIDs[key] { candidates.insert(Int32(id)) }  // one letter too many
                if let list = deletions[key] { candidates.formUnion(list) }  // one letter wrong
            }
            for c in candidates where out[Int(c)] == nil { out[Int(c)] = Self.typoWeight }
        }
        return out.map { ($0.key, $0.value) }
    }
}
