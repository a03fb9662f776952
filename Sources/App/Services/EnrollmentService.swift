import Domain
import Fluent
import FluentPostgresDriver
import Foundation
import SQLKit
import Vapor

/// Applications, offers and contracts (domain.md §7), and the waiting lists.
///
/// Every step runs in one transaction and takes its row locks in one order — contract, group, certificate,
/// ledger balance — so that concurrent steps queue instead of deadlocking. The place in the group and the
/// certificate's hold are taken together when an application is created and given back together when it
/// leaves the live statuses; a place freed in a full group goes, in the same transaction, to the first child
/// of the waiting list as an offer.
struct EnrollmentService: Sendable {
    let app: Application

    var clock: AppClock { app.clock }
    var ledger: LedgerService { app.ledger }
    var notifications: NotificationService { app.notifications }

    /// A refusal of a step, for pages and the API.
    struct Refused: Error, Sendable {
        let refusal: EnrollmentRefusal

        var appError: AppError {
            let unprocessable = ["start", "reason"].contains(refusal.field) || refusal.code == "age"
            return AppError(status: unprocessable ? .unprocessableEntity : .conflict, code: refusal.code, reason: refusal.message,
                            fields: [FieldError(field: refusal.field, message: refusal.message)])
        }
    }

    static func refuse(_ code: String, field: String = "status", _ message: String) -> Refused {
        Refused(refusal: EnrollmentRefusal(code, field: field, message))
    }

    /// A notification to send after the commit.
    struct Notice: Sendable {
        let users: [UUID]
        let kind: NotificationService.Kind
        let text: String
        let link: String?
        /// Already written in the step's transaction.
        var stored = false

        /// One notification row per recipient (each recipient once) of `notices`.
        static func rows(_ notices: [Notice]) -> [(user: UUID, kind: String, text: String, link: String?)] {
            notices.flatMap { n in Set(n.users).map { (user: $0, kind: n.kind.rawValue, text: n.text, link: n.link) } }
        }
    }

    func today(_ region: String) -> LocalDate { CertificateService.today(region: region, at: clock.now()) }

    // MARK: what a parent sees before applying

    struct Plan: Sendable {
        let group: GroupModel
        let start: LocalDate
        let end: LocalDate?
        let balance: Int64
        let quote: ContractArithmetic.Quote?
        let refusal: EnrollmentRefusal?
        let full: Bool
        /// Groups the child attends or applied to whose lessons overlap this group's.
        let overlaps: [String]
    }

    /// The quote and the checks for `child` in `group` from `start` (default: the group's start or today), without
    /// writing anything: the same reading, checks and arithmetic as the application itself.
    func plan(child: ChildModel, groupID: UUID, start: LocalDate?, on db: any Database) async throws -> Plan {
        guard let group = try await GroupModel.find(groupID, on: db),
              let (g, c) = try await snapshot(groupID: groupID, childID: child.requireID(), on: db.sql) else { throw Abort(.notFound) }
        let today = today(c.cert_region ?? g.program_region)
        let facts = Self.facts(g, c, start: start, today: today)
        var end: LocalDate? = nil
        var refusal: EnrollmentRefusal? = nil
        switch EnrollmentRules.check(facts) {
        case .success(let e): end = e
        case .failure(let r): refusal = r
        }
        let balance = Self.balance(g, c)
        let quote = end.flatMap { try? Self.quote(g, start: facts.start, end: $0, balance: balance).get() }
        return Plan(group: group, start: facts.start, end: end, balance: balance,
                    quote: quote, refusal: refusal, full: g.taken >= g.capacity,
                    overlaps: try await overlaps(child: child.requireID(), group: group, on: db))
    }

    /// The facts the rules of §7 check, from the reading.
    static func facts(_ g: Snapshot, _ c: ChildSnapshot, start: LocalDate?, today: LocalDate) -> ApplicationFacts {
        let groupStart = LocalDate(iso: g.group_start) ?? today, groupEnd = LocalDate(iso: g.group_end) ?? today
        var f = ApplicationFacts(
            today: today, start: start ?? EnrollmentRules.defaultStart(groupStart: groupStart, today: today),
            programStatus: ProgramStatus(rawValue: g.program_status) ?? .draft, providerActive: g.provider_status == "active",
            funding: FundingKind(rawValue: g.funding) ?? .paid, ageFromMonths: g.age_from, ageToMonths: g.age_to, normative: g.normative,
            groupOpen: g.group_status == GroupStatus.open.rawValue, groupStart: groupStart, groupEnd: groupEnd,
            enrollFrom: g.enroll_from.flatMap(LocalDate.init(iso:)), enrollUntil: g.enroll_until.flatMap(LocalDate.init(iso:)),
            birth: LocalDate(iso: c.birth_date) ?? today, certificateStatus: c.cert_status ?? "none", certificateFrozen: c.cert_frozen ?? false,
            certificateFinancing: c.cert_kind == "financing", hasLiveContractInModule: c.live != 0,
            periodStart: c.period_start.flatMap(LocalDate.init(iso:)), periodEnd: c.period_end.flatMap(LocalDate.init(iso:)),
            contractingOpen: c.contracting_open ?? false)
        f.sameRegion = c.cert_region == g.program_region
        f.hasAgreement = c.agreement != 0
        return f
    }

    /// What the certificate can pay from: its available balance in the period, for a certified program only.
    static func balance(_ g: Snapshot, _ c: ChildSnapshot) -> Int64 {
        g.funding == FundingKind.certificate.rawValue && c.cert_kind == "financing" ? max(0, c.available ?? 0) : 0
    }

