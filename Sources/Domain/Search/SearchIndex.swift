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
    static let typoWeight = 0.4
    static let minPrefixLength = 4
    static let minTypoLength = 5
    static let k1 = 1.2
    static let b = 0.75

    private var termIDs: [String: Int] = [:]
    private var terms: [String] = []
    /// term → (document slot, weighted term frequency)
    private var postings: [[(Int32, Float)]] = []
    /// one-letter deletions of a term → terms (for typo tolerance)
    private var deletions: [String: [Int32]] = [:]
    /// Term ids sorted by term, for prefix ranges; terms added since the last `optimize()` are scanned.
    private var sortedTerms: [Int32] = []
    private var docIDs: [Int] = []
    private var docLengths: [Float] = []
    private var slotOf: [Int: Int32] = [:]
    private var removed: Set<Int32> = []
    private var totalLength: Double = 0

    public init() {}

    public var count: Int { docIDs.count - removed.count }

    /// Lower-cased words of letters and digits, ё as е.
    public static func tokens(_ text: String) -> [String] {
        var out: [String] = []
        var current = ""
        for ch in text.lowercased().unicodeScalars {
            if ch.properties.isAlphabetic || ("0"..."9").contains(ch) {
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

    private mutating func termID(_ t: String) -> Int {
        if let id = termIDs[t] { return id }
        let id = terms.count
        termIDs[t] = id
        terms.append(t)
        postings.append([])
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

    /// Sorts the term dictionary (call after a bulk load; searching works without it, only slower).
    public mutating func optimize() {
        let t = terms
        sortedTerms = (0..<Int32(t.count)).sorted { t[Int($0)] < t[Int($1)] }
    }

    /// Terms that start with `s` (binary search over the sorted dictionary, then the unsorted tail).
    private func terms(withPrefix s: String) -> [Int] {
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
    }

    public mutating func remove(id: Int) {
        guard let slot = slotOf[id] else { return }
        removed.insert(slot)
        slotOf[id] = nil
        totalLength -= Double(docLengths[Int(slot)])
    }

    /// Terms matching one query token, with the weight of the match.
    private func matches(_ token: String) -> [(Int, Double)] {
        let s = Self.stem(token)
        var out: [Int: Double] = [:]
        if let id = termIDs[s] { out[id] = Self.exactWeight }
        if s.count >= Self.minPrefixLength {
            // Dictionary terms that extend the stem, or that the stem extends (both at least the minimum).
            for id in terms(withPrefix: s) where out[id] == nil && terms[id].count - s.count <= 3 {
                out[id] = Self.prefixWeight
            }
            let chars = Array(s)
            for k in max(Self.minPrefixLength, chars.count - 3)..<chars.count {
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

    /// The best `limit` documents for `query` that pass `filter`, by BM25 over the matched terms.
    public func search(_ query: String, limit: Int = 20, filter: ((Int) -> Bool)? = nil) -> [Hit] {
        let n = Double(count)
        guard n > 0 else { return [] }
        let avg = max(1, totalLength / n)
        var scores: [Int32: Double] = [:]
        for token in Set(Self.tokens(query)) {
            var best: [Int32: Double] = [:]
            for (term, weight) in matches(token) {
                let list = postings[term]
                let df = Double(list.count)
                let idf = log(1 + (n - df + 0.5) / (df + 0.5))
                for (slot, tf) in list where !removed.contains(slot) {
                    let f = Double(tf)
                    let norm = f * (Self.k1 + 1) / (f + Self.k1 * (1 - Self.b + Self.b * Double(docLengths[Int(slot)]) / avg))
                    let s = weight * idf * norm
                    if s > best[slot] ?? 0 { best[slot] = s }
                }
            }
            for (slot, s) in best { scores[slot, default: 0] += s }
        }
        var hits: [Hit] = []
        hits.reserveCapacity(scores.count)
        for (slot, s) in scores {
            let id = docIDs[Int(slot)]
            if let filter, !filter(id) { continue }
            hits.append(Hit(id: id, score: s))
        }
        hits.sort { $0.score != $1.score ? $0.score > $1.score : $0.id < $1.id }
        return Array(hits.prefix(limit))
    }
}

import Foundation
