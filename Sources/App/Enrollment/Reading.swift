import Domain
import Fluent
import Foundation
import PostgresNIO
import SQLKit

/// What an application needs to know, read in one statement: the group with its module, program and provider, and
/// the child with the certificate, the municipality's current period, the balance, any live application of the child
/// in the module and the agreement between the certificate's municipality and the provider.
struct ApplicationReading: Sendable {
    struct Group: Sendable {
        let id: UUID
        let programID: UUID
        let moduleID: UUID
        let providerID: UUID
        let name: String
        let startsOn: LocalDate
        let endsOn: LocalDate
        let capacity: Int
        let taken: Int
        let status: GroupStatus
        let enrollFrom: LocalDate?
        let enrollUntil: LocalDate?
        let price: Int64
        let normative: Int64?
        let programName: String
        let programStatus: ProgramStatus
        let funding: FundingKind
        let ageFromMonths: Int
        let ageToMonths: Int
        let regionCode: String
        let providerStatus: ProviderStatus
        /// The provider's active staff (told of a new application).
        let staff: [UUID]
    }

    struct Certificate: Sendable {
        let id: UUID
        let status: CertificateStatus
        let frozen: Bool
        let kind: CertificateKind
        let regionCode: String
        let municipalityID: UUID
    }

    struct Period: Sendable {
        let id: UUID
        let startsOn: LocalDate
        let endsOn: LocalDate
        let contractingOpen: Bool
    }

    struct Child: Sendable {
        let id: UUID
        let familyID: UUID
        let surname: String
        let name: String
        let patronymic: String
        let birthDate: LocalDate
        let certificate: Certificate?
        /// The current period of the certificate's municipality.
        let period: Period?
        /// Available on the certificate in that period (nil: nothing ever posted).
        let available: Int64?
        let hasLiveInModule: Bool
        let hasAgreement: Bool

        var fullName: String { [surname, name, patronymic].filter { !$0.isEmpty }.joined(separator: " ") }
    }

    let group: Group
    let child: Child

    /// The region whose calendar decides "today": the certificate's, else the program's.
    var regionCode: String { child.certificate?.regionCode ?? group.regionCode }

    /// The facts the rules of §7 check.
    func facts(start: LocalDate?, today: LocalDate) -> ApplicationFacts {
        let g = group, c = child
        var f = ApplicationFacts(
            today: today, start: start ?? EnrollmentRules.defaultStart(groupStart: g.startsOn, today: today),
            programStatus: g.programStatus, providerActive: g.providerStatus == .active, funding: g.funding,
            ageFromMonths: g.ageFromMonths, ageToMonths: g.ageToMonths, normative: g.normative,
            groupOpen: g.status == .open, groupStart: g.startsOn, groupEnd: g.endsOn, enrollFrom: g.enrollFrom, enrollUntil: g.enrollUntil,
            birth: c.birthDate, certificateStatus: c.certificate?.status, certificateFrozen: c.certificate?.frozen ?? false,
            certificateFinancing: c.certificate?.kind == .financing, hasLiveContractInModule: c.hasLiveInModule,
            periodStart: c.period?.startsOn, periodEnd: c.period?.endsOn, contractingOpen: c.period?.contractingOpen ?? false)
        f.sameRegion = c.certificate?.regionCode == g.regionCode
        f.hasAgreement = c.hasAgreement
        return f
    }

    /// What the certificate can pay from: its available balance in the period, for a certified program only.
    var balance: Int64 {
        group.funding == .certificate && child.certificate?.kind == .financing ? max(0, child.available ?? 0) : 0
    }

    /// The §6 quote of a contract in the group: a free program costs nothing; a paid one has no normative cost (the
    /// parent pays the price); a certified one is paid from the balance up to the normative cost.
    /// `extra`: money that comes back to the certificate before the new contract is held (a transfer's released months).
    func quote(start: LocalDate, end: LocalDate, extra: Int64 = 0) -> Result<ContractArithmetic.Quote, ValidationRefusals> {
        let price = group.funding == .free ? 0 : group.price
        let normative = group.funding == .certificate ? (group.normative ?? 0) : price
        return ContractArithmetic.quote(.init(
            groupStart: group.startsOn, groupEnd: group.endsOn, price: Money(kopecks: price), normative: Money(kopecks: normative),
            contractStart: start, contractEnd: end, balance: Money(kopecks: group.funding == .certificate ? balance + extra : 0)))
    }

