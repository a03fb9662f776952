import Foundation

/// A group as the public catalogue shows it.
public struct CatalogGroup: Sendable, Hashable, Codable {
    public let id: String
    public let moduleID: String
    public let name: String
    public let teacher: String
    public let address: String
    public let latitude: Double?
    public let longitude: Double?
    public let startsOn: LocalDate
    public let endsOn: LocalDate
    public let capacity: Int
    /// Changes as families apply and leave (the catalogue patches it without re-indexing).
    public var freePlaces: Int
    public let schedule: [ScheduleSlot]
    public let open: Bool

    public init(id: String, moduleID: String, name: String, teacher: String, address: String, latitude: Double?, longitude: Double?,
                startsOn: LocalDate, endsOn: LocalDate, capacity: Int, freePlaces: Int, schedule: [ScheduleSlot], open: Bool) {
        self.id = id
        self.moduleID = moduleID
        self.name = name
        self.teacher = teacher
        self.address = address
        self.latitude = latitude
        self.longitude = longitude
        self.startsOn = startsOn
        self.endsOn = endsOn
        self.capacity = capacity
        self.freePlaces = freePlaces
        self.schedule = schedule
        self.open = open
    }
}

public struct CatalogModule: Sendable, Hashable, Codable {
    public let id: String
    public let name: String
    public let months: Int
    public let hours: Int
    public let price: Int64
    public let normative: Int64?

    public init(id: String, name: String, months: Int, hours: Int, price: Int64, normative: Int64?) {
        self.id = id
        self.name = name
        self.months = months
        self.hours = hours
        self.price = price
        self.normative = normative
    }
}

/// A published program with what the catalogue filters, sorts and shows.
public struct CatalogProgram: Sendable, Hashable, Codable {
    public let id: String
    public let name: String
    public let annotation: String
    public let providerID: String
    public let providerName: String
    public let direction: Direction
    public let activityKinds: [String]
    public let level: ProgramLevel
    public let form: StudyForm
    public let ageFrom: Int
    public let ageTo: Int
    public let regionCode: String
    /// «42-33»: region code and municipality code.
    public let municipality: String
    public let municipalityName: String
    public let funding: FundingKind
    public let disabilities: [DisabilityCategory]
    public let modules: [CatalogModule]
    public var groups: [CatalogGroup]
    public let rating: Double?
    public let updatedAt: Date

    public init(id: String, name: String, annotation: String, providerID: String, providerName: String, direction: Direction,
                activityKinds: [String], level: ProgramLevel, form: StudyForm, ageFrom: Int, ageTo: Int, regionCode: String,
                municipality: String, municipalityName: String, funding: FundingKind, disabilities: [DisabilityCategory],
                modules: [CatalogModule], groups: [CatalogGroup], rating: Double?, updatedAt: Date) {
        self.id = id
        self.name = name
        self.annotation = annotation
        self.providerID = providerID
        self.providerName = providerName
        self.direction = direction
        self.activityKinds = activityKinds
        self.level = level
        self.form = form
        self.ageFrom = ageFrom
        self.ageTo = ageTo
        self.regionCode = regionCode
        self.municipality = municipality
        self.municipalityName = municipalityName
        self.funding = funding
        self.disabilities = disabilities
        self.modules = modules
        self.groups = groups
        self.rating = rating
        self.updatedAt = updatedAt
    }

    /// The lowest module price (0 for a free program).
    public var minPrice: Int64 { funding == .free ? 0 : (modules.map(\.price).min() ?? 0) }
    /// Free places in the groups open for enrollment.
    public var freePlaces: Int { groups.filter(\.open).reduce(0) { $0 + $1.freePlaces } }

    /// The text the search index holds, by field weight.
    var searchFields: [SearchIndex.Field] {
        let kinds = activityKinds.compactMap { ActivityKinds.find($0)?.title }.joined(separator: " ")
        return [SearchIndex.Field(name, weight: 3), SearchIndex.Field(kinds, weight: 2),
                SearchIndex.Field(direction.title + " " + providerName, weight: 1),
                SearchIndex.Field(annotation + " " + modules.map(\.name).joined(separator: " "), weight: 1)]
    }
}

public enum CatalogSort: String, Sendable, CaseIterable, Codable {
    case relevance, rating, price, start

    public var title: String {
        switch self {
        case .relevance: "по релевантности"
        case .rating: "по рейтингу"
        case .price: "по цене"
        case .start: "по ближайшему началу занятий"
        }
    }
}

