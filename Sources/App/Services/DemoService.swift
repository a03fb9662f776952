import Domain
import Fluent
import SQLKit
import Vapor

/// Loads the deterministic demo (`Domain.DemoPlan`) into the database: staff, providers, named families,
/// then the generated families in batches. Each batch is one transaction that also advances the run's
/// progress, so an interrupted load resumes where it stopped and gives the same data.
struct DemoService: Sendable {
    let db: any Database
    let app: Application
    let clock: AppClock

    struct Refused: Error, CustomStringConvertible {
        let description: String
    }

    enum Outcome: Equatable {
        case loaded
        case resumed
        case alreadyLoaded
    }

    static let rowsPerStatement = 400
    /// Families per transaction; smaller in tests.
    var familiesPerBatch = 2000
    /// Without programmes and certificates (tests of the certificate rules start from a blank programme).
    var withCertificates = true
    /// Applications and contracts of the demo families in every state (off in most tests: they count their own).
    var withEnrollments = true
    /// Tests simulate an interruption: stop (throwing `Interrupted`) after this many batches.
    var stopAfterBatches: Int? = nil

    struct Interrupted: Error {}

    /// The logins of a finished demo (for the sign-in page and the start-up banner), or none.
    static func loadedLogins(on db: any Database) async throws -> [(email: String, note: String)] {
        guard let run = try await DemoRunModel.find(1, on: db), run.finishedAt != nil else { return [] }
        return DemoPlan(seed: UInt64(bitPattern: run.seed), children: run.children).staff.map { ($0.email, $0.note) }
    }

    func load(_ plan: DemoPlan, progress: DemoProgress) async throws -> Outcome {
        var outcome = Outcome.loaded
        if let run = try await DemoRunModel.find(1, on: db) {
            guard run.seed == Int64(bitPattern: plan.seed), run.children == plan.children else {
                throw Refused(description: "В базе уже есть демонстрационные данные с другими параметрами (seed \(UInt64(bitPattern: run.seed)), детей \(run.children)). Используйте пустую базу (DATABASE_URL) или те же параметры.")
            }
            if run.finishedAt != nil {
                let added = try await loadCatalog(plan, progress: DemoProgress(label: "Программы", enabled: progress.isEnabled, unit: "программ"))
                return added ? .resumed : .alreadyLoaded
            }
            outcome = .resumed
        } else {
            let users = try await UserModel.query(on: db).count()
            let providers = try await ProviderModel.query(on: db).count()
            let children = try await ChildModel.query(on: db).count()
            if users + providers + children > 0 {
                throw Refused(description: "База данных уже содержит данные (пользователей: \(users), поставщиков: \(providers), детей: \(children)). Демонстрационные данные загружаются только в пустую базу: укажите другую базу в DATABASE_URL или удалите файл базы.")
            }
            try await loadBase(plan)
        }
        try await loadFamilies(plan, progress: progress)
        _ = try await loadCatalog(plan, progress: DemoProgress(label: "Программы", enabled: progress.isEnabled, unit: "программ"))
        if withCertificates && withEnrollments { try await loadEnrollments() }
        try await db.sql.update("demo_runs").set("stage", to: "done").set("finished_at", to: clock.now())
            .where("id", .equal, 1).run()
        return outcome
    }

