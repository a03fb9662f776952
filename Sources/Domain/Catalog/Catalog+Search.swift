import Foundation

/// The full search: filters, facets (a value of a facet counts the programs that fail no other filter), sorting, pages.
extension Catalog {
    /// A page of results, its total and the facets.
    public func search(_ q: CatalogQuery) -> CatalogResult {
        let c = compile(q)
        var counts = FacetCounter(municipalities: municipalityNames.count)
        var passing: [(slot: Int, score: Double)] = []
        let text = !SearchIndex.tokens(q.text).isEmpty
        if !c.impossible {
            func visit(_ slot: Int, _ score: Double) {
                let k = packed[slot]
                guard k.live else { return }
                let f = c.failures(k)
                if f == 0 {
                    passing.append((slot, score))
                    counts.add(k, except: nil)
                } else if f & (f - 1) == 0 {
                    counts.add(k, except: f.trailingZeroBitCount)
                }
            }
            if q.provider == nil {
                // By signature: one failure test and one facet update per signature.
                var sigCount = [Int32](repeating: 0, count: sigs.count)
                var sigFail = [UInt32](repeating: .max, count: sigs.count)
                packed.withUnsafeBufferPointer { pk in
                sigOf.withUnsafeBufferPointer { so in
                sigs.withUnsafeBufferPointer { sg in
                    func visitSig(_ slot: Int, _ score: Double) {
                        guard pk[slot].live else { return }
                        let sig = Int(so[slot])
                        var f = sigFail[sig]
                        if f == .max {
                            f = c.failures(sg[sig])
                            sigFail[sig] = f
                        }
                        if f == 0 { passing.append((slot, score)) }
                        if f & (f &- 1) == 0 { sigCount[sig] += 1 }
                    }
                    if text {
                        index.forEachMatch(q.text) { visitSig($0, $1) }
                    } else {
                        for slot in 0..<pk.count { visitSig(slot, 0) }
                    }
                }
                }
                }
                for sig in 0..<sigs.count where sigCount[sig] > 0 {
                    let f = sigFail[sig]
                    counts.add(sigs[sig], except: f == 0 ? nil : f.trailingZeroBitCount, times: Int(sigCount[sig]))
                }
            } else if text {
                index.forEachMatch(q.text) { visit($0, $1) }
            } else {
                for slot in 0..<packed.count { visit(slot, 0) }
            }
        }
        let today = q.today
        // Sort keys, smaller first: (exact, a, b, name rank, slot); `exact` holds kopecks for the price order.
        struct Ranked { var slot: Int32; var exact: Int64 = 0; var a: Double; var b: Double; var name: Int32 }
        func nearest(_ p: CatalogProgram) -> Double {
            var best = Int.max
            for g in p.groups where g.open && g.endsOn >= today { best = min(best, max(g.startsOn, today).dayNumber) }
            return Double(best)
        }
        let keyed: [Ranked] = passing.map { e in
            let k = packed[e.slot]
            switch q.sort {
            case .relevance: return Ranked(slot: Int32(e.slot), a: text ? -e.score : 0, b: 0, name: k.nameRank)
            case .rating: return Ranked(slot: Int32(e.slot), a: -Double(k.rating), b: -e.score, name: k.nameRank)
            case .price: return Ranked(slot: Int32(e.slot), exact: k.minPrice, a: 0, b: 0, name: k.nameRank)
            case .start: return Ranked(slot: Int32(e.slot), a: nearest(docs[e.slot]!), b: 0, name: k.nameRank)
            }
        }
        func before(_ x: Ranked, _ y: Ranked) -> Bool {
            if x.exact != y.exact { return x.exact < y.exact }
            if x.a != y.a { return x.a < y.a }
            if x.b != y.b { return x.b < y.b }
            if x.name != y.name { return x.name < y.name }
            return x.slot < y.slot
        }
        let perPage = min(max(q.per, 1), CatalogQuery.maxPer)
        let need = min(keyed.count, max(q.page, 1) * perPage)
        var ordered: [Ranked]
        if need * 4 < keyed.count && need <= 1000 {
            // Only the first pages are needed: a bounded sorted list instead of sorting every match.
            ordered = []
            ordered.reserveCapacity(need + 1)
            for r in keyed {
                if ordered.count == need, !before(r, ordered[need - 1]) { continue }
                var lo = 0, hi = ordered.count
                while lo < hi {
                    let mid = (lo + hi) / 2
                    if before(ordered[mid], r) { lo = mid + 1 } else { hi = mid }
                }
                ordered.insert(r, at: lo)
                if ordered.count > need { ordered.removeLast() }
            }
        } else {
            ordered = keyed.sorted(by: before)
        }
        let total = passing.count
        passing = ordered.map { (Int($0.slot), 0) }
        let per = min(max(q.per, 1), CatalogQuery.maxPer)
        let from = (max(q.page, 1) - 1) * per
        let items = from < passing.count ? passing[from..<min(passing.count, from + per)].map { docs[$0.slot]! } : []
        return CatalogResult(total: total, items: items, facets: facets(counts, query: q))
    }

