import Foundation

/// Scoring and the top of a query: BM25 over the postings, one word by impact order, several by MaxScore.
extension SearchIndex {
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
    func withScores<R>(_ query: String, _ body: ([Int32], UnsafeMutableBufferPointer<Float>) -> R) -> R {
        withScores(weighted(query), body)
    }

    /// The query's words, each with its matching terms and their weights (match kind × idf).
    func weighted(_ query: String) -> [[(term: Int, w: Float)]] {
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

    func withScores<R>(_ tokens: [[(term: Int, w: Float)]], _ body: ([Int32], UnsafeMutableBufferPointer<Float>) -> R) -> R {
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
    func topOfOneToken(_ variants: [(term: Int, w: Float)], limit: Int, filter: ((Int) -> Bool)?) -> [Hit] {
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
    func topByMaxScore(_ tokens: [[(term: Int, w: Float)]], limit: Int, filter: ((Int) -> Bool)?) -> [Hit] {
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