    /// Applications and contracts of demo families in every state of §7, made through the enrollment
    /// service itself (places, holds, notifications and all). The named families come first. A rerun after
    /// an interruption finds the contracts made and stops.
    func loadEnrollments() async throws {
        guard try await ContractModel.query(on: db).count() == 0 else { return }
        let enrollment = app.navigator.enrollment
        let service = enrollment.steps
        let today = self.today
        let named = try await UserModel.query(on: db).filter(\.$email ~~ ["parent@osinniki.example", "parent@barnaul.example"]).all().compactMap(\.id)
        let namedCerts = try await CertificateModel.query(on: db).filter(\.$familyID ~~ named).filter(\.$status == .active).all()
        let others = try await CertificateModel.query(on: db).filter(\.$status == .active).filter(\.$frozen == false)
            .sort(\.$number).limit(300).all().filter { !named.contains($0.familyID) }
        let programs = Dictionary(uniqueKeysWithValues: try await ProgramModel.query(on: db).filter(\.$status == ProgramStatus.certified)
            .all().map { ($0.id!, $0) })
        let groups = try await GroupModel.query(on: db).filter(\.$status == GroupStatus.open).sort(\.$name).all()
            .filter { programs[$0.programID] != nil && $0.endsOn > today.iso && $0.taken < $0.capacity }
        var staff: [UUID: UUID] = [:]
        for u in try await UserModel.query(on: db).filter(\.$role == Role.provider).all() {
            if let p = u.providerID, staff[p] == nil { staff[p] = u.id }
        }
        /// Whether a child with this certificate may enroll in the group (region, certificate type, age at the start).
        func fits(_ g: GroupModel, _ cert: CertificateModel, _ birth: LocalDate) -> Bool {
            guard let p = programs[g.programID], p.regionCode == cert.regionCode, let gs = LocalDate(iso: g.startsOn) else { return false }
            let age = EnrollmentRules.ageInMonths(birth: birth, on: max(gs, today))
            return (p.funding != .certificate || cert.kind == .financing) && (p.ageFrom...p.ageTo).contains(age)
        }
        let plan: [ContractStatus] = [.active, .applied, .offered, .terminating, .rejected, .withdrawn, .expired, .terminated]
        var made = 0
        for (i, cert) in (namedCerts + others).enumerated() where made < 3 * plan.count {
            guard let child = try await ChildModel.find(cert.childID, on: db), let birth = LocalDate(iso: child.birthDate) else { continue }
            let fitting = groups.filter { fits($0, cert, birth) }
            guard !fitting.isEmpty else { continue }
            let target = plan[made % plan.count]
            let group = fitting[(i * 7) % fitting.count]
            // A contract ended before its first day needs a start after this month.
            var start: LocalDate? = nil
            if target == .terminated {
                let next = EnrollmentRules.lastOfMonth(today).adding(days: 1)
                guard let ge = LocalDate(iso: group.endsOn), next <= ge, next.year == today.year else { continue }
                start = max(next, LocalDate(iso: group.startsOn) ?? next)
            }
            let c: ContractRow
            do {
                c = try await enrollment.applications.apply(.init(childID: child.requireID(), family: nil, groupID: group.requireID(), start: start))
            } catch is Refusal { continue }
            let id = c.id
            let family = Principal(userID: c.familyID, role: .parent, regionCode: c.regionCode)
            let provider = Principal(userID: staff[c.providerID] ?? UUID(), role: .provider, regionCode: c.regionCode, providerID: c.providerID)
            switch target {
            case .applied: break
            case .offered: try await service.step(id, .offer, by: provider)
            case .active:
                try await service.step(id, .offer, by: provider)
                try await service.step(id, .accept, by: family)
            case .terminating, .terminated:
                try await service.step(id, .offer, by: provider)
                try await service.step(id, .accept, by: family)
                try await service.step(id, .notice, by: family)
            case .rejected: try await service.step(id, .reject(reason: "Группа укомплектована детьми другого уровня подготовки."), by: provider)
            case .withdrawn: try await service.step(id, .withdraw, by: family)
            case .expired:
                // An application the provider left unanswered: its deadline is moved to the past, the sweep closes it.
                try await db.sql.update("contracts").set("answer_due", to: clock.now().addingTimeInterval(-60)).where("id", .equal, id).run()
                try await service.step(id, .expire, by: nil)
            }
            made += 1
        }
        // A full group with a waiting list: the open group with the fewest free places that enough children
        // fit fills up with their applications, and two more children queue for it.
        var births: [UUID: LocalDate] = [:]
        for c in try await ChildModel.query(on: db).filter(\.$id ~~ others.map(\.childID)).all() { births[c.id!] = LocalDate(iso: c.birthDate) }
        func eligible(_ g: GroupModel) -> [CertificateModel] {
            others.filter { cert in births[cert.childID].map { fits(g, cert, $0) } ?? false }
        }
        let fresh = try await GroupModel.query(on: db).filter(\.$id ~~ groups.map { $0.id! }).all()
        guard let (target, children) = fresh.sorted(by: { $0.capacity - $0.taken < $1.capacity - $1.taken })
            .lazy.map({ ($0, eligible($0)) }).first(where: { g, e in e.count >= g.capacity - g.taken + 4 }) else { return }
        var queued = 0
        for cert in children.reversed() where queued < 2 {
            guard let child = try await ChildModel.find(cert.childID, on: db) else { continue }
            let full = try await GroupModel.find(target.requireID(), on: db).map { $0.taken >= $0.capacity } ?? true
            do {
                if full {
                    let plan = try await enrollment.reader.plan(child: child, groupID: target.requireID(), start: nil, now: clock.now(), on: db)
                    _ = try await enrollment.waitingLists.join(child: child, plan: plan)
                    queued += 1
                } else {
                    _ = try await enrollment.applications.apply(.init(childID: child.requireID(), family: nil, groupID: target.requireID(), start: nil))
                }
            } catch is Refusal { continue }
        }
    }