    /// Facet counts: a program counts toward a value of a dimension when it passes every other filter.
    struct FacetCounter {
        var region = [Int](repeating: 0, count: 100)
        var municipality: [Int]

        init(municipalities: Int) { municipality = [Int](repeating: 0, count: max(1, municipalities)) }
        var direction = [Int](repeating: 0, count: Direction.allCases.count)
        var kind = [Int](repeating: 0, count: ActivityKinds.all.count)
        var level = [Int](repeating: 0, count: ProgramLevel.allCases.count)
        var funding = [Int](repeating: 0, count: FundingKind.allCases.count)
        var day = [Int](repeating: 0, count: 7)
        var dayPart = [Int](repeating: 0, count: DayPart.allCases.count)
        var free = 0
        var disability = [Int](repeating: 0, count: DisabilityCategory.allCases.count)
        var anyDisability = 0

        mutating func add(_ k: Packed, except failed: Int?, times n: Int = 1) {
            func on(_ d: Dim) -> Bool { failed == nil || failed == d.rawValue }
            if on(.region) { region[Int(k.region) % 100] += n }
            if on(.municipality) { municipality[Int(k.municipality)] += n }
            if on(.direction) { direction[Int(k.direction)] += n }
            if on(.kind), k.kinds != 0 {
                var bits = k.kinds
                while bits != 0 {
                    kind[bits.trailingZeroBitCount] += n
                    bits &= bits - 1
                }
            }
            if on(.level) { level[Int(k.level)] += n }
            if on(.funding) { funding[Int(k.funding)] += n }
            if on(.day) { for d in 0..<7 where k.days & (1 << d) != 0 { day[d] += n } }
            if on(.dayPart) { for d in 0..<dayPart.count where k.dayParts & (1 << d) != 0 { dayPart[d] += n } }
            if on(.free), k.hasFree { free += n }
            if on(.disability), k.disabilities != 0 {
                anyDisability += n
                for d in 0..<disability.count where k.disabilities & (1 << d) != 0 { disability[d] += n }
            }
        }
    }

    func facets(_ c: FacetCounter, query q: CatalogQuery) -> [String: [FacetValue]] {
        var out: [String: [FacetValue]] = [:]
        out[Dim.region.key] = ReferenceData.regions.compactMap { r in
            let n = c.region[(Int(r.code) ?? 0) % 100]
            return n > 0 ? FacetValue(value: r.code, label: r.name, count: n) : nil
        }
        var municipalities: [FacetValue] = []
        for (code, index) in municipalityCodes {
            if Int(index) < c.municipality.count, case let n = c.municipality[Int(index)], n > 0 {
                municipalities.append(FacetValue(value: code, label: municipalityNames[Int(index)], count: n))
            }
        }
        out[Dim.municipality.key] = municipalities.sorted { $0.label < $1.label }
        out[Dim.direction.key] = Direction.allCases.enumerated().map { FacetValue(value: $1.rawValue, label: $1.title, count: c.direction[$0]) }
        out[Dim.kind.key] = ActivityKinds.all.enumerated().compactMap { i, k in
            // Activity kinds of the chosen direction, or every kind that occurs.
            if let d = q.direction, k.direction != d { return nil }
            return c.kind[i] > 0 || q.activityKind == k.code ? FacetValue(value: k.code, label: k.title, count: c.kind[i]) : nil
        }
        out[Dim.level.key] = ProgramLevel.allCases.enumerated().map { FacetValue(value: $1.rawValue, label: $1.title, count: c.level[$0]) }
        out[Dim.funding.key] = FundingKind.allCases.enumerated().map { FacetValue(value: $1.rawValue, label: $1.title, count: c.funding[$0]) }
        out[Dim.day.key] = (0..<7).map { FacetValue(value: String($0 + 1), label: Weekday.titles[$0], count: c.day[$0]) }
        out[Dim.dayPart.key] = DayPart.allCases.enumerated().map { FacetValue(value: $1.rawValue, label: $1.title, count: c.dayPart[$0]) }
        out[Dim.free.key] = [FacetValue(value: "1", label: "есть свободные места", count: c.free)]
        out[Dim.disability.key] = [FacetValue(value: "any", label: "подходит детям с ОВЗ", count: c.anyDisability)] +
            DisabilityCategory.allCases.enumerated().map { FacetValue(value: $1.rawValue, label: $1.title, count: c.disability[$0]) }
        return out
    }
}
