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
    private let slotLists = SlotListPool()
    private let expansions = ExpansionCache()
    /// The average document length that impacts and bounds use, fixed by `optimize()` (0: not yet; then scoring
    /// uses the live average and no pruning is done).
    private var frozenAvg: Double = 0
    /// Per term: the largest impact of its postings (an upper bound for pruning; kept on add).
    private var maxImpact: [Float] = []
    /// Long posting lists in descending impact order (positions into the list, as of the last `optimize()`).
    private var byImpact: [Int: [Int32]] = [:]
    /// Per document slot: its terms with their weighted frequencies, sorted by term (for pruned scoring).
    private var forward: [[(Int32, Float)]] = []
    /// Very frequent terms also as a dense array of weighted frequencies per slot (as of the last `optimize()`):
    /// looking one up for a document is then a single read.
    private var denseTF: [Int: [Float]] = [:]
    static let longList = 2048
    /// How many postings read in order cost as much as looking one document up in the forward index (a few
    /// cache misses): measured on the 100 000-program benchmark, where 16 read long lists far too often.
    static let lookupCost = 256
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

    private mutating func termID(_ t: String) -> Int {
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

    private func lengthConstants(_ avg: Double) -> (Float, Float) {
        (Float(Self.k1 * (1 - Self.b)), Float(Self.k1 * Self.b / avg))
    }

    /// The BM25 saturation of a weighted frequency in a document of a given length (≤ k1 + 1).
    @inline(__always) static func impact(_ tf: Float, _ length: Float, _ c1: Float, _ c2: Float) -> Float {
        tf * Float(k1 + 1) / (tf + c1 + c2 * length)
    }

    private var scoringAvg: Double { frozenAvg > 0 ? frozenAvg : max(1, totalLength / Double(max(count, 1))) }

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
    private func matches(_ token: String) -> [(Int, Double)] {
        // Query words repeat (a catalogue's vocabulary is small): their expansions are kept until a new term
        // appears in the dictionary (which could add a prefix or typo match).
        if let cached = expansions.get(token, version: terms.count) { return cached }
        let found = expand(token)
        expansions.put(token, found, version: terms.count)
        return found
    }

    private func expand(_ token: String) -> [(Int, Double)] {
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

    /// Every matching document (by id) with its BM25 score over the matched terms, unordered.
    public func scoreAll(_ query: String) -> [Hit] {
        withScores(query) { slots, scores in slots.map { Hit(id: docIDs[Int($0)], score: Double(scores[Int($0)])) } }
    }

    /// Calls `body` with every matching document (by id) and its score, unordered, without collecting them.
    public func forEachMatch(_ query: String, _ body: (Int, Double) -> Void) {
        withScores(query) { slots, scores in
            for slot in slots { body(docIDs[Int(slot)], Double(scores[Int(slot)])) }
        }
    }

    /// Dense scoring into pooled scratch arrays: `body` gets the matched slots and a score per slot (a query's
    /// terms are OR-ed; for each query token the best of its matching terms counts, so a stem and its typo
    /// variants do not add up). The arrays are zeroed again before they go back to the pool.
    private func withScores<R>(_ query: String, _ body: ([Int32], UnsafeMutableBufferPointer<Float>) -> R) -> R {
        withScores(weighted(query), body)
    }

    /// The query's words, each with its matching terms and their weights (match kind × idf).
    private func weighted(_ query: String) -> [[(term: Int, w: Float)]] {
        let n = Double(count)
        guard n > 0 else { return [] }
        var out: [[(term: Int, w: Float)]] = []
        for token in Set(Self.tokens(query)) {
            let m = matches(token).map { m -> (term: Int, w: Float) in
                let df = Double(postings[m.0].count)
                return (term: m.0, w: Float(m.1 * log(1 + (n - df + 0.5) / (df + 0.5))))
            }
            if !m.isEmpty { out.append(m) }
        }
        return out
    }

    private func withScores<R>(_ tokens: [[(term: Int, w: Float)]], _ body: ([Int32], UnsafeMutableBufferPointer<Float>) -> R) -> R {
        let n = Double(count)
        var acc = scratch.take(docIDs.count)
        var best = scratch.take(docIDs.count)
        defer {
            scratch.give(best)
        }
        var matched = slotLists.take()
        var touched = slotLists.take()
        defer {
            touched.removeAll(keepingCapacity: true); slotLists.give(touched)
        }
        if n > 0 {
            let (c1, c2) = lengthConstants(scoringAvg)
            acc.withUnsafeMutableBufferPointer { accp in
                best.withUnsafeMutableBufferPointer { bestp in
                    removedMask.withUnsafeBufferPointer { removed in
                        docLengths.withUnsafeBufferPointer { lengths in
                            for variants in tokens {
                                touched.removeAll(keepingCapacity: true)
                                for v in variants {
                                    postings[v.term].withUnsafeBufferPointer { list in
                                        let w = v.w
                                        for (slot, tf) in list {
                                            let i = Int(slot)
                                            if removed[i] { continue }
                                            let s = w * Self.impact(tf, lengths[i], c1, c2)
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
        matched.removeAll(keepingCapacity: true); slotLists.give(matched)
        return result
    }

    /// The best `limit` documents for `query` that pass `filter`, by BM25 over the matched terms.
    public func search(_ query: String, limit: Int = 20, filter: ((Int) -> Bool)? = nil) -> [Hit] {
        guard limit > 0 else { return [] }
        let tokens = weighted(query)
        if frozenAvg > 0 {
            let volume = tokens.reduce(0) { $0 + $1.reduce(0) { $0 + postings[$1.term].count } }
            if volume >= 4 * Self.longList {
                return tokens.count == 1 ? topOfOneToken(tokens[0], limit: limit, filter: filter)
                                         : topByMaxScore(tokens, limit: limit, filter: filter)
            }
        }
        return withScores(tokens) { slots, scores in
            var top = TopList(limit: limit)
            for slot in slots {
                let hit = Hit(id: docIDs[Int(slot)], score: Double(scores[Int(slot)]))
                if !top.wouldTake(hit) { continue }
                if let filter, !filter(hit.id) { continue }
                top.put(hit)
            }
            return top.hits
        }
    }

    /// The best hits so far, best first; ties by id.
    struct TopList {
        let limit: Int
        var hits: [Hit] = []

        init(limit: Int) {
            self.limit = limit
            hits.reserveCapacity(limit + 1)
        }

        static func better(_ a: Hit, _ b: Hit) -> Bool { a.score != b.score ? a.score > b.score : a.id < b.id }
        var full: Bool { hits.count == limit }
        /// The score a newcomer must beat once the list is full.
        var threshold: Double { full ? hits[limit - 1].score : 0 }
        func wouldTake(_ h: Hit) -> Bool { !full || Self.better(h, hits[limit - 1]) }

        /// Adds a hit, or raises the score of a document already listed.
        mutating func put(_ h: Hit) {
            if let i = hits.firstIndex(where: { $0.id == h.id }) {
                if h.score <= hits[i].score { return }
                hits.remove(at: i)
            }
            guard wouldTake(h) else { return }
            var i = hits.count
            while i > 0 && Self.better(h, hits[i - 1]) { i -= 1 }
            hits.insert(h, at: i)
            if hits.count > limit { hits.removeLast() }
        }
    }

    /// One query token (its exact, prefix and typo terms; a document scores the best of them): short lists and
    /// the unordered tails of long ones are scored in full, long lists are read in descending impact order and
    /// left as soon as their next entry cannot enter the top.
    private func topOfOneToken(_ variants: [(term: Int, w: Float)], limit: Int, filter: ((Int) -> Bool)?) -> [Hit] {
        let (c1, c2) = lengthConstants(frozenAvg)
        var top = TopList(limit: limit)
        var seen = scratch.take(docIDs.count)
        var touched = slotLists.take()
        func offer(_ slot: Int32, _ s: Float) {
            let i = Int(slot)
            if removedMask[i] || s <= seen[i] { return }
            if seen[i] == 0 { touched.append(slot) }
            seen[i] = s
            let hit = Hit(id: docIDs[i], score: Double(s))
            if !top.wouldTake(hit) && !top.hits.contains(where: { $0.id == hit.id }) { return }
            if let filter, !filter(hit.id) { return }
            top.put(hit)
        }
        for v in variants {
            let list = postings[v.term]
            let start = byImpact[v.term]?.count ?? 0
            for pos in start..<list.count { offer(list[pos].0, v.w * Self.impact(list[pos].1, docLengths[Int(list[pos].0)], c1, c2)) }
        }
        for v in variants {
            guard let order = byImpact[v.term] else { continue }
            let list = postings[v.term]
            for pos in order {
                let (slot, tf) = list[Int(pos)]
                let s = v.w * Self.impact(tf, docLengths[Int(slot)], c1, c2)
                if top.full && Double(s) <= top.threshold { break }
                offer(slot, s)
            }
        }
        for slot in touched { seen[Int(slot)] = 0 }
        scratch.give(seen)
        touched.removeAll(keepingCapacity: true); slotLists.give(touched)
        return top.hits
    }

    /// Several tokens (scores add up): MaxScore. Tokens are scored in full in descending order of their best
    /// possible contribution until what the remaining ones could add cannot lift a document past the current
    /// k-th score; the remaining tokens are then looked up only for the documents still in the running.
    private func topByMaxScore(_ tokens: [[(term: Int, w: Float)]], limit: Int, filter: ((Int) -> Bool)?) -> [Hit] {
        let (c1, c2) = lengthConstants(frozenAvg)
        let bounded = tokens.map { v in (v, v.reduce(Float(0)) { max($0, $1.w * maxImpact[$1.term]) }) }.sorted { $0.1 > $1.1 }
        var acc = scratch.take(docIDs.count)
        var best = scratch.take(docIDs.count)
        var cache = scratch.take(docIDs.count)  // the filter's answer per slot: 0 not asked, 1 passes, -1 fails
        var matched = slotLists.take()
        var touched = slotLists.take()
        var asked = slotLists.take()
        var top = TopList(limit: limit)
        docLengths.withUnsafeBufferPointer { lengths in
        removedMask.withUnsafeBufferPointer { removed in
        docIDs.withUnsafeBufferPointer { ids in
        acc.withUnsafeMutableBufferPointer { accp in
        best.withUnsafeMutableBufferPointer { bestp in
        cache.withUnsafeMutableBufferPointer { cachep in
            func passing(_ slot: Int32) -> Bool {
                guard let filter else { return true }
                let i = Int(slot)
                if cachep[i] != 0 { return cachep[i] > 0 }
                let p = filter(ids[i])
                cachep[i] = p ? 1 : -1
                asked.append(slot)
                return p
            }
            var done = 0
            var threshold: Float = 0
            for (index, (variants, _)) in bounded.enumerated() {
                touched.removeAll(keepingCapacity: true)
                for v in variants {
                    postings[v.term].withUnsafeBufferPointer { list in
                        for (slot, tf) in list {
                            let i = Int(slot)
                            if removed[i] { continue }
                            let s = v.w * Self.impact(tf, lengths[i], c1, c2)
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
                done = index + 1
                var remaining: Float = 0
                for r in bounded[done...] { remaining += r.1 }
                if remaining == 0 { break }
                // The k-th best partial score among documents that pass the filter.
                var kth = TopList(limit: limit)
                for slot in matched {
                    let h = Hit(id: ids[Int(slot)], score: Double(accp[Int(slot)]))
                    if kth.wouldTake(h) && passing(slot) { kth.put(h) }
                }
                threshold = Float(kth.threshold)
                if kth.full && remaining < threshold { break }
            }
            var rest = Array(bounded[done...])
            var remaining: Float = 0
            for r in rest { remaining += r.1 }
            if !rest.isEmpty {
                // Looking the remaining words up per document costs a cache miss or two each; when many documents
                // are still in the running, reading the remaining lists in order is cheaper.
                var inRunning = 0
                for slot in matched where accp[Int(slot)] + remaining >= threshold { inRunning += 1 }
                var volume = 0
                for (variants, _) in rest { for v in variants { volume += postings[v.term].count } }
                if inRunning * Self.lookupCost > volume {
                    for (variants, _) in rest {
                        touched.removeAll(keepingCapacity: true)
                        for v in variants {
                            postings[v.term].withUnsafeBufferPointer { list in
                                for (slot, tf) in list {
                                    let i = Int(slot)
                                    if accp[i] == 0 || removed[i] { continue }  // not matched by the rarer words: out of the running
                                    let s = v.w * Self.impact(tf, lengths[i], c1, c2)
                                    if s > bestp[i] {
                                        if bestp[i] == 0 { touched.append(slot) }
                                        bestp[i] = s
                                    }
                                }
                            }
                        }
                        for slot in touched {
                            accp[Int(slot)] += bestp[Int(slot)]
                            bestp[Int(slot)] = 0
                        }
                    }
                    rest = []
                }
            }
            let resolved = rest.map { $0.0.map { (term: $0.term, w: $0.w, dense: denseTF[$0.term]) } }
            for slot in matched {
                let i = Int(slot)
                var s = accp[i]
                if !rest.isEmpty {
                    if s + remaining < threshold { continue }
                    forward[i].withUnsafeBufferPointer { terms in
                        for variants in resolved {
                            var b: Float = 0
                            for v in variants {
                                if let d = v.dense, i < d.count {
                                    let tf = d[i]
                                    if tf > 0 { b = max(b, v.w * Self.impact(tf, lengths[i], c1, c2)) }
                                    continue
                                }
                                var lo = 0, hi = terms.count
                                let t = Int32(v.term)
                                while lo < hi {
                                    let mid = (lo + hi) / 2
                                    if terms[mid].0 < t { lo = mid + 1 } else { hi = mid }
                                }
                                if lo < terms.count && terms[lo].0 == t {
                                    b = max(b, v.w * Self.impact(terms[lo].1, lengths[i], c1, c2))
                                }
                            }
                            s += b
                        }
                    }
                }
                let hit = Hit(id: ids[i], score: Double(s))
                if top.wouldTake(hit) && passing(slot) { top.put(hit) }
            }
            for slot in matched { accp[Int(slot)] = 0 }
            for slot in asked { cachep[Int(slot)] = 0 }
        }
        }
        }
        }
        }
        }
        scratch.give(acc)
        scratch.give(best)
        scratch.give(cache)
        matched.removeAll(keepingCapacity: true); slotLists.give(matched)
        touched.removeAll(keepingCapacity: true); slotLists.give(touched)
        asked.removeAll(keepingCapacity: true); slotLists.give(asked)
        return top.hits
    }
}

/// Expansions of query words into dictionary terms, valid for one dictionary size. Thread-safe.
final class ExpansionCache: @unchecked Sendable {
    private let lock = NSLock()
    private var version = -1
    private var entries: [String: [(Int, Double)]] = [:]
    static let capacity = 20_000

    func get(_ token: String, version v: Int) -> [(Int, Double)]? {
        lock.lock()
        defer { lock.unlock() }
        return version == v ? entries[token] : nil
    }

    func put(_ token: String, _ value: [(Int, Double)], version v: Int) {
        lock.lock()
        defer { lock.unlock() }
        if version != v || entries.count >= Self.capacity {
            entries.removeAll(keepingCapacity: true)
            version = v
        }
        entries[token] = value
    }
}

/// Lists of document slots reused across queries (emptied, their capacity kept): a broad word matches most of
/// the catalogue, and growing a fresh list to 100 000 entries on every query was a tenth of the search time.
final class SlotListPool: @unchecked Sendable {
    private let lock = NSLock()
    private var free: [[Int32]] = []

    func take() -> [Int32] {
        lock.lock()
        let b = free.popLast()
        lock.unlock()
        return b ?? []
    }

    /// Takes back a list the caller has emptied (`removeAll(keepingCapacity: true)`).
    func give(_ b: [Int32]) {
        lock.lock()
        if free.count < 48 { free.append(b) }
        lock.unlock()
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