    private var today: LocalDate {
        LocalDate(clock.now(), in: TimeZone(identifier: "Asia/Novokuznetsk")!)
    }

    /// Staff, providers and the named families, with the run record, in one transaction.
    private func loadBase(_ plan: DemoPlan) async throws {
        let hash = try await app.authService.hashPassword(DemoPlan.password, on: app)
        let today = self.today
        try await db.transaction { tx in
            let run = DemoRunModel()
            run.id = 1
            run.seed = Int64(bitPattern: plan.seed)
            run.children = plan.children
            run.programs = plan.programs
            run.stage = "families"
            run.nextBatch = 0
            try await run.create(on: tx)

            let directory = Directory(db: tx)
            var municipalityIDs: [String: UUID] = [:]
            func municipalityID(_ region: String, _ code: String) async throws -> UUID {
                if let id = municipalityIDs[region + code] { return id }
                guard let id = try await directory.municipalityID(region: region, code: code) else {
                    throw Refused(description: "Нет муниципалитета \(region)/\(code) в справочнике.")
                }
                municipalityIDs[region + code] = id
                return id
            }

            var providerIDs: [UUID] = []
            for p in plan.providers {
                // Demo cards go through the registry's own checks and mapping.
                var input = ProviderInput()
                input.fullName = p.fullName
                input.shortName = p.shortName
                input.kind = p.kind.rawValue
                input.ownership = p.ownership.rawValue
                input.inn = p.inn
                input.ogrn = p.ogrn
                input.kpp = p.kpp ?? ""
                input.licenceNumber = p.licenceNumber ?? ""
                input.licenceDate = p.licenceDate ?? ""
                input.legalAddress = p.address
                input.actualAddress = p.address
                input.phone = p.phone
                input.email = p.email
                let valid: ProviderInput.Valid
                switch input.validate(today: today) {
                case .success(let v): valid = v
                case .failure(let e): throw Refused(description: "Демо-поставщик «\(p.shortName)» не прошёл проверку: \(e.summary)")
                }
                let m = ProviderModel()
                m.regionCode = p.regionCode
                m.municipalityID = try await municipalityID(p.regionCode, p.municipalityCode)
                app.navigator.registry.apply(valid, to: m)
                m.status = .active
                m.isIssuingPoint = p.isIssuingPoint
                try await m.create(on: tx)
                providerIDs.append(m.id!)
                // Every demo provider has agreements with the demo municipalities of its region.
                for dm in DemoPlan.municipalities where dm.regionCode == p.regionCode {
                    try await AgreementModel(region: p.regionCode, municipalityID: try await municipalityID(dm.regionCode, dm.code),
                                             providerID: m.id!, concludedOn: "\(today.year)-01-09", at: app.clock.now()).create(on: tx)
                }
            }

            var parentIDs: [String: (UUID, UUID)] = [:]
            for s in plan.staff {
                let u = UserModel()
                u.email = s.email
                u.passwordHash = hash
                u.surname = s.surname
                u.name = s.name
                u.patronymic = s.patronymic
                u.role = s.role
                u.regionCode = s.regionCode
                if let code = s.municipalityCode { u.municipalityID = try await municipalityID(s.regionCode, code) }
                u.providerID = s.providerIndex.map { providerIDs[$0] }
                u.mayConfirmCertificates = s.mayConfirmCertificates
                u.isActive = true
                try await u.create(on: tx)
                if s.role == .parent { parentIDs[s.email] = (u.id!, u.municipalityID!) }
            }

            let program = withCertificates ? try await createPrograms(plan, today: today, municipalityID: municipalityID, on: tx) : [:]
            var namedItems: [CertificateItem] = []
            for (i, named) in DemoPlan.namedChildren.enumerated() {
                guard let (family, muni) = parentIDs[named.0],
                      let parent = plan.staff.first(where: { $0.email == named.0 }) else { continue }
                let c = ChildModel()
                c.familyID = family
                c.regionCode = parent.regionCode
                c.municipalityID = muni
                c.surname = named.1
                c.name = named.2
                c.patronymic = named.3
                c.birthDate = today.adding(years: -named.5).adding(days: -40 - 17 * i).iso
                c.sex = named.4.rawValue
                c.snils = DemoPlan.snils(forChild: DemoPlan.namedChildIndexBase + i)
                c.birthCertificateSeries = "I-ЛО"
                c.birthCertificateNumber = String(format: "%06d", 512_300 + i)
                try await c.create(on: tx)
                let key = parent.regionCode + parent.municipalityCode!
                namedItems.append(CertificateItem(childID: c.id!, familyID: family, programKey: key,
                                                  birth: LocalDate(iso: c.birthDate)!, state: DemoPlan.namedCertificates[i]))
            }
            try await insertCertificates(namedItems, program: program, on: tx)
        }
    }

