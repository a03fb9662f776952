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

    /// Staff, providers and the named families, with the run record, in one transaction.
    func loadBase(_ plan: DemoPlan) async throws {
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

    func createPrograms(_ plan: DemoPlan, today: LocalDate, municipalityID: (String, String) async throws -> UUID,
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
    func loadPrograms() async throws -> [String: Program] {
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
}
