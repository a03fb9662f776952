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
    private var removedMask: [Bool] = []
    private let scratch = ScratchPool()
    private var removedCount = 0
    private var totalLength: Double = 0

    public init() {}

    public var count: Int { docIDs.count - removedCount }
    /// Slots of removed or replaced documents still in the postings (a rebuild drops them).
    public var deadSlots: Int { removedCount }

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
    }

    public mutating func remove(id: Int) {
        guard let slot = slotOf[id] else { return }
        removedMask[Int(slot)] = true
        removedCount += 1
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

    /// Every matching document (by id) with its BM25 score over the matched terms, unordered.
    public func scoreAll(_ query: String) -> [Hit] {
        withScores(query) { slots, scores in slots.map { Hit(id: docIDs[Int($0)], score: Double(scores[Int($0)])) } }
    }

    /// Dense scoring into pooled scratch arrays: `body` gets the matched slots and a score per slot (a query's
    /// terms are OR-ed; for each query token the best of its matching terms counts, so a stem and its typo
    /// variants do not add up). The arrays are zeroed again before they go back to the pool.
    private func withScores<R>(_ query: String, _ body: ([Int32], UnsafeMutableBufferPointer<Float>) -> R) -> R {
        let n = Double(count)
        var acc = scratch.take(docIDs.count)
        var best = scratch.take(docIDs.count)
        defer {
            scratch.give(best)
        }
        var matched: [Int32] = []
        var touched: [Int32] = []
        if n > 0 {
            let avg = max(1, totalLength / n)
            let k1 = Self.k1, b = Self.b
            let c1 = Float(k1 * (1 - b)), c2 = Float(k1 * b / avg)
            acc.withUnsafeMutableBufferPointer { accp in
                best.withUnsafeMutableBufferPointer { bestp in
                    removedMask.withUnsafeBufferPointer { removed in
                        docLengths.withUnsafeBufferPointer { lengths in
                            for token in Set(Self.tokens(query)) {
                                touched.removeAll(keepingCapacity: true)
                                for (term, weight) in matches(token) {
                                    postings[term].withUnsafeBufferPointer { list in
                                        let df = Double(list.count)
                                        let idf = log(1 + (n - df + 0.5) / (df + 0.5))
                                        let w = Float(weight * idf * (k1 + 1))
                                        for (slot, tf) in list {
                                            let i = Int(slot)
                                            if removed[i] { continue }
                                            let s = w * tf / (tf + c1 + c2 * lengths[i])
                                            if s > bestp[i] {
                                                if bestp[i] == 0 { touched.append(slot) }
                                                bestp[i] = s
                                            }
                                        }
                                    }
                                }
                                for slot in touched {
                                    let i = Int(slot)
                                    if accp[i] == 0 { matched.append(slot) }
                                    accp[i] += bestp[i]
                                    bestp[i] = 0
                                }
                            }
                        }
                    }
                }
            }
        }
        let result = acc.withUnsafeMutableBufferPointer { body(matched, $0) }
        acc.withUnsafeMutableBufferPointer { p in for slot in matched { p[Int(slot)] = 0 } }
        scratch.give(acc)
        return result
    }

    /// The best `limit` documents for `query` that pass `filter`, by BM25 over the matched terms.
    public func search(_ query: String, limit: Int = 20, filter: ((Int) -> Bool)? = nil) -> [Hit] {
        guard limit > 0 else { return [] }
        return withScores(query) { slots, scores in
            // A bounded, sorted top list: most candidates lose to its last entry at once.
            var top: [Hit] = []
            top.reserveCapacity(limit + 1)
            func better(_ a: Hit, _ b: Hit) -> Bool { a.score != b.score ? a.score > b.score : a.id < b.id }
            for slot in slots {
                let hit = Hit(id: docIDs[Int(slot)], score: Double(scores[Int(slot)]))
                if top.count == limit, !better(hit, top[limit - 1]) { continue }
                if let filter, !filter(hit.id) { continue }
                var i = top.count
                while i > 0 && better(hit, top[i - 1]) { i -= 1 }
                top.insert(hit, at: i)
                if top.count > limit { top.removeLast() }
            }
            return top
        }
    }
}

/// Zeroed score arrays reused across queries (a 100 000-document index would otherwise allocate and clear
/// 800 KB per query). Thread-safe: searches run concurrently on a shared index.
final class ScratchPool: @unchecked Sendable {
    private let lock = NSLock()
    private var free: [[Float]] = []

    func take(_ n: Int) -> [Float] {
        lock.lock()
        let b = free.popLast()
        lock.unlock()
        if var b {
            if b.count < n { b.append(contentsOf: repeatElement(0, count: n - b.count)) }
            return b
        }
        return [Float](repeating: 0, count: n)
    }

    func give(_ b: [Float]) {
        lock.lock()
        if free.count < 16 { free.append(b) }
        lock.unlock()
    }
}
