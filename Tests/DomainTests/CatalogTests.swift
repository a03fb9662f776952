import Domain
import Foundation
import Testing

@Suite struct ProgramInputTests {
    func valid() -> ProgramInput {
        var i = ProgramInput()
        i.name = "Робототехника"
        i.annotation = "Конструирование роботов"
        i.direction = "tech"
        i.activityKinds = ["robotics"]
        i.level = "start"
        i.form = "full-time"
        i.ageFromYears = "7"
        i.ageToYears = "12"
        i.ageToMonths = "11"
        i.funding = "certificate"
        return i
    }

    @Test func acceptsAGoodCard() throws {
        let v = try valid().validate().get()
        #expect(v.ageFrom == 84 && v.ageTo == 155)
        #expect(v.direction == .technical && v.activityKinds == ["robotics"])
    }

    @Test func namesEveryBadField() {
        var i = valid()
        i.name = " "
        i.direction = "magic"
        i.level = ""
        i.ageFromYears = "4"
        i.ageToYears = "18"
        i.funding = "barter"
        i.disabilities = ["nonsense"]
        guard case .failure(let e) = i.validate() else { Issue.record("accepted"); return }
        let fields = Set(e.errors.map(\.field))
        #expect(fields.isSuperset(of: ["name", "direction", "level", "ageFromYears", "ageToYears", "funding", "disabilities"]))
        #expect(e.errors.allSatisfy { !$0.message.isEmpty && $0.message.unicodeScalars.contains { ("а"..."я").contains($0) } })
    }

    @Test func activityKindMustBelongToTheDirection() {
        var i = valid()
        i.activityKinds = ["chess"]
        guard case .failure(let e) = i.validate() else { Issue.record("accepted"); return }
        #expect(e.errors.first?.field == "activityKinds")
        i.activityKinds = []
        guard case .failure(let e2) = i.validate() else { Issue.record("accepted"); return }
        #expect(e2.errors.first?.field == "activityKinds")
    }

    @Test func ageToBeforeAgeFromIsRefused() {
        var i = valid()
        i.ageFromYears = "12"
        i.ageToYears = "7"
        guard case .failure(let e) = i.validate() else { Issue.record("accepted"); return }
        #expect(e.errors.map(\.field) == ["ageToYears"])
    }

    @Test func modulePriceRules() throws {
        var m = ModuleInput()
        m.name = "Первый год"
        m.months = "9"
        m.hours = "144"
        m.minChildren = "5"
        m.maxChildren = "15"
        m.price = "18 000,50"
        #expect(try m.validate(funding: .certificate).get().price == 1_800_050)
        m.price = ""
        #expect(try m.validate(funding: .free).get().price == 0)
        m.price = "100"
        guard case .failure(let e) = m.validate(funding: .free) else { Issue.record("free with price"); return }
        #expect(e.errors.first?.field == "price")
        for bad in ["", "-5", "abc", "1,234", "0"] {
            m.price = bad
            guard case .failure(let e) = m.validate(funding: .paid) else { Issue.record("accepted price \(bad)"); continue }
            #expect(e.errors.first?.field == "price")
        }
        m.price = "100"
        m.minChildren = "10"
        m.maxChildren = "5"
        guard case .failure(let e2) = m.validate(funding: .paid) else { Issue.record("min > max"); return }
        #expect(e2.errors.first?.field == "maxChildren")
    }

    @Test func priceCapIsAPercentageOfTheNormative() {
        #expect(PriceCap.maxPrice(normative: 1_638_000, percent: 100) == 1_638_000)
        #expect(PriceCap.maxPrice(normative: 1_638_000, percent: 110) == 1_801_800)
        #expect(PriceCap.check(price: 1_801_800, normative: 1_638_000, percent: 110) == nil)
        let e = PriceCap.check(price: 1_801_801, normative: 1_638_000, percent: 110)
        #expect(e?.field == "price" && e!.message.contains("110 %"))
        // Certification refuses a normative under which the provider's price is above the cap, naming the module.
        guard case .failure(let f) = Certification.check(prices: [1_800_000, 900_000], normatives: ["16 380", "9 000"], capPercent: 100) else {
            Issue.record("cap not enforced"); return
        }
        #expect(f.errors.map(\.field) == ["normative0"])
        #expect(try! Certification.check(prices: [1_800_000], normatives: ["18 000"], capPercent: 100).get() == [1_800_000])
        guard case .failure(let g) = Certification.check(prices: [1_800_000, 1], normatives: ["18 000"], capPercent: 100) else {
            Issue.record("missing normative accepted"); return
        }
        #expect(g.errors.contains { $0.field == "normative" })
    }