    /// The §6 quote of a contract in the group: a free program costs nothing; a paid one has no normative cost
    /// (the parent pays the price); a certified one is paid from the balance up to the normative cost.
    static func quote(_ g: Snapshot, start: LocalDate, end: LocalDate, balance: Int64) -> Result<ContractArithmetic.Quote, ValidationRefusals> {
        let funding = FundingKind(rawValue: g.funding) ?? .paid
        let price = funding == .free ? 0 : g.price
        let normative = funding == .certificate ? (g.normative ?? 0) : price
        return ContractArithmetic.quote(.init(
            groupStart: LocalDate(iso: g.group_start)!, groupEnd: LocalDate(iso: g.group_end)!,
            price: Money(kopecks: price), normative: Money(kopecks: normative), contractStart: start, contractEnd: end,
            balance: Money(kopecks: funding == .certificate ? balance : 0)))
    }

    /// Names of the child's live groups whose lessons overlap `group`'s.
    func overlaps(child: UUID, group: GroupModel, on db: any Database) async throws -> [String] {
        let mine = group.slots
        let others = try await ContractModel.query(on: db).filter(\.$childID == child).filter(\.$status ~~ ContractStatus.live.map(\.rawValue))
            .filter(\.$groupID != group.requireID()).all()
        var out: [String] = []
        for c in others {
            guard let g = try await GroupModel.find(c.groupID, on: db), EnrollmentRules.overlaps(mine, g.slots) else { continue }
            let program = try await ProgramModel.find(g.programID, on: db)
            out.append("«\(program?.name ?? "")», группа «\(g.name)» (\(ScheduleSlot.text(g.slots)))")
        }
        return out
    }

    // MARK: applying

    /// A parent applies for `child` in a group from `start`: the place and the hold are taken in one transaction.
    ///
    /// The hot path of enrollment day: everything the checks need is read first (one statement, no locks),
    /// then a short transaction writes with every race-sensitive condition in its statements — the place
    /// only while the group has one, the certificate only while it is usable, the hold only while the
    /// balance covers it, one live application per child and module by a unique index. When a condition
    /// fails because something changed since the reading, the whole step is read and tried again.
    func apply(child: ChildModel, groupID: UUID, start: LocalDate?) async throws -> ContractModel {
        try await apply(childID: child.requireID(), family: nil, groupID: groupID, start: start)
    }

    /// The same for a child given by id; `family`: refuse (404) unless the child is of this family. On
    /// PostgreSQL concurrent applications go through the instance's group commit (`ApplyBatcher`).
    func apply(childID: UUID, family: UUID?, groupID: UUID, start: LocalDate?) async throws -> ContractModel {
        if let batcher = app.applyBatcher {
            return try await batcher.apply(.init(childID: childID, family: family, groupID: groupID, start: start), service: self)
        }
        return try await applyOne(childID: childID, family: family, groupID: groupID, start: start)
    }

    /// One application on its own: read, check, write, and read again when something changed meanwhile.
    func applyOne(childID: UUID, family: UUID?, groupID: UUID, start: LocalDate?) async throws -> ContractModel {
        let read = app.fastSQL
        guard let (g, c) = try await snapshotHot(groupID: groupID, childID: childID), family == nil || c.family_id == family else {
            // The child is checked first: another family's child is not found, whatever the group.
            if let family, try await read.select().column("id").from("children").where("id", .equal, childID)
                .where("family_id", .equal, family).first() == nil {
                throw Abort(.notFound)
            }
            throw Self.refuse("group_not_found", field: "group", "Группа не найдена.")
        }
        guard let certID = c.cert_id else {
            throw Self.refuse("certificate_not_active", field: "child", "У ребёнка нет сертификата дополнительного образования: сначала оформите его.")
        }
        // An учёта certificate applying for a certified program becomes ПФ when its group has a vacancy.
        var first: (Snapshot, ChildSnapshot)? = (g, c)
        if g.funding == FundingKind.certificate.rawValue && c.cert_kind == "accounting" && c.cert_status == "active" && c.cert_frozen == false {
            first = nil
            do {
                _ = try await CertificateService(app: app).makeFinancing(certID, on: app.db)
            } catch let e as AppError where e.code == "no_vacancy" || e.code == "no_period" {
                throw Self.refuse("certificate_kind", field: "child",
                                  "Программа оплачивается сертификатом ПФ, а сертификат ребёнка — сертификат учёта, и перевести его в ПФ сейчас нельзя: \(e.reason)")
            }
        }
        let staff = g.staffIDs
        for _ in 0..<5 {
            var reading = first
            if reading == nil { reading = try await snapshotHot(groupID: groupID, childID: childID) }
            first = nil
            let prepared = try await prepare(childID: childID, groupID: groupID, start: start, status: .applied,
                                             fromWaitlist: false, staff: staff, snapshot: reading, on: read)
            do {
                if let direct = app.sqliteDirect {
                    try await direct.write { tx in try await self.write(prepared, groupFirst: true, sql: tx) }
                } else if app.config.database.kind == .postgres {
                    try await writePostgres(prepared)
                } else {
                    try await app.writeGate.run {
                        try await app.db.transaction { tx in try await write(prepared, groupFirst: true, sql: tx.sql) }
                    }
                }
                return prepared.contract
            } catch is Changed {
                continue
            } catch let e where LedgerService.isUniqueViolation(e) {
                throw Refused(refusal: .duplicate)
            }
        }
        throw Self.refuse("busy", field: "group", "Группа сейчас меняется слишком часто: повторите попытку через минуту.")
    }

    /// A condition of the write no longer holds: something changed since the reading.
    struct Changed: Error {}

    /// What an application needs to know: the group with its module, program and provider, and the child with
    /// the certificate, the current period, the balance and whether a live application exists in the module.
    struct Snapshot: Sendable {
        let group_id: UUID
        let program_id: UUID
        let module_id: UUID
        let provider_id: UUID
        let group_name: String
        let group_start: String
        let group_end: String
        let capacity: Int
        let taken: Int
        let group_status: String
        let enroll_from: String?
        let enroll_until: String?
        let price: Int64
        let normative: Int64?
        let program_name: String
        let program_status: String
        let funding: String
        let age_from: Int
        let age_to: Int
        let program_region: String
        let provider_status: String
        /// The provider's active staff, comma-separated (nil: none).
        let staff: String?