/// The filters of a catalogue search. nil means "any".
public struct CatalogQuery: Sendable, Hashable {
    public var text = ""
    public var region: String? = nil
    public var municipality: String? = nil
    public var direction: Direction? = nil
    public var activityKind: String? = nil
    /// The child's age in full years.
    public var age: Int? = nil
    public var level: ProgramLevel? = nil
    public var funding: FundingKind? = nil
    public var day: Int? = nil
    public var dayPart: DayPart? = nil
    public var freeOnly = false
    /// "any" for any ОВЗ suitability, or a category code.
    public var disability: String? = nil
    public var provider: String? = nil
    public var sort: CatalogSort = .relevance
    public var page = 1
    public var per = 20
    public var today: LocalDate

    public init(today: LocalDate) { self.today = today }

    public static let maxPer = 100
}

public struct FacetValue: Sendable, Hashable, Codable {
    public let value: String
    public let label: String
    public let count: Int
}

public struct CatalogResult: Sendable {
    public let total: Int
    public let items: [CatalogProgram]
    /// Per filter: its values with the number of programs each would give, the other filters applied.
    public let facets: [String: [FacetValue]]
}

/// The in-memory catalogue: published programs, their search index, filters, facets, sorting and pages.
/// A value type: readers take a copy (cheap: copy-on-write) and search it without a lock.
public struct Catalog: Sendable {
    private var index = SearchIndex()
    private var docs: [CatalogProgram?] = []
    private var docOf: [String: Int] = [:]
    /// Packed filter data per doc, so the filter pass touches no strings.
    private var packed: [Packed] = []
    private var municipalityCodes: [String: Int32] = [:]
    private var municipalityNames: [String] = []
    private var providerCodes: [String: Int32] = [:]
    /// Programs that no filter but the provider's can tell apart share a signature: a search counts matches per
    /// signature and turns the counts into facets once per signature, not once per program.
    private var sigOf: [Int32] = []
    private var sigs: [Packed] = []
    private var sigIndex: [SigKey: Int32] = [:]

    struct SigKey: Hashable {
        let region: UInt16, municipality: Int32, direction: UInt8, level: UInt8, funding: UInt8, days: UInt8, dayParts: UInt8
        let hasFree: Bool, disabilities: UInt16, kinds: UInt64, ageFrom: Int16, ageTo: Int16

        init(_ k: Packed) {
            region = k.region; municipality = k.municipality; direction = k.direction; level = k.level; funding = k.funding
            days = k.days; dayParts = k.dayParts; hasFree = k.hasFree; disabilities = k.disabilities; kinds = k.kinds
            ageFrom = k.ageFrom; ageTo = k.ageTo
        }
    }

    private mutating func signature(_ k: Packed) -> Int32 {
        let key = SigKey(k)
        if let s = sigIndex[key] { return s }
        let s = Int32(sigs.count)
        sigs.append(k)
        sigIndex[key] = s
        return s
    }

    struct Packed: Sendable {
        var municipality: Int32 = -1
        var provider: Int32 = -1
        var region: UInt16 = 0
        var direction: UInt8 = 0
        var level: UInt8 = 0
        var funding: UInt8 = 0
        var days: UInt8 = 0       // bit d-1 for a lesson on day d in an open group
        var dayParts: UInt8 = 0   // bit per DayPart
        var hasFree = false
        var disabilities: UInt16 = 0
        var kinds: UInt64 = 0     // bit per activity kind index
        var ageFrom: Int16 = 0
        var ageTo: Int16 = 0
        var live = false
        var minPrice: Int64 = 0
        var rating: Float = -1
        /// Alphabetical position of the name (set by `build`; later additions sort after, by slot).
        var nameRank: Int32 = .max
    }

    public init() {}

    public var count: Int { index.count }

    static let kindIndex: [String: Int] = Dictionary(uniqueKeysWithValues: ActivityKinds.all.enumerated().map { ($1.code, $0) })
    static let directionIndex: [Direction: UInt8] = Dictionary(uniqueKeysWithValues: Direction.allCases.enumerated().map { ($1, UInt8($0)) })
    static let levelIndex: [ProgramLevel: UInt8] = Dictionary(uniqueKeysWithValues: ProgramLevel.allCases.enumerated().map { ($1, UInt8($0)) })
    static let fundingIndex: [FundingKind: UInt8] = Dictionary(uniqueKeysWithValues: FundingKind.allCases.enumerated().map { ($1, UInt8($0)) })
    static let dayPartIndex: [DayPart: UInt8] = Dictionary(uniqueKeysWithValues: DayPart.allCases.enumerated().map { ($1, UInt8($0)) })
    static let disabilityIndex: [DisabilityCategory: UInt16] =
        Dictionary(uniqueKeysWithValues: DisabilityCategory.allCases.enumerated().map { ($1, UInt16($0)) })

