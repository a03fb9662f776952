import Foundation

/// The in-memory catalogue: published programs, their search index, filters, facets, sorting and pages.
/// A value type: readers take a copy (cheap: copy-on-write) and search it without a lock.
public struct Catalog: Sendable {
    var index = SearchIndex()
    var docs: [CatalogProgram?] = []
    var docOf: [String: Int] = [:]
    /// Packed filter data per doc, so the filter pass touches no strings.
    var packed: [Packed] = []
    var municipalityCodes: [String: Int32] = [:]
    var municipalityNames: [String] = []
    var providerCodes: [String: Int32] = [:]
    /// Programs that no filter but the provider's can tell apart share a signature: a search counts matches per
    /// signature and turns the counts into facets once per signature, not once per program.
    var sigOf: [Int32] = []
    var sigs: [Packed] = []
    var sigIndex: [SigKey: Int32] = [:]

    struct SigKey: Hashable {
        let region: UInt16, municipality: Int32, direction: UInt8, level: UInt8, funding: UInt8, days: UInt8, dayParts: UInt8
        let hasFree: Bool, disabilities: UInt16, kinds: UInt64, ageFrom: Int16, ageTo: Int16

        init(_ k: Packed) {
            region = k.region; municipality = k.municipality; direction = k.direction; level = k.level; funding = k.funding
            days = k.days; dayParts = k.dayParts; hasFree = k.hasFree; disabilities = k.disabilities; kinds = k.kinds
            ageFrom = k.ageFrom; ageTo = k.ageTo
        }
    }

    mutating func signature(_ k: Packed) -> Int32 {
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

    mutating func pack(_ p: CatalogProgram) -> Packed {
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
}