    /// The demo programme of a municipality: the current period (the calendar year) and the next one, one certificate group.
    struct Program: Sendable {
        let municipalityID: UUID
        let regionCode: String
        let code: String
        let periodID: UUID
        let groupID: UUID
        let nominal: Int64
    }

    struct CertificateItem: Sendable {
        let childID: UUID
        let familyID: UUID
        let programKey: String
        let birth: LocalDate
        let state: DemoPlan.CertificateState
    }

    private func createPrograms(_ plan: DemoPlan, today: LocalDate, municipalityID: (String, String) async throws -> UUID,
                                on tx: any Database) async throws -> [String: Program] {
        var out: [String: Program] = [:]
        for m in DemoPlan.municipalities {
            let muni = try await municipalityID(m.regionCode, m.code)
            // This calendar year and the next, defined with the same nominal (the rollover prolongs the demo contracts).
            func year(_ y: Int, _ status: PeriodStatus) async throws -> PeriodModel {
                let p = PeriodModel()
                p.municipalityID = muni
                p.startsOn = "\(y)-01-01"
                p.endsOn = "\(y)-12-31"
                p.status = status
                p.contractingOpen = true
                try await p.create(on: tx)
                return p
            }
            let period = try await year(today.year, .current)
            let next = try await year(today.year + 1, .next)
            let nominal = DemoPlan.nominal(region: m.regionCode)
            let estimate = ReferenceData.municipality(regionCode: m.regionCode, code: m.code)?.childrenEstimate ?? 10_000
            let group = CertificateGroupModel()
            group.municipalityID = muni
            group.name = "Основная"
            group.capCount = max(plan.children, estimate)
            group.capSum = Int64(group.capCount) * nominal
            group.returnAfterDays = 60
            group.carryOver = false
            group.prorate = false
            group.version = 0
            try await group.create(on: tx)
            for p in [period, next] {
                let n = GroupNominalModel()
                n.groupID = group.id!
                n.periodID = p.id!
                n.nominal = nominal
                try await n.create(on: tx)
            }
            out[m.regionCode + m.code] = Program(municipalityID: muni, regionCode: m.regionCode, code: m.code,
                                                 periodID: period.id!, groupID: group.id!, nominal: nominal)
        }
        return out
    }