    @Test func schedulesParseAndRefuseOverlaps() throws {
        let s = try ScheduleSlot.parseList("пн 15:00-16:30; ср 15:00–16:30\nсуббота 10:00-11:00").get()
        #expect(s.map(\.day) == [1, 3, 6])
        #expect(ScheduleSlot.text(s) == "пн 15:00–16:30; ср 15:00–16:30; сб 10:00–11:00")
        #expect(try ScheduleSlot.parseList("1 15:00-16:30;3 15:00-16:30").get() == Array(s.prefix(2)))
        for bad in ["", "пн", "пн 16:00-15:00", "xx 15:00-16:00", "пн 25:00-26:00", "пн 15:00-16:00; пн 15:30-17:00", "пн 08:00-15:00"] {
            guard case .failure(let e) = ScheduleSlot.parseList(bad) else { Issue.record("accepted «\(bad)»"); continue }
            #expect(e.field == "schedule")
        }
    }

    @Test func groupChecks() throws {
        var g = GroupInput()
        g.name = "Группа 1"
        g.teacher = "Иванова О. П."
        g.address = "г. Осинники, ул. Ленина, 1"
        g.startsOn = "2026-09-01"
        g.endsOn = "31.05.2027"
        g.capacity = "12"
        g.schedule = "пн 15:00-16:30"
        let v = try g.validate(maxChildren: 15).get()
        #expect(v.endsOn == LocalDate(year: 2027, month: 5, day: 31))
        g.capacity = "16"
        guard case .failure(let e) = g.validate(maxChildren: 15) else { Issue.record("over module max"); return }
        #expect(e.errors.map(\.field) == ["capacity"])
        g.capacity = "5"
        guard case .failure(let e2) = g.validate(maxChildren: 15, taken: 6) else { Issue.record("below taken"); return }
        #expect(e2.errors.map(\.field) == ["capacity"])
        g.capacity = "12"
        g.endsOn = "2026-08-01"
        g.latitude = "95"
        g.longitude = "87"
        guard case .failure(let e3) = g.validate(maxChildren: 15) else { Issue.record("bad dates"); return }
        #expect(Set(e3.errors.map(\.field)) == ["endsOn", "latitude"])
    }
}

@Suite struct CatalogTests {
    static let today = LocalDate(year: 2026, month: 11, day: 22)!

    static func program(_ n: Int, _ name: String, kind: String, funding: FundingKind = .certificate, ages: ClosedRange<Int> = 7...12,
                        municipality: String = "42-33", price: Int64 = 1_800_000, slots: [ScheduleSlot] = [ScheduleSlot(day: 1, start: 900, end: 990)],
                        free: Int = 5, open: Bool = true, disabilities: [DisabilityCategory] = [], start: LocalDate? = nil) -> CatalogProgram {
        let kindRecord = ActivityKinds.find(kind)!
        let group = CatalogGroup(id: "g\(n)", moduleID: "m\(n)", name: "Группа", teacher: "Педагог", address: "Адрес", latitude: nil, longitude: nil,
                                 startsOn: start ?? LocalDate(year: 2026, month: 9, day: 1)!, endsOn: LocalDate(year: 2027, month: 5, day: 31)!,
                                 capacity: 15, freePlaces: free, schedule: slots, open: open)
        return CatalogProgram(id: "p\(n)", name: name, annotation: "Программа «\(name)»", providerID: "prov\(n % 2)", providerName: "ДДТ",
                              direction: kindRecord.direction, activityKinds: [kind], level: .basic, form: .fullTime,
                              ageFrom: ages.lowerBound * 12, ageTo: ages.upperBound * 12 + 11, regionCode: String(municipality.prefix(2)),
                              municipality: municipality, municipalityName: municipality == "42-33" ? "Осинники" : "Барнаул", funding: funding,
                              disabilities: disabilities,
                              modules: [CatalogModule(id: "m\(n)", name: "Модуль", months: 9, hours: 144, price: funding == .free ? 0 : price,
                                                      normative: funding == .certificate ? price : nil)],
                              groups: [group], rating: nil, updatedAt: Date(timeIntervalSince1970: 0))
    }