        var staffIDs: [UUID] { staff.map { $0.split(separator: ",").compactMap { UUID(uuidString: String($0)) } } ?? [] }
    }

    struct ChildSnapshot: Sendable {
        let child_id: UUID
        let family_id: UUID
        let surname: String
        let name: String
        let patronymic: String
        let birth_date: String
        let cert_id: UUID?
        let cert_status: String?
        let cert_frozen: Bool?
        let cert_kind: String?
        let cert_region: String?
        let cert_municipality: UUID?
        let period_id: UUID?
        let period_start: String?
        let period_end: String?
        let contracting_open: Bool?
        let available: Int64?
        let live: Int
        /// 1 when the certificate's municipality has an active agreement with the group's provider.
        let agreement: Int

        var fullName: String { [surname, name, patronymic].filter { !$0.isEmpty }.joined(separator: " ") }
    }

    /// The group and the child in one statement (`$1` the group, `$2` the child; no row when either is missing).
    /// The provider's active staff come along (their ids joined by commas; both databases keep UUIDs as text
    /// there), one reading less.
    /// `group` and `child`: the expressions naming them (`$1`, `$2` by default).
    static func snapshotSQL(postgres: Bool, group: String = "$1", child: String = "$2") -> String {
        let staffColumn = """
            , (SELECT \(postgres ? "string_agg(u.id::text, ',')" : "group_concat(u.id, ',')") FROM users u
               WHERE u.provider_id = g.provider_id AND u.role = '\(Role.provider.rawValue)' AND u.is_active) AS staff
            """
        return """
            SELECT g.id AS group_id, g.program_id, g.module_id, g.provider_id, g.name AS group_name, g.starts_on AS group_start,
                   g.ends_on AS group_end, g.capacity, g.taken, g.status AS group_status, g.enroll_from, g.enroll_until,
                   m.price, m.normative, p.name AS program_name, p.status AS program_status, p.funding, p.age_from, p.age_to,
                   p.region_code AS program_region, pr.status AS provider_status,
                   c.id AS child_id, c.family_id, c.surname, c.name, c.patronymic, c.birth_date,
                   ce.id AS cert_id, ce.status AS cert_status, ce.frozen AS cert_frozen, ce.kind AS cert_kind, ce.region_code AS cert_region,
                   ce.municipality_id AS cert_municipality,
                   pe.id AS period_id, pe.starts_on AS period_start, pe.ends_on AS period_end, pe.contracting_open,
                   (SELECT b.granted - b.reserved - b.spent - b.expired FROM ledger_balances b
                     WHERE b.certificate_id = ce.id AND b.period_id = pe.id) AS available,
                   CASE WHEN EXISTS (SELECT 1 FROM contracts k WHERE k.child_id = c.id AND k.module_id = g.module_id
                     AND k.status IN ('applied', 'offered', 'active', 'terminating')) THEN 1 ELSE 0 END AS live,
                   CASE WHEN EXISTS (SELECT 1 FROM agreements a WHERE a.municipality_id = ce.municipality_id
                     AND a.provider_id = g.provider_id AND a.status = 'active') THEN 1 ELSE 0 END AS agreement\(staffColumn)
            FROM program_groups g JOIN program_modules m ON m.id = g.module_id JOIN programs p ON p.id = g.program_id
            JOIN providers pr ON pr.id = g.provider_id
            CROSS JOIN children c LEFT JOIN certificates ce ON ce.child_id = c.id
            LEFT JOIN periods pe ON pe.municipality_id = ce.municipality_id AND pe.status = 'current'
            WHERE g.id = \(group) AND c.id = \(child)
            """
    }

    struct SnapshotStatement: HotStatement {
        static let sql = EnrollmentService.snapshotSQL(postgres: true)
        let bindings: PostgresBindings

        init(group: UUID, child: UUID) {
            var b = PostgresBindings(capacity: 2)
            b.append(group)
            b.append(child)
            bindings = b
        }
    }

    static func decodeSnapshot(_ row: (any SQLRow)?) throws -> (Snapshot, ChildSnapshot)? {
        guard let row else { return nil }
        return try decodeSnapshot(hotRow(row))
    }

    static func decodeSnapshot(_ r: some HotRow) throws -> (Snapshot, ChildSnapshot) {
        (try Snapshot(r), try ChildSnapshot(r))
    }

    /// The reading on `sql` (inside a transaction when `sql` is one).
    func snapshot(groupID: UUID, childID: UUID, on sql: any SQLDatabase) async throws -> (Snapshot, ChildSnapshot)? {
        try Self.decodeSnapshot(try await sql.rows(Self.snapshotSQL(postgres: sql.dialect.name == "postgresql"), [groupID, childID]).first)
    }

    /// The reading of the hot path, outside any transaction: a prepared statement on PostgreSQL, a direct
    /// reader on SQLite.
    func snapshotHot(groupID: UUID, childID: UUID) async throws -> (Snapshot, ChildSnapshot)? {
        guard let pg = app.db as? any PostgresDatabase else { return try await snapshot(groupID: groupID, childID: childID, on: app.fastSQL) }
        guard let row = try await pg.hotRows(SnapshotStatement(group: groupID, child: childID), logger: app.logger).first else { return nil }
        return try Self.decodeSnapshot(row.makeRandomAccess())
    }

    /// An application ready to be written: the contract row, the hold and the notices.
    struct Prepared: Sendable {
        let contract: ContractModel
        let certificateID: UUID
        let requireFinancing: Bool
        let notices: [Notice]
    }