    /// The current programmes of the demo municipalities.
    private func loadPrograms() async throws -> [String: Program] {
        var out: [String: Program] = [:]
        for m in DemoPlan.municipalities {
            guard let muni = try await Directory(db: db).municipalityID(region: m.regionCode, code: m.code),
                  let period = try await PeriodModel.query(on: db).filter(\.$municipalityID == muni).filter(\.$status == .current).first(),
                  let group = try await CertificateGroupModel.query(on: db).filter(\.$municipalityID == muni).filter(\.$name == "Основная").first()
            else { continue }
            out[m.regionCode + m.code] = Program(municipalityID: muni, regionCode: m.regionCode, code: m.code, periodID: period.id!,
                                                 groupID: group.id!, nominal: DemoPlan.nominal(region: m.regionCode))
        }
        return out
    }

    /// Certificates of a batch of children, with numbers from the municipality counters and the period's
    /// grant for every ПФ one (an entry and its balance, exactly as the ledger service would write them).
    private func insertCertificates(_ items: [CertificateItem], program: [String: Program], on tx: any Database) async throws {
        guard !program.isEmpty else { return }
        let sql = tx.sql
        let now = clock.now()
        var counters: [UUID: Int] = [:]
        for p in program.values {
            try await sql.insert(into: "certificate_numbers").columns("municipality_id", "last")
                .values(SQLBind(p.municipalityID), SQLBind(0)).ignoringConflicts(with: ["municipality_id"]).run()
            counters[p.municipalityID] = try await sql.select().column("last").from("certificate_numbers")
                .where("municipality_id", .equal, p.municipalityID).first()?.decode(column: "last", as: Int.self) ?? 0
        }
        var certRows: [[any SQLExpression]] = []
        var entryRows: [[any SQLExpression]] = []
        var balanceRows: [[any SQLExpression]] = []
        for item in items where item.state != .none {
            guard let p = program[item.programKey] else { continue }
            let id = UUID()
            var number: String? = nil
            if item.state != .pending {
                counters[p.municipalityID, default: 0] += 1
                number = CertificateRules.number(region: p.regionCode, municipality: p.code, serial: counters[p.municipalityID]!)
            }
            let financing = item.state == .financing
            certRows.append([SQLBind(id), SQLBind(item.childID), SQLBind(item.familyID), SQLBind(p.regionCode), SQLBind(p.municipalityID),
                             SQLBind(number), SQLBind((financing ? CertificateKind.financing : .accounting).rawValue),
                             SQLBind((item.state == .pending ? CertificateStatus.pending : .active).rawValue), SQLBind(false),
                             SQLBind(financing ? p.groupID : nil), SQLBind(financing ? now : nil),
                             SQLBind(CertificateRules.closesOn(birth: item.birth).iso), SQLBind(item.state == .pending ? nil : now), SQLBind(now)])
            if financing {
                entryRows.append([SQLBind(UUID()), SQLBind(id), SQLBind(p.periodID), SQLBind(LedgerKind.grant.rawValue), SQLBind(p.nominal),
                                  SQLBind("period-grant:\(id):\(p.periodID)"), SQLBind("Номинал периода"), SQLBind(now), SQLBind(Int64(1))])
                balanceRows.append([SQLBind(UUID()), SQLBind(id), SQLBind(p.periodID), SQLBind(p.nominal), SQLBind(Int64(0)), SQLBind(Int64(0)),
                                    SQLBind(Int64(0)), SQLBind(Int64(1))])
            }
        }
        for chunk in stride(from: 0, to: certRows.count, by: Self.rowsPerStatement) {
            try await sql.insert(into: "certificates")
                .columns("id", "child_id", "family_id", "region_code", "municipality_id", "number", "kind", "status", "frozen",
                         "group_id", "financing_since", "closes_on", "confirmed_at", "created_at")
                .rows(certRows[chunk..<min(certRows.count, chunk + Self.rowsPerStatement)]).run()
        }
        for chunk in stride(from: 0, to: entryRows.count, by: Self.rowsPerStatement) {
            try await sql.insert(into: "ledger_entries")
                .columns("id", "certificate_id", "period_id", "kind", "amount", "operation_key", "note", "created_at", "seq")
                .rows(entryRows[chunk..<min(entryRows.count, chunk + Self.rowsPerStatement)]).run()
            try await sql.insert(into: "ledger_balances")
                .columns("id", "certificate_id", "period_id", "granted", "reserved", "spent", "expired", "seq")
                .rows(balanceRows[chunk..<min(balanceRows.count, chunk + Self.rowsPerStatement)]).run()
        }
        for (muni, last) in counters {
            try await sql.update("certificate_numbers").set("last", to: last).where("municipality_id", .equal, muni).run()
        }
    }