    /// An учёта certificate meeting a certified program: it must become ПФ before the application.
    var needsFinancing: Bool {
        guard let cert = child.certificate else { return false }
        return group.funding == .certificate && cert.kind == .accounting && cert.status == .active && !cert.frozen
    }

    // MARK: the statement

    /// `group` and `child`: the expressions naming them (`$1`, `$2` for one pair). `postgres`: the staff list is
    /// aggregated with `string_agg` there, `group_concat` on SQLite.
    static func sql(postgres: Bool, group: String = "$1", child: String = "$2") -> String {
        let staff = postgres ? "string_agg(u.id::text, ',')" : "group_concat(u.id, ',')"
        return """
            SELECT g.id AS group_id, g.program_id, g.module_id, g.provider_id, g.name AS group_name, g.starts_on AS group_starts_on,
                   g.ends_on AS group_ends_on, g.capacity, g.taken, g.status AS group_status, g.enroll_from, g.enroll_until,
                   m.price, m.normative, p.name AS program_name, p.status AS program_status, p.funding, p.age_from, p.age_to,
                   p.region_code AS program_region, pr.status AS provider_status,
                   c.id AS child_id, c.family_id, c.surname, c.name AS child_name, c.patronymic, c.birth_date,
                   ce.id AS certificate_id, ce.status AS certificate_status, ce.frozen AS certificate_frozen, ce.kind AS certificate_kind,
                   ce.region_code AS certificate_region, ce.municipality_id AS certificate_municipality,
                   pe.id AS period_id, pe.starts_on AS period_starts_on, pe.ends_on AS period_ends_on, pe.contracting_open,
                   (SELECT \(RuleSQL.available("b.")) FROM ledger_balances b WHERE b.certificate_id = ce.id AND b.period_id = pe.id) AS available,
                   CASE WHEN EXISTS (SELECT 1 FROM contracts k WHERE k.child_id = c.id AND k.module_id = g.module_id
                     AND \(RuleSQL.live("k.status"))) THEN 1 ELSE 0 END AS live,
                   CASE WHEN EXISTS (SELECT 1 FROM agreements a WHERE a.municipality_id = ce.municipality_id
                     AND a.provider_id = g.provider_id AND a.status = \(AgreementStatus.active.sqlLiteral)) THEN 1 ELSE 0 END AS agreement,
                   (SELECT \(staff) FROM users u WHERE u.provider_id = g.provider_id AND u.role = \(Role.provider.sqlLiteral) AND u.is_active) AS staff
            FROM program_groups g JOIN program_modules m ON m.id = g.module_id JOIN programs p ON p.id = g.program_id
            JOIN providers pr ON pr.id = g.provider_id
            CROSS JOIN children c LEFT JOIN certificates ce ON ce.child_id = c.id
            LEFT JOIN periods pe ON pe.municipality_id = ce.municipality_id AND pe.status = \(PeriodStatus.current.sqlLiteral)
            WHERE g.id = \(group) AND c.id = \(child)
            """
    }

    /// A row of the statement, by column name.
    init(_ r: some HotRow) throws {
        func date(_ c: String) throws -> LocalDate {
            guard let d = LocalDate(iso: try r.string(required: c)) else { throw MissingColumn(column: c) }
            return d
        }
        func optionalDate(_ c: String) throws -> LocalDate? { try r.string(c).flatMap(LocalDate.init(iso:)) }
        func value<E: RawRepresentable>(_ c: String, _: E.Type) throws -> E where E.RawValue == String {
            guard let v = E(rawValue: try r.string(required: c)) else { throw MissingColumn(column: c) }
            return v
        }
        group = Group(
            id: try r.uuid(required: "group_id"), programID: try r.uuid(required: "program_id"), moduleID: try r.uuid(required: "module_id"),
            providerID: try r.uuid(required: "provider_id"), name: try r.string(required: "group_name"), startsOn: try date("group_starts_on"),
            endsOn: try date("group_ends_on"), capacity: try r.int(required: "capacity"), taken: try r.int(required: "taken"),
            status: try value("group_status", GroupStatus.self), enrollFrom: try optionalDate("enroll_from"),
            enrollUntil: try optionalDate("enroll_until"), price: try r.int64(required: "price"), normative: try r.int("normative"),
            programName: try r.string(required: "program_name"), programStatus: try value("program_status", ProgramStatus.self),
            funding: try value("funding", FundingKind.self), ageFromMonths: try r.int(required: "age_from"), ageToMonths: try r.int(required: "age_to"),
            regionCode: try r.string(required: "program_region"), providerStatus: try value("provider_status", ProviderStatus.self),
            staff: (try r.string("staff")).map { $0.split(separator: ",").compactMap { UUID(uuidString: String($0)) } } ?? [])
        var certificate: Certificate? = nil
        if let id = try r.uuid("certificate_id") {
            certificate = Certificate(id: id, status: try value("certificate_status", CertificateStatus.self),
                                      frozen: try r.bool(required: "certificate_frozen"), kind: try value("certificate_kind", CertificateKind.self),
                                      regionCode: try r.string(required: "certificate_region"),
                                      municipalityID: try r.uuid(required: "certificate_municipality"))
        }
        var period: Period? = nil
        if let id = try r.uuid("period_id") {
            period = Period(id: id, startsOn: try date("period_starts_on"), endsOn: try date("period_ends_on"),
                            contractingOpen: try r.bool(required: "contracting_open"))
        }
        child = Child(id: try r.uuid(required: "child_id"), familyID: try r.uuid(required: "family_id"), surname: try r.string(required: "surname"),
                      name: try r.string(required: "child_name"), patronymic: try r.string(required: "patronymic"),
                      birthDate: try date("birth_date"), certificate: certificate, period: period, available: try r.int("available"),
                      hasLiveInModule: try r.int(required: "live") != 0, hasAgreement: try r.int(required: "agreement") != 0)
    }