    /// Reads and checks; the contract with its quote, or the refusal.
    func prepare(childID: UUID, groupID: UUID, start: LocalDate?, status: ContractStatus, fromWaitlist: Bool,
                         staff: [UUID], snapshot pre: (Snapshot, ChildSnapshot)? = nil, on db: any SQLDatabase) async throws -> Prepared {
        var read = pre
        if read == nil { read = try await snapshot(groupID: groupID, childID: childID, on: db) }
        guard let (g, c) = read else {
            throw Self.refuse("group_not_found", field: "group", "Группа не найдена.")
        }
        guard let certID = c.cert_id else {
            throw Self.refuse("certificate_not_active", field: "child", "У ребёнка нет сертификата дополнительного образования.")
        }
        let facts = Self.facts(g, c, start: start, today: today(c.cert_region ?? g.program_region))
        let end: LocalDate
        switch EnrollmentRules.check(facts) {
        case .success(let e): end = e
        case .failure(let r): throw Refused(refusal: r)
        }
        let start = facts.start
        let funding = facts.funding
        guard let periodID = c.period_id, let municipality = c.cert_municipality, let region = c.cert_region else {
            throw Abort(.internalServerError)
        }
        guard g.taken < g.capacity else {
            throw Self.refuse("group_full", field: "group", "В группе нет свободных мест. Можно встать в очередь: когда место освободится, вы получите предложение.")
        }
        let quote: ContractArithmetic.Quote
        switch Self.quote(g, start: start, end: end, balance: Self.balance(g, c)) {
        case .success(let q): quote = q
        case .failure(let e): throw Self.refuse("invalid_start", field: "start", e.refusals.map(\.message).joined(separator: " "))
        }
        let now = clock.now()
        let k = ContractModel()
        k.id = UUID()
        k.regionCode = region
        k.municipalityID = municipality
        k.providerID = g.provider_id
        k.programID = g.program_id
        k.moduleID = g.module_id
        k.groupID = groupID
        k.childID = childID
        k.familyID = c.family_id
        k.certificateID = certID
        k.periodID = periodID
        k.funding = funding.rawValue
        k.status = status.rawValue
        k.setTerms(start: start, end: end, quote: quote)
        k.fromWaitlist = fromWaitlist
        k.createdAt = now
        let days = status == .offered ? EnrollmentRules.waitlistOfferDays : EnrollmentRules.providerAnswerDays
        k.answerDue = now.addingTimeInterval(TimeInterval(days) * 86400)
        if status == .offered { k.offeredAt = now }
        var notices: [Notice] = []
        if status == .applied {
            notices.append(Notice(users: staff, kind: .applicationReceived,
                                  text: "Новая заявка \(k.number): \(c.fullName), «\(g.program_name)», группа «\(g.group_name)». Ответьте до \(dueText(k)).",
                                  link: SiteRoute.providerApplication(k.id!).url))
            notices.append(Notice(users: [c.family_id], kind: .applicationSent,
                                  text: "Заявка \(k.number) на «\(g.program_name)» (\(c.name)) подана. Поставщик ответит до \(dueText(k)).",
                                  link: SiteRoute.familyApplication(k.id!).url))
        } else {
            notices.append(Notice(users: [c.family_id], kind: .offerReceived,
                                  text: "Освободилось место в группе «\(g.group_name)» программы «\(g.program_name)» для ребёнка \(c.name): примите предложение до \(dueText(k)).",
                                  link: SiteRoute.familyApplication(k.id!).url))
            notices.append(Notice(users: staff, kind: .offerReceived,
                                  text: "Место в группе «\(g.group_name)» предложено первому в очереди: \(c.fullName) (\(k.number)).",
                                  link: SiteRoute.providerApplication(k.id!).url))
        }
        return Prepared(contract: k, certificateID: certID, requireFinancing: funding == .certificate, notices: notices)
    }

    /// Writes a prepared application. Every condition that another request may have changed since the
    /// reading is a condition of a statement; `Changed` when one fails (nothing of this step stays: the
    /// caller's transaction is rolled back, or — for the waiting list, which holds the group — the failing
    /// statements come before any real change). `groupFirst`: take the place before touching the certificate
    /// (the lock order everywhere is contract, group, certificate, balance).
    private func write(_ p: Prepared, groupFirst: Bool, sql: any SQLDatabase) async throws {
        let k = p.contract
        let now = clock.now()
        if groupFirst {
            // One statement takes the place and checks the certificate and the period.
            guard try await !sql.rows(WriteSQL.takePlaceChecked[p.requireFinancing ? 1 : 0],
                                      [now, k.groupID, p.certificateID, false, k.periodID, true]).isEmpty else { throw Changed() }
        } else {
            // The group is already locked by the caller: check before any change.
            guard try await !sql.rows(WriteSQL.usable[p.requireFinancing ? 1 : 0], [p.certificateID, false, k.periodID, true]).isEmpty else {
                throw Changed()
            }
        }
        if k.certificateAmount > 0 {
            guard try await ledger.holdNew(certificateID: p.certificateID, periodID: k.periodID, contractID: k.id!,
                                           amount: k.certificateAmount, note: "Заявка \(k.number)", sql: sql) else { throw Changed() }
        }
        if !groupFirst {
            guard try await !sql.rows(WriteSQL.takePlace, [now, k.groupID]).isEmpty else { throw Changed() }
        }
        try await insert(k, on: sql)
        try await storeNotices(p.notices, on: sql)
    }

    /// The texts of the write's statements, fixed (`$n` parameters in the order of first appearance, read by
    /// both databases), so that nothing is built per application and each is prepared once per connection.
    enum WriteSQL {
        private static func certificateUsable(financing: Bool, from n: Int) -> String {
            """
            EXISTS (SELECT 1 FROM certificates WHERE id = $\(n) AND status = 'active' AND frozen = $\(n + 1)\(financing ? " AND kind = 'financing'" : ""))
            AND EXISTS (SELECT 1 FROM periods WHERE id = $\(n + 2) AND status = 'current' AND contracting_open = $\(n + 3))
            """
        }