    private func loadFamilies(_ plan: DemoPlan, progress: DemoProgress) async throws {
        let families = plan.familyCount
        let batches = (families + familiesPerBatch - 1) / familiesPerBatch
        guard let run = try await DemoRunModel.find(1, on: db) else { return }
        let existingHash = try await UserModel.query(on: db).filter(\.$role == Role.parent).first()?.passwordHash
        let hash: String
        if let existingHash { hash = existingHash } else { hash = try await app.authService.hashPassword(DemoPlan.password, on: app) }
        var found: [String: UUID] = [:]
        for m in DemoPlan.municipalities {
            found[m.regionCode + m.code] = try await Directory(db: db).municipalityID(region: m.regionCode, code: m.code)
        }
        let municipalities = found
        let today = self.today
        let now = clock.now()
        let program = try await loadPrograms()
        progress.start(total: plan.children, done: min(plan.children, run.nextBatch * familiesPerBatch * 2))
        var done = 0
        for batch in run.nextBatch..<max(batches, run.nextBatch) {
            if let stop = stopAfterBatches, done >= stop { throw Interrupted() }
            done += 1
            let range = (batch * familiesPerBatch)..<min(families, (batch + 1) * familiesPerBatch)
            let generated = plan.families(range, today: today)
            try await db.transaction { tx in
                let sql = tx.sql
                var userRows: [[any SQLExpression]] = []
                var childRows: [[any SQLExpression]] = []
                var certificates: [CertificateItem] = []
                for f in generated {
                    let uid = UUID()
                    let muni = municipalities[f.regionCode + f.municipalityCode]!
                    userRows.append([SQLBind(uid), SQLBind(f.email), SQLBind(hash), SQLBind(f.parent.surname),
                                     SQLBind(f.parent.name), SQLBind(f.parent.patronymic), SQLBind(f.phone),
                                     SQLBind(Role.parent.rawValue), SQLBind(f.regionCode), SQLBind(muni),
                                     SQLBind(false), SQLBind(true), SQLBind(now)])
                    for c in f.children {
                        let childID = UUID()
                        certificates.append(CertificateItem(childID: childID, familyID: uid, programKey: f.regionCode + f.municipalityCode,
                                                            birth: c.birthDate, state: c.certificate))
                        childRows.append([SQLBind(childID), SQLBind(uid), SQLBind(f.regionCode), SQLBind(muni),
                                          SQLBind(c.person.surname), SQLBind(c.person.name), SQLBind(c.person.patronymic),
                                          SQLBind(c.birthDate.iso), SQLBind(c.person.sex.rawValue), SQLBind(c.snils),
                                          SQLBind(c.birthCertificateSeries), SQLBind(c.birthCertificateNumber), SQLBind(now)])
                    }
                }
                for chunk in stride(from: 0, to: userRows.count, by: Self.rowsPerStatement) {
                    try await sql.insert(into: "users")
                        .columns("id", "email", "password_hash", "surname", "name", "patronymic", "phone", "role",
                                 "region_code", "municipality_id", "may_confirm_certificates", "is_active", "created_at")
                        .rows(userRows[chunk..<min(userRows.count, chunk + Self.rowsPerStatement)]).run()
                }
                for chunk in stride(from: 0, to: childRows.count, by: Self.rowsPerStatement) {
                    try await sql.insert(into: "children")
                        .columns("id", "family_id", "region_code", "municipality_id", "surname", "name", "patronymic",
                                 "birth_date", "sex", "snils", "birth_certificate_series", "birth_certificate_number", "created_at")
                        .rows(childRows[chunk..<min(childRows.count, chunk + Self.rowsPerStatement)]).run()
                }
                try await insertCertificates(certificates, program: program, on: tx)
                try await sql.update("demo_runs").set("next_batch", to: batch + 1).where("id", .equal, 1).run()
            }
            progress.advance(to: min(plan.children, range.upperBound * 2))
        }
        progress.finish()
    }
}

