import Domain
import Foundation
import Vapor

/// `navigator bench-search --catalog catalog.jsonl --queries queries.txt [--limit 20] [--facets]`: loads an exported
/// catalogue (the open-data JSON Lines) into the in-process catalogue and runs every query, after one warm-up
/// pass; prints queries per second and latency percentiles as one JSON line. Used by `make bench`.
struct BenchSearchCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "catalog", help: "Файл выгрузки каталога (JSON Lines).")
        var catalog: String?
        @Option(name: "queries", help: "Файл запросов, по одному в строке.")
        var queries: String?
        @Option(name: "limit", help: "Сколько лучших программ брать (по умолчанию 20).")
        var limit: Int?
        @Option(name: "rounds", help: "Сколько раз прогнать все запросы (по умолчанию 3).")
        var rounds: Int?
        @Flag(name: "facets", help: "Полный поиск: все совпадения, фильтры, фасеты, сортировка и страница (как на сайте).")
        var facets: Bool
        init() {}
    }

    var help: String { "Замер поиска по каталогу в процессе (для make bench)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let catalogPath = signature.catalog, let queriesPath = signature.queries,
              let data = FileManager.default.contents(atPath: catalogPath),
              let queryText = try? String(contentsOfFile: queriesPath, encoding: .utf8) else {
            context.console.error("Укажите --catalog и --queries (существующие файлы).")
            throw ExitCode(2)
        }
        let started = Date()
        let programs = try CatalogImport.programs(jsonl: data)
        let catalog = Catalog.build(programs)
        let loadSeconds = Date().timeIntervalSince(started)
        let queries = queryText.split(separator: "\n").map(String.init).filter { !$0.isEmpty }
        let limit = signature.limit ?? 20
        let today = LocalDate(Date(), in: TimeZone(identifier: "Asia/Novokuznetsk")!)
        var hits = 0
        func once(_ q: String) -> Int {
            var query = CatalogQuery(today: today)
            query.text = q
            if signature.facets {
                query.per = limit
                return catalog.search(query).items.count
            }
            return catalog.top(query, limit: limit).count
        }
        for q in queries { hits += once(q) }  // warm-up
        var times: [Double] = []
        var perQuery: [(Double, String)] = []
        times.reserveCapacity(queries.count * (signature.rounds ?? 3))
        let clock = ContinuousClock()
        let total = clock.measure {
            for _ in 0..<(signature.rounds ?? 3) {
                for q in queries {
                    let t = clock.measure { hits &+= once(q) }
                    let us = Double(t.components.attoseconds) / 1e12 + Double(t.components.seconds) * 1e6
                    times.append(us)
                    if ProcessInfo.processInfo.environment["BENCH_SLOWEST"] != nil { perQuery.append((us, q)) }
                }
            }
        }
        times.sort()
        for (us, q) in perQuery.sorted(by: { $0.0 > $1.0 }).prefix(15) {
            FileHandle.standardError.write(Data(String(format: "%8.0f µs  %@\n", us, q).utf8))
        }
        func pct(_ p: Double) -> Double { times[min(times.count - 1, Int(Double(times.count) * p))] }
        let seconds = Double(total.components.seconds) + Double(total.components.attoseconds) / 1e18
        let out: [String: Any] = ["engine": signature.facets ? "navigator-facets" : "navigator", "documents": catalog.count,
                                  "queries": times.count, "qps": Double(times.count) / seconds,
                                  "p50_ms": pct(0.5) / 1000, "p99_ms": pct(0.99) / 1000, "load_s": loadSeconds, "hits": hits]
        let json = try JSONSerialization.data(withJSONObject: out, options: [.sortedKeys])
        print(String(decoding: json, as: UTF8.self))
    }
}

/// Reads the open-data JSON Lines export back into catalogue entries (the bench, and a check that the export
/// carries everything the catalogue shows). Withdrawn records (`deleted: true`) are skipped.
enum CatalogImport {
    struct Record: Decodable {
        struct Provider: Decodable { let id: String; let name: String? }
        struct Module: Decodable { let id: String; let name: String; let months: Int; let hours: Int; let price: Int64; let normative: Int64? }
        struct Slot: Decodable { let day: Int; let start: String; let end: String }
        struct Group: Decodable {
            let id: String; let moduleId: String; let name: String; let teacher: String; let address: String
            let latitude: Double?; let longitude: Double?; let startsOn: String; let endsOn: String
            let capacity: Int; let freePlaces: Int; let open: Bool; let schedule: [Slot]
        }
        let id: String
        let name: String
        let annotation: String?
        let provider: Provider
        let region: String?
        let municipality: String?
        let municipalityName: String?
        let direction: String?
        let activityKinds: [String]?
        let level: String?
        let form: String?
        let ageFromMonths: Int?
        let ageToMonths: Int?
        let funding: String?
        let disabilities: [String]?
        let modules: [Module]?
        let groups: [Group]?
        let deleted: Bool
    }

    static func minutes(_ s: String) -> Int {
        let p = s.split(separator: ":").compactMap { Int($0) }
        return p.count == 2 ? p[0] * 60 + p[1] : 0
    }

    static func programs(jsonl data: Data) throws -> [CatalogProgram] {
        let decoder = JSONDecoder()
        var out: [CatalogProgram] = []
        for line in data.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
            let r = try decoder.decode(Record.self, from: Data(line))
            guard !r.deleted, let direction = r.direction.flatMap(Direction.init(rawValue:)), let level = r.level.flatMap(ProgramLevel.init(rawValue:)),
                  let form = r.form.flatMap(StudyForm.init(rawValue:)), let funding = r.funding.flatMap(FundingKind.init(rawValue:)) else { continue }
            out.append(CatalogProgram(
                id: r.id, name: r.name, annotation: r.annotation ?? "", providerID: r.provider.id, providerName: r.provider.name ?? "",
                direction: direction, activityKinds: r.activityKinds ?? [], level: level, form: form, ageFrom: r.ageFromMonths ?? 60,
                ageTo: r.ageToMonths ?? 215, regionCode: r.region ?? "", municipality: r.municipality ?? "", municipalityName: r.municipalityName ?? "",
                funding: funding, disabilities: (r.disabilities ?? []).compactMap(DisabilityCategory.init(rawValue:)),
                modules: (r.modules ?? []).map { CatalogModule(id: $0.id, name: $0.name, months: $0.months, hours: $0.hours, price: $0.price, normative: $0.normative) },
                groups: (r.groups ?? []).compactMap { g in
                    guard let s = LocalDate(iso: g.startsOn), let e = LocalDate(iso: g.endsOn) else { return nil }
                    return CatalogGroup(id: g.id, moduleID: g.moduleId, name: g.name, teacher: g.teacher, address: g.address, latitude: g.latitude,
                                        longitude: g.longitude, startsOn: s, endsOn: e, capacity: g.capacity, freePlaces: g.freePlaces,
                                        schedule: g.schedule.map { ScheduleSlot(day: $0.day, start: minutes($0.start), end: minutes($0.end)) }, open: g.open)
                },
                rating: nil, updatedAt: Date(timeIntervalSince1970: 0)))
        }
        return out
    }
}