        static let takePlace = """
            UPDATE program_groups SET taken = taken + 1, updated_at = $1 WHERE id = $2 AND taken < capacity AND status = 'open' RETURNING taken
            """
        /// [any certificate, ПФ only]: the place, while the certificate and the period allow it.
        static let takePlaceChecked = [false, true].map { financing in
            """
            UPDATE program_groups SET taken = taken + 1, updated_at = $1
            WHERE id = $2 AND taken < capacity AND status = 'open' AND \(certificateUsable(financing: financing, from: 3)) RETURNING taken
            """
        }
        static let usable = [false, true].map { "SELECT 1 AS ok WHERE \(certificateUsable(financing: $0, from: 1))" }
        static let insertContract = """
            INSERT INTO contracts (id, region_code, municipality_id, provider_id, program_id, module_id, group_id, child_id, family_id,
                certificate_id, period_id, funding, status, starts_on, ends_on, planned_ends_on, full_amount, certificate_amount,
                parent_amount, months, answer_due, from_waitlist, created_at, offered_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24)
            """
        /// The notifications insert for `rows` rows.
        static func insertNotifications(rows: Int) -> String {
            let values = (0..<rows).map { r in "(" + (1...6).map { "$\(r * 6 + $0)" }.joined(separator: ", ") + ")" }
            return "INSERT INTO notifications (id, user_id, kind, text, link, created_at) VALUES " + values.joined(separator: ", ")
        }
    }

    /// The same write as `write(_:groupFirst: true, sql:)` in one round trip: M0011's `navigator_apply`,
    /// as a prepared statement.
    private func writePostgres(_ p: Prepared) async throws {
        guard let pg = app.db as? any PostgresDatabase else { throw Abort(.internalServerError) }
        do {
            _ = try await pg.hotRows(try ApplyStatement(p), logger: app.logger)
        } catch let e as PSQLError where e.serverInfo?[.sqlState] == "NV001" {
            throw Changed()
        }
    }

    struct ApplyStatement: HotStatement {
        static let sql = """
            SELECT 1 AS done FROM navigator_apply($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19,
                $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31, $32, $33, $34)
            """
        let bindings: PostgresBindings

        init(_ p: Prepared) throws {
            let k = p.contract
            var ids: [UUID] = [], users: [UUID] = [], kinds: [String] = [], texts: [String] = [], links: [String] = []
            for r in Notice.rows(p.notices) {
                ids.append(UUID()); users.append(r.user); kinds.append(r.kind); texts.append(r.text); links.append(r.link ?? "")
            }
            var b = PostgresBindings(capacity: 34)
            b.append(k.id!); b.append(k.regionCode); b.append(k.municipalityID); b.append(k.providerID); b.append(k.programID)
            b.append(k.moduleID); b.append(k.groupID); b.append(k.childID); b.append(k.familyID); b.append(k.certificateID)
            b.append(k.periodID); b.append(k.funding); b.append(k.status); b.append(k.startsOn); b.append(k.endsOn)
            b.append(k.plannedEndsOn); b.append(k.fullAmount); b.append(k.certificateAmount); b.append(k.parentAmount); b.append(k.months)
            b.append(k.answerDue); b.append(k.fromWaitlist); b.append(k.createdAt); b.append(k.offeredAt); b.append(p.requireFinancing)
            b.append(UUID()); b.append(LedgerKind.hold.rawValue); b.append("hold:\(k.id!)"); b.append("Заявка \(k.number)")
            b.append(ids); b.append(users); b.append(kinds); b.append(texts); b.append(links)
            bindings = b
        }
    }

    /// The new contract row (one statement, without the ORM's per-row reflection: this is the hot path).
    private func insert(_ k: ContractModel, on sql: any SQLDatabase) async throws {
        _ = try await sql.rows(WriteSQL.insertContract, [
            k.id!, k.regionCode, k.municipalityID, k.providerID, k.programID, k.moduleID, k.groupID, k.childID, k.familyID,
            k.certificateID, k.periodID, k.funding, k.status, k.startsOn, k.endsOn, k.plannedEndsOn, k.fullAmount,
            k.certificateAmount, k.parentAmount, k.months, k.answerDue, k.fromWaitlist, k.createdAt, k.offeredAt,
        ])
    }

    /// Notifications written in the step's own transaction (one statement).
    private func storeNotices(_ notices: [Notice], on sql: any SQLDatabase) async throws {
        let now = clock.now()
        var binds: [any Encodable & Sendable] = []
        for r in Notice.rows(notices) {
            binds.append(contentsOf: [UUID(), r.user, r.kind, r.text, r.link, now] as [any Encodable & Sendable])
        }
        guard !binds.isEmpty else { return }
        _ = try await sql.rows(WriteSQL.insertNotifications(rows: binds.count / 6), binds)
    }

    func dueText(_ c: ContractModel) -> String {
        guard let due = c.answerDue else { return "—" }
        return CertificateService.today(region: c.regionCode, at: due).russian
    }

    func providerStaff(_ providerID: UUID, on sql: any SQLDatabase) async throws -> [UUID] {
        try await sql.select().column("id").from("users").where("provider_id", .equal, providerID)
            .where("role", .equal, Role.provider.rawValue).where("is_active", .equal, true).all()
            .map { try $0.decode(column: "id", as: UUID.self) }
    }

    // MARK: the steps after

    enum Step: Sendable {
        /// The provider accepts the application: the offer goes to the parent.
        case offer
        case reject(reason: String)
        /// The parent withdraws an application or declines an offer.
        case withdraw
        /// The parent accepts the offer: the contract is in force.
        case accept
        /// Either side gives notice: the contract ends on the last day of this month.
        case notice
        /// The deadline passed (the sweep).
        case expire
        /// The contract's last day passed (the sweep).
        case finish
    }