extension DemoService {
    static let programsPerBatch = 2000

    /// The curated programs of the demo providers, then `plan.programs` generated ones, in batches: each batch
    /// is one transaction, and the number of programs already in the table says where a rerun resumes.
    /// Returns whether anything was added.
    func loadCatalog(_ plan: DemoPlan, progress: DemoProgress) async throws -> Bool {
        var providerIDs: [Int: (UUID, String, UUID)] = [:]
        var addresses: [Int: String] = [:]
        for (i, p) in plan.providers.enumerated() {
            guard let m = try await ProviderModel.query(on: db).filter(\.$inn == p.inn).first() else { continue }
            providerIDs[i] = (m.id!, m.regionCode, m.municipalityID)
            addresses[i] = p.address
        }
        guard !providerIDs.isEmpty else { return false }
        let providerMap = providerIDs
        let today = self.today
        let curated = DemoCatalog.curated(today: today, addresses: addresses)
        let target = curated.count + plan.programs
        let existing = try await ProgramModel.query(on: db).count()
        guard existing < target else { return false }
        let generators = providerIDs.keys.sorted().map { (index: $0, address: addresses[$0] ?? "") }
        progress.start(total: target, done: existing)
        var done = existing
        while done < target {
            let upper = min(target, done + Self.programsPerBatch)
            let range = done..<upper
            try await db.transaction { tx in
                let seq = try await CatalogStore.bump(tx)
                let now = clock.now()
                var programRows: [[any SQLExpression]] = []
                var moduleRows: [[any SQLExpression]] = []
                var groupRows: [[any SQLExpression]] = []
                for i in range {
                    let d = i < curated.count ? curated[i]
                        : DemoCatalog.generated(i - curated.count, seed: plan.seed, providers: generators, today: today)
                    guard let (providerID, region, muni) = providerMap[d.providerIndex] else { continue }
                    let pid = UUID()
                    let certified = d.status == .certified
                    programRows.append([SQLBind(pid), SQLBind(providerID), SQLBind(region), SQLBind(muni), SQLBind(d.name), SQLBind(d.annotation),
                                        SQLBind(d.direction.rawValue), SQLBind(d.activityKinds.joined(separator: ",")), SQLBind(d.level.rawValue),
                                        SQLBind(d.form.rawValue), SQLBind(false), SQLBind(d.ageFrom), SQLBind(d.ageTo),
                                        SQLBind(d.disabilities.map(\.rawValue).joined(separator: ",")), SQLBind(d.funding.rawValue),
                                        SQLBind(d.status.rawValue), SQLBind(certified), SQLBind(seq), SQLBind(now), SQLBind(now)])
                    var moduleIDs: [UUID] = []
                    for (k, m) in d.modules.enumerated() {
                        let mid = UUID()
                        moduleIDs.append(mid)
                        moduleRows.append([SQLBind(mid), SQLBind(pid), SQLBind(providerID), SQLBind(region), SQLBind(muni), SQLBind(k), SQLBind(m.name),
                                           SQLBind(m.months), SQLBind(m.hours), SQLBind(m.minChildren), SQLBind(m.maxChildren), SQLBind(m.price),
                                           SQLBind(certified ? m.normative : nil), SQLBind(now)])
                    }
                    for g in d.groups {
                        groupRows.append([SQLBind(UUID()), SQLBind(pid), SQLBind(moduleIDs[g.module]), SQLBind(providerID), SQLBind(region), SQLBind(muni),
                                          SQLBind(g.name), SQLBind(g.teacher), SQLBind(g.address), SQLBind(g.startsOn.iso), SQLBind(g.endsOn.iso),
                                          SQLBind(g.capacity), SQLBind(0), SQLBind(GroupModel.encodeSchedule(g.schedule)), SQLBind(GroupStatus.open.rawValue),
                                          SQLBind(now), SQLBind(now)])
                    }
                }
                let sql = tx.sql
                for chunk in stride(from: 0, to: programRows.count, by: 200) {
                    try await sql.insert(into: "programs")
                        .columns("id", "provider_id", "region_code", "municipality_id", "name", "annotation", "direction", "activity_kinds", "level",
                                 "form", "distance", "age_from", "age_to", "disabilities", "funding", "status", "was_published", "change_seq",
                                 "created_at", "updated_at")
                        .rows(programRows[chunk..<min(programRows.count, chunk + 200)]).run()
                }
                for chunk in stride(from: 0, to: moduleRows.count, by: 200) {
                    try await sql.insert(into: "program_modules")
                        .columns("id", "program_id", "provider_id", "region_code", "municipality_id", "position", "name", "months", "hours",
                                 "min_children", "max_children", "price", "normative", "created_at")
                        .rows(moduleRows[chunk..<min(moduleRows.count, chunk + 200)]).run()
                }
                for chunk in stride(from: 0, to: groupRows.count, by: 200) {
                    try await sql.insert(into: "program_groups")
                        .columns("id", "program_id", "module_id", "provider_id", "region_code", "municipality_id", "name", "teacher", "address",
                                 "starts_on", "ends_on", "capacity", "taken", "schedule", "status", "created_at", "updated_at")
                        .rows(groupRows[chunk..<min(groupRows.count, chunk + 200)]).run()
                }
                try await sql.update("demo_runs").set("programs", to: max(plan.programs, 0)).where("id", .equal, 1).run()
            }
            done = upper
            progress.advance(to: done)
        }
        progress.finish()
        try await app.catalogStore.reload(app)
        return true
    }
}