    /// The reading as a prepared statement on PostgreSQL (`$1` the group, `$2` the child).
    struct Statement: HotStatement {
        static let sql = ApplicationReading.sql(postgres: true)
        let bindings: PostgresBindings

        init(group: UUID, child: UUID) {
            var b = PostgresBindings(capacity: 2)
            b.append(group)
            b.append(child)
            bindings = b
        }
    }

    /// The reading for many pairs at once (`$1` the groups and `$2` the children as arrays), each row with `item`, the
    /// pair's place (from 1): a lateral join kept apart by `OFFSET 0`, so that each pair is looked up by its keys
    /// instead of the planner joining whole tables by hash.
    struct BatchStatement: HotStatement {
        static let sql = """
            SELECT r.item, s.* FROM unnest($1::uuid[], $2::uuid[]) WITH ORDINALITY AS r(gid, cid, item)
            CROSS JOIN LATERAL (\(ApplicationReading.sql(postgres: true, group: "r.gid", child: "r.cid")) OFFSET 0) s
            """
        let bindings: PostgresBindings

        init(_ pairs: [(group: UUID, child: UUID)]) {
            var b = PostgresBindings(capacity: 2)
            b.append(pairs.map(\.group))
            b.append(pairs.map(\.child))
            bindings = b
        }
    }
}

/// The reading of applications, on the fastest path of each database.
struct EnrollmentReader: Sendable {
    let store: Store

    /// Outside any transaction: a prepared statement on PostgreSQL, a direct reader on SQLite.
    func read(group: UUID, child: UUID) async throws -> ApplicationReading? {
        if let pg = store.postgres {
            guard let row = try await pg.hotRows(ApplicationReading.Statement(group: group, child: child), logger: store.logger).first else {
                return nil
            }
            return try ApplicationReading(row.makeRandomAccess())
        }
        return try await read(group: group, child: child, on: store.fast)
    }

    /// On `sql` (inside a transaction when `sql` is one).
    func read(group: UUID, child: UUID, on sql: any SQLDatabase) async throws -> ApplicationReading? {
        let postgres = sql.dialect.name == "postgresql"
        guard let row = try await sql.rows(ApplicationReading.sql(postgres: postgres), [group, child]).first else { return nil }
        return try ApplicationReading(hotRow(row))
    }

    /// Many pairs in one statement (PostgreSQL): the reading of each pair found, by its index in `pairs`.
    func read(_ pairs: [(group: UUID, child: UUID)]) async throws -> [Int: ApplicationReading] {
        guard let pg = store.postgres else {
            var out: [Int: ApplicationReading] = [:]
            for (i, p) in pairs.enumerated() { out[i] = try await read(group: p.group, child: p.child) }
            return out
        }
        var out: [Int: ApplicationReading] = [:]
        for row in try await pg.hotRows(ApplicationReading.BatchStatement(pairs), logger: store.logger) {
            let r = row.makeRandomAccess()
            guard let item = try? r["item"].decode(Int.self), (1...pairs.count).contains(item),
                  let reading = try? ApplicationReading(r) else { continue }
            out[item - 1] = reading
        }
        return out
    }
}