    /// One step of a contract by `principal` (nil for the system's sweep); refusals name why.
    @discardableResult
    func step(_ contractID: UUID, _ step: Step, by principal: Principal?) async throws -> ContractModel {
        let (contract, notices) = try await app.writeGate.run { try await app.db.transaction { tx -> (ContractModel, [Notice]) in
            var notices: [Notice] = []
            try await tx.sql.lockRow("contracts", id: contractID)
            guard let c = try await ContractModel.find(contractID, on: tx) else { throw Abort(.notFound) }
            if let principal, !AccessPolicy.allows(principal, .write, c.resourceScope) { throw Abort(.notFound) }
            let role = principal?.role
            let now = clock.now()
            let status = c.contractStatus
            let program = try await ProgramModel.find(c.programID, on: tx)
            let child = try await ChildModel.find(c.childID, on: tx)
            let what = "\(c.number) на «\(program?.name ?? "")» (\(child?.name ?? ""))"
            let staff = try await providerStaff(c.providerID, on: tx.sql)
            switch step {
            case .offer:
                guard role == .provider else { throw Abort(.forbidden) }
                guard status == .applied else { throw Self.refuse("wrong_status", "Принять можно только поданную заявку: сейчас «\(status.title)».") }
                if let due = c.answerDue, due < now { throw Self.refuse("expired", "Срок ответа на заявку истёк.") }
                c.status = ContractStatus.offered.rawValue
                c.offeredAt = now
                c.answerDue = now.addingTimeInterval(TimeInterval(EnrollmentRules.parentAnswerDays) * 86400)
                try await c.save(on: tx)
                notices.append(Notice(users: [c.familyID], kind: .offerReceived,
                                      text: "Поставщик принял заявку \(what) и направил оферту. Примите её до \(dueText(c)).",
                                      link: SiteRoute.familyApplication(contractID).url))
            case .reject(let raw):
                guard role == .provider else { throw Abort(.forbidden) }
                guard status == .applied else { throw Self.refuse("wrong_status", "Отклонить можно только поданную заявку: сейчас «\(status.title)».") }
                let reason = raw.trimmingCharacters(in: .whitespacesAndNewlines)
                guard (3...500).contains(reason.count) else {
                    throw Self.refuse("invalid_reason", field: "reason", "Укажите причину отказа (от 3 до 500 символов).")
                }
                notices += try await close(c, as: .rejected, reason: reason, tx: tx)
                notices.append(Notice(users: [c.familyID], kind: .applicationRejected, text: "Заявка \(what) отклонена: \(reason)",
                                      link: SiteRoute.familyApplication(contractID).url))
            case .withdraw:
                guard role == .parent else { throw Abort(.forbidden) }
                guard status.mayWithdraw else { throw Self.refuse("wrong_status", "Отозвать можно заявку или оферту: сейчас «\(status.title)».") }
                notices += try await close(c, as: .withdrawn, reason: nil, tx: tx)
                notices.append(Notice(users: staff, kind: .applicationWithdrawn, text: "Родитель отозвал заявку \(what).",
                                      link: SiteRoute.providerApplication(contractID).url))
            case .accept:
                guard role == .parent else { throw Abort(.forbidden) }
                guard status == .offered else { throw Self.refuse("wrong_status", "Принять можно только оферту: сейчас «\(status.title)».") }
                if let due = c.answerDue, due < now { throw Self.refuse("expired", "Срок принятия оферты истёк.") }
                c.status = ContractStatus.active.rawValue
                c.activatedAt = now
                c.answerDue = nil
                try await c.save(on: tx)
                try await WaitlistModel.query(on: tx).filter(\.$contractID == contractID).set(\.$status, to: "enrolled").update()
                notices.append(Notice(users: staff, kind: .contractActive, text: "Договор \(what) заключён: родитель принял оферту.",
                                      link: SiteRoute.providerApplication(contractID).url))
            case .notice:
                guard role == .parent || role == .provider else { throw Abort(.forbidden) }
                guard status.mayGiveNotice else { throw Self.refuse("wrong_status", "Расторгнуть можно только действующий договор: сейчас «\(status.title)».") }
                let today = today(c.regionCode)
                let end = EnrollmentRules.noticeEnd(day: today, start: LocalDate(iso: c.startsOn)!, end: LocalDate(iso: c.endsOn)!)
                c.noticeAt = now
                c.noticeBy = role!.rawValue
                let release = min(EnrollmentRules.released(months: c.parts, end: end), try await stillHeld(contractID, on: tx))
                if release > 0 {
                    _ = try await ledger.post(.init(certificateID: c.certificateID, periodID: c.periodID, contractID: contractID, kind: .release,
                                                    amount: release, key: "notice:\(contractID)", note: "Расторжение договора \(c.number)"),
                                              inTransaction: tx)
                }
                if let end {
                    c.endsOn = end.iso
                    c.status = ContractStatus.terminating.rawValue
                    try await c.save(on: tx)
                } else {
                    // Notice before the first day: the contract ends without a single month.
                    c.endsOn = c.startsOn
                    notices += try await close(c, as: .terminated, reason: "расторгнут до начала занятий", tx: tx)
                }
                let who = role == .parent ? "Родитель" : "Поставщик"
                let endText = end.map { "последний день — \($0.russian)" } ?? "до начала занятий"
                notices.append(Notice(users: role == .parent ? staff : [c.familyID], kind: .contractNotice,
                                      text: "\(who) расторгает договор \(what): \(endText).",
                                      link: role == .parent ? SiteRoute.providerApplication(contractID).url : SiteRoute.familyApplication(contractID).url))
            case .expire:
                guard principal == nil, status == .applied || status == .offered, let due = c.answerDue, due < now else { return (c, notices) }
                notices += try await close(c, as: .expired, reason: status == .applied ? "поставщик не ответил в срок" : "оферта не принята в срок", tx: tx)
                notices.append(Notice(users: [c.familyID] + staff, kind: .applicationExpired,
                                      text: "Срок ответа по заявке \(what) истёк: заявка закрыта, средства сертификата возвращены.",
                                      link: nil))
            case .finish:
                guard principal == nil, status == .active || status == .terminating,
                      let end = LocalDate(iso: c.endsOn), end < today(c.regionCode) else { return (c, notices) }
                notices += try await close(c, as: .terminated, reason: nil, tx: tx)
            }
            return (c, notices)
        } }
        await send(notices)
        return contract
    }