    static func catalog() -> Catalog {
        Catalog.build([
            program(1, "Робототехника для начинающих", kind: "robotics"),
            program(2, "Шахматы", kind: "chess", funding: .free, ages: 6...17, slots: [ScheduleSlot(day: 3, start: 17 * 60 + 30, end: 19 * 60)],
                    disabilities: [.hearing]),
            program(3, "Шахматная школа «Ладья»", kind: "chess", funding: .paid, municipality: "22-60", price: 2_000_000, free: 0),
            program(4, "Хореография", kind: "choreography", ages: 5...9, price: 1_500_000, slots: [ScheduleSlot(day: 6, start: 600, end: 690)],
                    start: LocalDate(year: 2027, month: 1, day: 12)!),
            program(5, "Футбол", kind: "football", open: false),
        ])
    }

    func ids(_ r: CatalogResult) -> [String] { r.items.map(\.id) }

    @Test func inflectedQueriesAndTypos() {
        let c = Self.catalog()
        var q = CatalogQuery(today: Self.today)
        q.text = "робототехникой"
        #expect(ids(c.search(q)).first == "p1")
        q.text = "шахматный кружок"
        #expect(Set(ids(c.search(q)).prefix(2)) == ["p2", "p3"])
        q.text = "хареография"   // one wrong letter
        #expect(ids(c.search(q)) == ["p4"])
        q.text = "балет"
        #expect(c.search(q).total == 0)
    }

    @Test func everyFilterNarrows() {
        let c = Self.catalog()
        func run(_ f: (inout CatalogQuery) -> Void) -> Set<String> {
            var q = CatalogQuery(today: Self.today)
            f(&q)
            return Set(ids(c.search(q)))
        }
        #expect(run { _ in } == ["p1", "p2", "p3", "p4", "p5"])
        #expect(run { $0.municipality = "22-60" } == ["p3"])
        #expect(run { $0.region = "42" } == ["p1", "p2", "p4", "p5"])
        #expect(run { $0.direction = .sport } == ["p2", "p3", "p5"])
        #expect(run { $0.activityKind = "chess" } == ["p2", "p3"])
        #expect(run { $0.age = 5 } == ["p4"])
        #expect(run { $0.age = 14 } == ["p2"])
        #expect(run { $0.funding = .free } == ["p2"])
        #expect(run { $0.funding = .paid } == ["p3"])
        #expect(run { $0.day = 3 } == ["p2"])
        #expect(run { $0.dayPart = .evening } == ["p2"])
        #expect(run { $0.dayPart = .morning } == ["p4"])
        #expect(run { $0.dayPart = .afternoon } == ["p1", "p3"])  // p5's group is closed
        #expect(run { $0.freeOnly = true } == ["p1", "p2", "p4"])
        #expect(run { $0.disability = "any" } == ["p2"])
        #expect(run { $0.disability = "vision" } == [])
        #expect(run { $0.provider = "prov0" } == ["p2", "p4"])
        #expect(run { $0.municipality = "42-99" } == [])
        #expect(run { $0.text = "шахматы"; $0.freeOnly = true } == ["p2"])
    }