    public func program(_ id: String) -> CatalogProgram? { docOf[id].flatMap { docs[$0] } }

    public var programs: [CatalogProgram] { docs.compactMap { $0 } }

    /// Adds or replaces a program. The text index changes only when the searchable text did.
    public mutating func upsert(_ p: CatalogProgram) {
        if let slot = docOf[p.id], let old = docs[slot] {
            docs[slot] = p
            let rank = packed[slot].nameRank
            packed[slot] = pack(p)
            packed[slot].nameRank = rank
            sigOf[slot] = signature(packed[slot])
            let same = old.name == p.name && old.annotation == p.annotation && old.activityKinds == p.activityKinds
                && old.providerName == p.providerName && old.direction == p.direction && old.modules.map(\.name) == p.modules.map(\.name)
            if !same { index.add(id: slot, fields: p.searchFields) }
            return
        }
        let slot = docs.count
        docs.append(p)
        packed.append(pack(p))
        sigOf.append(signature(packed[slot]))
        docOf[p.id] = slot
        index.add(id: slot, fields: p.searchFields)
    }

    public mutating func remove(_ id: String) {
        guard let slot = docOf[id] else { return }
        docs[slot] = nil
        packed[slot].live = false
        docOf[id] = nil
        index.remove(id: slot)
    }

    /// Builds a catalogue from scratch (at start-up, or to drop the dead slots of many updates).
    public static func build(_ programs: [CatalogProgram]) -> Catalog {
        var c = Catalog()
        c.docs.reserveCapacity(programs.count)
        for p in programs { c.upsert(p) }
        let order = (0..<c.docs.count).sorted { c.docs[$0]!.name != c.docs[$1]!.name ? c.docs[$0]!.name < c.docs[$1]!.name : $0 < $1 }
        for (rank, slot) in order.enumerated() { c.packed[slot].nameRank = Int32(rank) }
        c.index.optimize()
        return c
    }

    /// True when replaced documents take much of the index; the owner then rebuilds it.
    public var needsCompaction: Bool { index.deadSlots > 1000 && index.deadSlots > index.count / 2 }

    public mutating func optimize() { index.optimize() }

    private mutating func pack(_ p: CatalogProgram) -> Packed {
        var k = Packed()
        if let m = municipalityCodes[p.municipality] { k.municipality = m } else {
            k.municipality = Int32(municipalityNames.count)
            municipalityCodes[p.municipality] = k.municipality
            municipalityNames.append(p.municipalityName)
        }
        if let v = providerCodes[p.providerID] { k.provider = v } else {
            k.provider = Int32(providerCodes.count)
            providerCodes[p.providerID] = k.provider
        }
        k.region = UInt16(p.regionCode) ?? 0
        k.direction = Self.directionIndex[p.direction]!
        k.level = Self.levelIndex[p.level]!
        k.funding = Self.fundingIndex[p.funding]!
        for g in p.groups where g.open {
            for s in g.schedule {
                k.days |= 1 << UInt8(s.day - 1)
                k.dayParts |= 1 << Self.dayPartIndex[DayPart.of(minutes: s.start)]!
            }
            if g.freePlaces > 0 { k.hasFree = true }
        }
        for d in p.disabilities { k.disabilities |= 1 << Self.disabilityIndex[d]! }
        for code in p.activityKinds { if let i = Self.kindIndex[code] { k.kinds |= 1 << UInt64(i) } }
        k.ageFrom = Int16(p.ageFrom)
        k.ageTo = Int16(p.ageTo)
        k.live = true
        k.minPrice = p.minPrice
        k.rating = p.rating.map { Float($0) } ?? -1
        if let slot = docOf[p.id] { k.nameRank = packed[slot].nameRank }
        return k
    }

    /// The filter dimensions, in the order of the failure bits.
    enum Dim: Int, CaseIterable {
        case region, municipality, direction, kind, age, level, funding, day, dayPart, free, disability, provider