    private func stillHeld(_ contractID: UUID, on db: any Database) async throws -> Int64 {
        try await ledger.contractHold(contractID, on: db)?.stillHeld ?? 0
    }

    /// Leaves the live statuses: gives the place back and, unless the contract ran (terminated), the whole
    /// hold; a place freed goes to the waiting list.
    private func close(_ c: ContractModel, as status: ContractStatus, reason: String?, tx: any Database) async throws -> [Notice] {
        let id = try c.requireID()
        try await tx.sql.lockRow("program_groups", id: c.groupID)
        if status != .terminated {
            let held = try await stillHeld(id, on: tx)
            if held > 0 {
                _ = try await ledger.post(.init(certificateID: c.certificateID, periodID: c.periodID, contractID: id, kind: .release,
                                                amount: held, key: "close:\(id)", note: "Заявка \(c.number): \(status.title)"),
                                          inTransaction: tx)
            }
        }
        c.status = status.rawValue
        c.reason = reason
        c.answerDue = nil
        c.closedAt = clock.now()
        try await c.save(on: tx)
        let waitStatus = status == .terminated ? "enrolled" : (status == .withdrawn ? "left" : "dropped")
        try await WaitlistModel.query(on: tx).filter(\.$contractID == id).filter(\.$status == "offered").set(\.$status, to: waitStatus).update()
        try await tx.sql.update("program_groups")
            .set(SQLIdentifier("taken"), to: SQLBinaryExpression(SQLIdentifier("taken"), .subtract, SQLLiteral.numeric("1")))
            .set("updated_at", to: clock.now()).where("id", .equal, c.groupID).run()
        return try await promote(groupID: c.groupID, tx: tx)
    }

    // MARK: waiting lists

    /// Gives the free places of a group to the waiting list in its order: each child gets an offer with a deadline;
    /// a child who can no longer enroll (certificate closed, age) leaves the list with the reason.
    private func promote(groupID: UUID, tx: any Database) async throws -> [Notice] {
        var notices: [Notice] = []
        while true {
            guard let group = try await GroupModel.find(groupID, on: tx), group.taken < group.capacity,
                  let next = try await WaitlistModel.query(on: tx).filter(\.$groupID == groupID).filter(\.$status == "waiting")
                      .sort(\.$seq).first() else { return notices }
            let today = today(group.regionCode)
            let start = max(LocalDate(iso: next.startsOn) ?? today, EnrollmentRules.defaultStart(groupStart: LocalDate(iso: group.startsOn)!, today: today))
            do {
                let staff = try await providerStaff(group.providerID, on: tx.sql)
                let p = try await prepare(childID: next.childID, groupID: groupID, start: start, status: .offered, fromWaitlist: true,
                                          staff: staff, on: tx.sql)
                do {
                    try await write(p, groupFirst: false, sql: tx.sql)
                } catch is Changed {
                    throw Self.refuse("changed", field: "child", "Сертификат ребёнка сейчас нельзя использовать.")
                }
                next.status = "offered"
                next.contractID = p.contract.id
                try await next.save(on: tx)
                notices += p.notices.map { Notice(users: $0.users, kind: $0.kind, text: $0.text, link: $0.link, stored: true) }
            } catch let e as Refused {
                next.status = "dropped"
                next.reason = e.refusal.message
                try await next.save(on: tx)
                notices.append(Notice(users: [next.familyID], kind: .waitlistDropped,
                                      text: "Освободилось место в группе «\(group.name)», но записать ребёнка нельзя: \(e.refusal.message) Ребёнок исключён из очереди.",
                                      link: SiteRoute.familyApplications.url))
            }
        }
    }

    /// Puts a child on the waiting list of a full group (the same checks as an application, except the place).
    func joinWaitlist(child: ChildModel, groupID: UUID, start: LocalDate?) async throws -> WaitlistModel {
        let plan = try await plan(child: child, groupID: groupID, start: start, on: app.db)
        if let r = plan.refusal { throw Refused(refusal: r) }
        guard plan.full else {
            throw Self.refuse("group_not_full", field: "group", "В группе есть свободные места: подайте заявку, очередь не нужна.")
        }
        let entry = WaitlistModel()
        let notices: [Notice]
        do {
            notices = try await app.writeGate.run { try await app.db.transaction { tx in
                try await tx.sql.lockRow("program_groups", id: groupID)
                let last = try await WaitlistModel.query(on: tx).filter(\.$groupID == groupID).sort(\.$seq, .descending).first()?.seq ?? 0
                entry.groupID = groupID
                entry.regionCode = child.regionCode
                entry.municipalityID = child.municipalityID
                entry.providerID = plan.group.providerID
                entry.childID = try child.requireID()
                entry.familyID = child.familyID
                entry.startsOn = plan.start.iso
                entry.status = "waiting"
                entry.seq = last + 1
                entry.createdAt = clock.now()
                try await entry.create(on: tx)
                // A place may have freed meanwhile: the list moves at once.
                return try await promote(groupID: groupID, tx: tx)
            } }
        } catch let e where LedgerService.isUniqueViolation(e) {
            throw Self.refuse("duplicate", field: "group", "Ребёнок уже стоит в очереди в эту группу.")
        }
        await send(notices)
        return entry
    }

    func leaveWaitlist(_ entry: WaitlistModel) async throws {
        guard entry.status == "waiting" else {
            throw Self.refuse("wrong_status", "Покинуть можно только очередь, в которой ребёнок ждёт места.")
        }
        entry.status = "left"
        try await entry.save(on: app.db)
    }