    @Test func facetsCountWithTheOtherFiltersApplied() {
        let c = Self.catalog()
        var q = CatalogQuery(today: Self.today)
        q.direction = .sport
        q.freeOnly = true
        let r = c.search(q)
        #expect(ids(r) == ["p2"])
        // The direction facet ignores the direction filter but keeps «free places»: tech has p1, art has p4, sport has p2.
        let d = Dictionary(uniqueKeysWithValues: r.facets["direction"]!.map { ($0.value, $0.count) })
        #expect(d["tech"] == 1 && d["art"] == 1 && d["sport"] == 1 && d["science"] == 0)
        // The free facet ignores «free places» but keeps the direction: p2 has places, p3 has none, p5 is closed.
        #expect(r.facets["free"]!.first!.count == 1)
        let f = Dictionary(uniqueKeysWithValues: r.facets["funding"]!.map { ($0.value, $0.count) })
        #expect(f["free"] == 1 && f["paid"] == 0)
        #expect(r.facets["municipality"]!.map(\.value) == ["42-33"])
    }

    @Test func sortingAndPages() {
        let c = Self.catalog()
        var q = CatalogQuery(today: Self.today)
        q.sort = .price
        #expect(ids(c.search(q)) == ["p2", "p4", "p1", "p5", "p3"])
        q.sort = .start
        #expect(ids(c.search(q)).prefix(4) == ["p1", "p3", "p2", "p4"])  // running groups count as «now» (then by name), p4 starts in January
        q.sort = .relevance
        q.per = 2
        q.page = 3
        let r = c.search(q)
        #expect(r.total == 5 && r.items.count == 1)
        q.page = 9
        #expect(c.search(q).items.isEmpty)
    }

    @Test func upsertAndRemoveKeepTheIndexCurrent() {
        var c = Self.catalog()
        var q = CatalogQuery(today: Self.today)
        q.text = "вокал"
        #expect(c.search(q).total == 0)
        c.upsert(Self.program(6, "Эстрадный вокал", kind: "vocal"))
        #expect(ids(c.search(q)) == ["p6"])
        c.upsert(Self.program(6, "Эстрадный вокал", kind: "vocal", free: 0))  // only places changed
        q.freeOnly = true
        #expect(c.search(q).total == 0)
        q.freeOnly = false
        c.upsert(Self.program(6, "Театр", kind: "theatre"))
        #expect(c.search(q).total == 0)
        c.remove("p6")
        q.text = "театр"
        #expect(c.search(q).total == 0 && c.count == 5)
        #expect(c.top(q, limit: 20).isEmpty)
        q.text = "шахматы"
        #expect(c.top(q, limit: 1).count == 1)
    }

    @Test func demoCatalogueIsValidThroughTheSameChecks() throws {
        let curated = DemoCatalog.curated(today: Self.today, addresses: [:])
        #expect(Set(curated.map(\.direction)) == Set(Direction.allCases))
        #expect(Set(curated.map(\.funding)) == Set(FundingKind.allCases))
        let generated = (0..<300).map { DemoCatalog.generated($0, seed: 42, providers: [(0, "А"), (1, "Б")], today: Self.today) }
        #expect(generated == (0..<300).map { DemoCatalog.generated($0, seed: 42, providers: [(0, "А"), (1, "Б")], today: Self.today) })
        for p in curated + generated {
            var i = ProgramInput()
            i.name = p.name
            i.annotation = p.annotation
            i.direction = p.direction.rawValue
            i.activityKinds = p.activityKinds
            i.level = p.level.rawValue
            i.form = p.form.rawValue
            i.ageFromYears = String(p.ageFrom / 12)
            i.ageFromMonths = String(p.ageFrom % 12)
            i.ageToYears = String(p.ageTo / 12)
            i.ageToMonths = String(p.ageTo % 12)
            i.funding = p.funding.rawValue
            _ = try i.validate().get()
            for m in p.modules {
                if let n = m.normative { #expect(PriceCap.check(price: m.price, normative: n, percent: 100) == nil) }
                #expect(p.groups.allSatisfy { $0.capacity <= p.modules[$0.module].maxChildren })
            }
        }
    }
}
