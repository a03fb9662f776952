import Domain
import Fluent
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
            return catalog.topHits(query, limit: limit).count
        }
        for q in queries { hits += once(q) }  // warm-up
        var times: [Double] = []
        var perQuery: [(Double, String)] = []
        let slowest = ProcessInfo.processInfo.environment["BENCH_SLOWEST"] != nil  // read once, not per query
        times.reserveCapacity(queries.count * (signature.rounds ?? 3))
        let clock = ContinuousClock()
        let began = clock.now
        for _ in 0..<(signature.rounds ?? 3) {
            for q in queries {
                let t0 = clock.now
                hits &+= once(q)
                let t = t0.duration(to: clock.now)
                let us = Double(t.components.attoseconds) / 1e12 + Double(t.components.seconds) * 1e6
                times.append(us)
                if slowest { perQuery.append((us, q)) }
            }
        }
        let total = began.duration(to: clock.now)
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

/// `navigator bench-enroll-setup --families 64 --children 20 --groups 20 --out FILE`: prepares the enrollment
/// benchmark on a demo database: one certified program of СЮТ г. Осинники with `groups` modules and one
/// group each, `families` families with `children` children holding ПФ certificates with a balance, an API
/// token per family; writes one line per (token, child, group) pair, each a distinct application.
struct BenchEnrollSetupCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "families", help: "Семей (клиентов нагрузки), по умолчанию 64.")
        var families: Int?
        @Option(name: "children", help: "Детей в семье, по умолчанию 20.")
        var children: Int?
        @Option(name: "groups", help: "Групп (модулей), по умолчанию 20.")
        var groups: Int?
        @Option(name: "capacity", help: "Мест в группе, по умолчанию 100000.")
        var capacity: Int?
        @Option(name: "out", help: "Файл пар «токен ребёнок группа».")
        var out: String?
        init() {}
    }

    var help: String { "Готовит данные для замера записи: программа с группами, семьи с сертификатами ПФ, токены API." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.migrateSchema()
        let families = signature.families ?? 64, perFamily = signature.children ?? 20, groupCount = signature.groups ?? 20
        let capacity = signature.capacity ?? 100_000
        guard let out = signature.out else { context.console.error("Укажите --out FILE."); throw ExitCode(2) }
        let db = app.db
        guard let staff = try await UserModel.query(on: db).filter(\.$email == "syut@osinniki.example").first(),
              let providerID = staff.providerID, let provider = try await ProviderModel.find(providerID, on: db),
              let period = try await PeriodModel.query(on: db).filter(\.$municipalityID == provider.municipalityID)
                  .filter(\.$status == .current).first() else {
            context.console.error("Нет демонстрационных данных: сначала navigator demo.")
            throw ExitCode(1)
        }
        let today = CertificateService.today(region: provider.regionCode, at: app.clock.now())
        let builder = CertifiedProgramBuilder(
            name: "Замер записи \(UUID().uuidString.prefix(6))", annotation: "Программа для замера скорости записи.",
            modules: groupCount, capacity: capacity, groupStart: today, groupEnd: LocalDate(year: today.year, month: 12, day: 31)!,
            teacher: "Педагог", address: "г. Осинники")
        let groupIDs = try await db.transaction { tx in try await builder.create(for: provider, on: tx).groups.map { $0.id! } }
        let hash = try await app.authService.hashPassword(DemoPlan.password, on: app)
        var lines: [String] = []
        let progress = DemoProgress(label: "Семьи", enabled: true, unit: "семей")
        for f in 0..<families {
            let (token, childIDs) = try await db.transaction { tx -> (String, [UUID]) in
                let u = UserModel()
                u.email = "bench-\(UUID().uuidString.prefix(12).lowercased())@bench.example"
                u.passwordHash = hash
                u.surname = "Замеров"
                u.name = "Семья"
                u.patronymic = ""
                u.role = Role.parent
                u.regionCode = provider.regionCode
                u.municipalityID = provider.municipalityID
                u.mayConfirmCertificates = false
                u.isActive = true
                try await u.create(on: tx)
                var ids: [UUID] = []
                for c in 0..<perFamily {
                    let child = ChildModel()
                    child.familyID = u.id!
                    child.regionCode = provider.regionCode
                    child.municipalityID = provider.municipalityID
                    child.surname = "Замеров"
                    child.name = "Ребёнок"
                    child.patronymic = ""
                    child.birthDate = today.adding(years: -10).iso
                    child.sex = "male"
                    child.snils = DemoPlan.snils(forChild: 700_000_000 + Int.random(in: 0..<99_000_000))
                    child.birthCertificateSeries = "I-ЛО"
                    child.birthCertificateNumber = String(format: "%06d", c)
                    try await child.create(on: tx)
                    let cert = CertificateModel()
                    cert.childID = child.id!
                    cert.familyID = u.id!
                    cert.regionCode = provider.regionCode
                    cert.municipalityID = provider.municipalityID
                    cert.kind = .financing
                    cert.status = .active
                    cert.frozen = false
                    cert.closesOn = today.adding(years: 8).iso
                    try await cert.create(on: tx)
                    _ = try await app.ledger.post(.init(certificateID: cert.id!, periodID: period.requireID(), kind: .grant,
                                                        amount: 100_000_000, key: "bench-grant:\(cert.id!)"), inTransaction: tx)
                    ids.append(child.id!)
                }
                let (token, _) = try await app.authService.issueAPIToken(for: u, db: tx)
                return (token, ids)
            }
            for child in childIDs {
                for g in groupIDs { lines.append("\(token) \(child.uuidString.lowercased()) \(g.uuidString.lowercased())") }
            }
            progress.report(f + 1, families)
        }
        progress.finish()
        // Interleave families so that concurrent clients work on different certificates.
        var rng = SeededRandom(seed: 42)
        lines.shuffle(using: &rng)
        try lines.joined(separator: "\n").appending("\n").write(toFile: out, atomically: true, encoding: .utf8)
        context.console.print("Пар для заявок: \(lines.count), групп: \(groupIDs.count), семей: \(families).")
    }
}