    /// The place in the list (1 = next to get an offer).
    func position(_ entry: WaitlistModel, on db: any Database) async throws -> Int? {
        guard entry.status == "waiting" else { return nil }
        return try await WaitlistModel.query(on: db).filter(\.$groupID == entry.groupID).filter(\.$status == "waiting")
            .filter(\.$seq < entry.seq).count() + 1
    }

    // MARK: the sweep

    struct SweepResult: Sendable, Equatable {
        var expired = 0
        var finished = 0
        /// Parents told of the coming prolongation of a contract.
        var announced = 0
    }

    /// Expires applications and offers past their deadline, ends contracts past their last day and tells parents of
    /// the coming prolongations. Safe to run again.
    func sweep() async throws -> SweepResult {
        var result = SweepResult()
        let now = clock.now()
        let due = try await ContractModel.query(on: app.db).filter(\.$status ~~ [ContractStatus.applied.rawValue, ContractStatus.offered.rawValue])
            .filter(\.$answerDue < now).all()
        for c in due {
            let after = try await step(c.requireID(), .expire, by: nil)
            if after.contractStatus == .expired { result.expired += 1 }
        }
        let lastISO = LocalDate(now, in: TimeZone(identifier: "Asia/Novokuznetsk")!).adding(days: 1).iso
        let ending = try await ContractModel.query(on: app.db)
            .filter(\.$status ~~ [ContractStatus.active.rawValue, ContractStatus.terminating.rawValue])
            .filter(\.$endsOn < lastISO).all()
        // A contract that the coming rollover prolongs keeps its place until then (domain §7).
        var following: [UUID: [String]] = [:]
        if !ending.isEmpty {
            for p in try await PeriodModel.query(on: app.db).filter(\.$status != "closed").all() {
                following[p.municipalityID, default: []].append(p.startsOn)
            }
        }
        for c in ending {
            if c.prolongation != Prolongation.declined.rawValue, following[c.municipalityID, default: []].contains(where: { $0 > c.endsOn }),
               let group = try await GroupModel.find(c.groupID, on: app.db), Self.goesOn(c, groupEnd: group.endsOn) {
                continue
            }
            let after = try await step(c.requireID(), .finish, by: nil)
            if after.contractStatus == .terminated { result.finished += 1 }
        }
        result.announced = try await announceProlongations()
        return result
    }

    // MARK: notifications

    func send(_ notices: [Notice]) async {
        for n in notices where !n.stored {
            for user in Set(n.users) {
                do {
                    try await notifications.notify(user, n.kind, n.text, link: n.link, on: app.db)
                } catch {
                    app.logger.error("notification failed", metadata: ["error": .string(String(describing: error))])
                }
            }
        }
    }

    // MARK: verification

    /// The invariants of enrollment: a group's taken places are its live contracts and never more than its
    /// capacity; a live or finished contract holds exactly its months (minus what notice released); a closed
    /// application holds nothing.
    func verify(on db: any Database) async throws -> (checked: Int, problems: [String]) {
        var problems: [String] = []
        let live = ContractStatus.live.map(\.rawValue)
        var counts: [UUID: Int] = [:]
        let contracts = try await ContractModel.query(on: db).all()
        var holds: [UUID: ContractHold] = [:]
        for r in try await db.sql.select().columns("contract_id", "held", "released", "charged", "corrected").from("ledger_contracts").all() {
            holds[try r.decode(column: "contract_id", as: UUID.self)] = ContractHold(
                held: try r.decode(column: "held", as: Int64.self), released: try r.decode(column: "released", as: Int64.self),
                charged: try r.decode(column: "charged", as: Int64.self), corrected: try r.decode(column: "corrected", as: Int64.self))
        }
        var liveByChildModule: [String: Int] = [:]
        for c in contracts {
            let id = c.id!
            if live.contains(c.status) {
                counts[c.groupID, default: 0] += 1
                liveByChildModule["\(c.childID)/\(c.moduleID)", default: 0] += 1
            }
            let parts = c.parts
            if parts.reduce(0, { $0 + $1.certificate }) != c.certificateAmount || parts.reduce(0, { $0 + $1.parent }) != c.parentAmount {
                problems.append("contract \(id): the months do not add up to its amounts")
            }
            let h = holds[id] ?? ContractHold()
            if h.held != c.certificateAmount {
                problems.append("contract \(id): held \(h.held), its certificate part is \(c.certificateAmount)")
            }
            let kept = h.held - h.released
            switch c.contractStatus {
            case .applied, .offered, .active:
                if kept != c.certificateAmount { problems.append("contract \(id) (\(c.status)): keeps \(kept) of \(c.certificateAmount)") }
            case .terminating, .terminated:
                // Notice released the months after its month; a contract that ran to its end keeps them all.
                var expected = c.certificateAmount
                if let at = c.noticeAt, let s = LocalDate(iso: c.startsOn), let e = LocalDate(iso: c.plannedEndsOn) {
                    let end = EnrollmentRules.noticeEnd(day: CertificateService.today(region: c.regionCode, at: at), start: s, end: e)
                    expected -= EnrollmentRules.released(months: parts, end: end)
                }
                if kept != expected { problems.append("contract \(id) (\(c.status)): keeps \(kept), its months to \(c.endsOn) are \(expected)") }
            case .rejected, .withdrawn, .expired:
                if kept != 0 { problems.append("contract \(id) (\(c.status)): still keeps \(kept)") }
            }
        }
        for (key, n) in liveByChildModule where n > 1 {
            problems.append("child/module \(key): \(n) live applications or contracts")
        }
        let groups = try await GroupModel.query(on: db).all()
        for g in groups {
            let n = counts[g.id!] ?? 0
            if g.taken != n { problems.append("group \(g.id!): taken \(g.taken), live contracts \(n)") }
            if n > g.capacity { problems.append("group \(g.id!): \(n) live contracts over capacity \(g.capacity)") }
        }
        return (contracts.count, problems)
    }
}