        var key: String {
            switch self {
            case .region: "region"
            case .municipality: "municipality"
            case .direction: "direction"
            case .kind: "activityKind"
            case .age: "age"
            case .level: "level"
            case .funding: "funding"
            case .day: "day"
            case .dayPart: "time"
            case .free: "free"
            case .disability: "ovz"
            case .provider: "provider"
            }
        }
    }

    /// Compiled filters: each a test on the packed data.
    struct Compiled {
        var region: UInt16?
        var municipality: Int32?
        var direction: UInt8?
        var kind: UInt64?
        var ageLow: Int16?
        var ageHigh: Int16?
        var level: UInt8?
        var funding: UInt8?
        var day: UInt8?
        var dayPart: UInt8?
        var free = false
        var disability: UInt16?
        var provider: Int32?
        /// A filter value that exists nowhere: nothing matches.
        var impossible = false

        var isEmpty: Bool {
            region == nil && municipality == nil && direction == nil && kind == nil && ageLow == nil && level == nil && funding == nil
                && day == nil && dayPart == nil && !free && disability == nil && provider == nil
        }

        /// Bit i set when dimension i fails.
        @inline(__always) func failures(_ k: Packed) -> UInt32 {
            var f: UInt32 = 0
            if let v = region, k.region != v { f |= 1 << 0 }
            if let v = municipality, k.municipality != v { f |= 1 << 1 }
            if let v = direction, k.direction != v { f |= 1 << 2 }
            if let v = kind, k.kinds & v == 0 { f |= 1 << 3 }
            if let lo = ageLow, let hi = ageHigh, k.ageTo < lo || k.ageFrom > hi { f |= 1 << 4 }
            if let v = level, k.level != v { f |= 1 << 5 }
            if let v = funding, k.funding != v { f |= 1 << 6 }
            if let v = day, k.days & (1 << v) == 0 { f |= 1 << 7 }
            if let v = dayPart, k.dayParts & (1 << v) == 0 { f |= 1 << 8 }
            if free, !k.hasFree { f |= 1 << 9 }
            if let v = disability, k.disabilities & v == 0 { f |= 1 << 10 }
            if let v = provider, k.provider != v { f |= 1 << 11 }
            return f
        }
    }

    func compile(_ q: CatalogQuery) -> Compiled {
        var c = Compiled()
        if let r = q.region { if let v = UInt16(r) { c.region = v } else { c.impossible = true } }
        if let m = q.municipality { if let v = municipalityCodes[m] { c.municipality = v } else { c.impossible = true } }
        if let d = q.direction { c.direction = Self.directionIndex[d] }
        if let k = q.activityKind { if let i = Self.kindIndex[k] { c.kind = 1 << UInt64(i) } else { c.impossible = true } }
        if let a = q.age {
            c.ageLow = Int16(clamping: a * 12)
            c.ageHigh = Int16(clamping: a * 12 + 11)
        }
        if let l = q.level { c.level = Self.levelIndex[l] }
        if let f = q.funding { c.funding = Self.fundingIndex[f] }
        if let d = q.day { c.day = UInt8(d - 1) }
        if let p = q.dayPart { c.dayPart = Self.dayPartIndex[p] }
        c.free = q.freeOnly
        if let d = q.disability {
            if d == "any" { c.disability = UInt16.max } else if let cat = DisabilityCategory(rawValue: d) {
                c.disability = 1 << Self.disabilityIndex[cat]!
            } else { c.impossible = true }
        }
        if let p = q.provider { if let v = providerCodes[p] { c.provider = v } else { c.impossible = true } }
        return c
    }

    /// The top `limit` slots for a text query under the filters, without facets (the fast path).
    public func top(_ q: CatalogQuery, limit: Int) -> [CatalogProgram] {
        topHits(q, limit: limit).compactMap { docs[$0.id] }
    }

    /// The same ranking as ids and scores only (what a search engine's top-k returns; the benchmark compares this
    /// with tantivy's top-k, which returns document addresses and scores).
    public func topHits(_ q: CatalogQuery, limit: Int) -> [SearchIndex.Hit] {
        let c = compile(q)
        if c.impossible { return [] }
        return packed.withUnsafeBufferPointer { pk in
            index.search(q.text, limit: limit, filter: c.isEmpty ? { pk[$0].live } : { c.failures(pk[$0]) == 0 && pk[$0].live })
        }
    }

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

    private func facets(_ c: FacetCounter, query q: CatalogQuery) -> [String: [FacetValue]] {
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