/// Progress of a long CLI job on standard error: a bar on a terminal, a line per 10 % otherwise.
final class DemoProgress: @unchecked Sendable {
    private let label: String
    private let unit: String
    private let enabled: Bool
    private var isStarted = false
    private let isTTY: Bool
    private var total = 0
    private var lastDecile = -1
    private var started = Date()

    init(label: String, enabled: Bool, unit: String = "детей") {
        self.label = label
        self.unit = unit
        self.enabled = enabled
        self.isTTY = isatty(2) == 1
    }

    var isEnabled: Bool { enabled }

    func start(total: Int, done: Int) {
        isStarted = true
        self.total = total
        started = Date()
        if done > 0 && enabled { write("\(label): продолжение с \(done) из \(total)\n") }
        advance(to: done)
    }

    func advance(to done: Int) {
        guard enabled, total > 0 else { return }
        let fraction = Double(done) / Double(total)
        let seconds = Int(Date().timeIntervalSince(started))
        if isTTY {
            let width = 30
            let filled = Int(fraction * Double(width))
            let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
            write("\r\(label): [\(bar)] \(Int(fraction * 100))% \(done) из \(total) \(unit), \(seconds) с")
        } else {
            let decile = Int(fraction * 10)
            if decile != lastDecile {
                lastDecile = decile
                write("\(label): \(decile * 10)% (\(done) из \(total) \(unit), \(seconds) с)\n")
            }
        }
    }

    /// A callback for services that report (done, total): starts the bar at the first report.
    func report(_ done: Int, _ total: Int) {
        if !isStarted { start(total: total, done: 0) }
        advance(to: done)
    }

    func finish() {
        if enabled && isTTY { write("\n") }
    }

    private func write(_ s: String) {
        FileHandle.standardError.write(Data(s.utf8))
    }
}
