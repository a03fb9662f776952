import Domain
import Fluent
import Foundation
import SQLKit
import Vapor

/// The monthly close of a municipality (domain.md §8, issue 14): for every contract-month owed up to the month,
/// a row in `contract_months` with the completeness the provider reported (100 % where nothing was), a `charge`
/// of the certificate part and, below 100 %, a `correction`; then one final invoice per provider.
///
/// - Idempotent: a contract-month has one row ever and its ledger entries have keys; a second run finds nothing.
/// - Resumable: every batch of contracts is one transaction; a close killed at any point is finished by the
///   next run, with the same rows.
/// - One runner: the `month_closes` row is leased; another instance waits until the lease ends (a killed runner's
///   lease runs out), and every batch renews the lease inside its transaction, so a runner that lost it stops.
/// - No lock longer than one batch: the site keeps answering.
struct MonthCloser: Sendable {
    let store: Store
    let ledger: LedgerService
    let invoices: InvoiceService
    let audit: AuditLog
    let clock: AppClock
    /// Contracts per transaction.
    var batchSize = 4000
    /// How long a lease lasts without a renewal.
    var lease: TimeInterval = 20
    /// A test seam: the close stops after this many batches, as if the process were killed (its lease stays behind).
    var stopAfterBatches: Int? = nil

    struct Interrupted: Error {}

    struct Preview: Sendable, Hashable {
        var contractMonths = 0
        var charge: Int64 = 0
        var correction: Int64 = 0
        var disputed = 0
        var providers = 0
    }

    struct Result: Sendable, Hashable {
        var alreadyDone = false
        /// Another runner holds the close (only without waiting).
        var skipped = false
        var contracts = 0
        var contractMonths = 0
        var charged: Int64 = 0
        var corrected: Int64 = 0
        var invoices = 0
    }

    struct LostLease: Error {}

    /// Whether `month` may be closed for the municipality today, or the reason why not.
    func check(municipalityID: UUID, month: Month) async throws -> MunicipalityModel {
        guard let m = try await MunicipalityModel.find(municipalityID, on: store.db) else { throw Abort(.notFound) }
        let today = CertificateService.today(region: m.regionCode, at: clock.now())
        if let r = MonthClose.mayClose(month, today: today) { throw AppError(r) }
        return m
    }

    func isClosed(municipalityID: UUID, month: Month, on sql: any SQLDatabase) async throws -> Bool {
        try await sql.select().column("status").from("month_closes").where("municipality_id", .equal, municipalityID)
            .where("month", .equal, month.key).first()?.decode(column: "status", as: String.self) == "done"
    }

    /// What the close would do, in roubles, without doing it.
    func preview(municipalityID: UUID, month: Month) async throws -> Preview {
        var p = Preview()
        var providers = Set<UUID>()
        try await forEachBatch(municipalityID: municipalityID, month: month, from: nil) { batch in
            for w in batch.work {
                p.contractMonths += 1
                p.charge += w.outcome.charge
                p.correction += w.outcome.correction
                if w.disputed { p.disputed += 1 }
                providers.insert(w.contract.providerID)
            }
            return true
        }
        p.providers = providers.count
        return p
    }

    /// Closes `month` for the municipality. `waiting` is called once when another instance holds the close.
    /// `wait: false` (the server's hourly job): when another runner holds the close, leave it alone — without even
    /// asking for the write lock, which that runner takes batch after batch.
    func close(municipalityID: UUID, month: Month, by actor: AuditActor, progress: (@Sendable (Int, Int) -> Void)? = nil,
               wait: Bool = true, waiting: (@Sendable () -> Void)? = nil) async throws -> Result {
        let municipality = try await check(municipalityID: municipalityID, month: month)
        if !wait, let row = try await store.sql.select().columns("status", "lease_until").from("month_closes")
            .where("municipality_id", .equal, municipalityID).where("month", .equal, month.key).first() {
            if try row.decode(column: "status", as: String.self) == "done" { return Result(alreadyDone: true) }
            if let until = try row.decode(column: "lease_until", as: Date?.self), until > clock.now() { return Result(alreadyDone: false, skipped: true) }
        }
        let runner = UUID().lowercasedString
        guard let closeID = try await claim(municipalityID: municipalityID, month: month, runner: runner, actor: actor, waiting: waiting) else {
            return Result(alreadyDone: true)
        }
        var result = Result()
        let total = try await countContracts(municipalityID: municipalityID, month: month)
        var seen = 0, batches = 0
        try await forEachBatch(municipalityID: municipalityID, month: month, from: nil) { batch in
            let done = try await store.write { tx in
                try await renew(closeID: closeID, runner: runner, on: tx.sql)
                return try await write(batch, month: month, on: tx)
            }
            result.contractMonths += done.contractMonths
            result.charged += done.charged
            result.corrected += done.corrected
            seen += batch.contracts
            result.contracts = seen
            progress?(seen, total)
            batches += 1
            if let stop = stopAfterBatches, batches >= stop { throw Interrupted() }
            return true
        }
        result.invoices = try await invoices.issueFinals(municipality: municipality, month: month, renew: { sql in
            try await renew(closeID: closeID, runner: runner, on: sql)
        })
        let summary = result
        try await store.write { tx in
            try await renew(closeID: closeID, runner: runner, on: tx.sql)
            try await tx.sql.update("month_closes").set("status", to: "done").set("finished_at", to: clock.now())
                .set("runner", to: SQLLiteral.null).set("lease_until", to: SQLLiteral.null).where("id", .equal, closeID).run()
            try await audit.record(actor, "month-close", municipalityID: municipalityID, amount: summary.charged - summary.corrected,
                                   "Закрыт месяц «\(month.title)»: договоро-месяцев \(summary.contractMonths), списано \(Money(kopecks: summary.charged).formatted), возвращено по полноте \(Money(kopecks: summary.corrected).formatted), итоговых счетов \(summary.invoices).",
                                   on: tx.sql)
        }
        return result
    }

    /// The server's hourly job: closes the previous month of every municipality with a current period once its reporting
    /// window has passed — also when nothing is owed, so that the month is recorded as closed (a period closes only after
    /// its last month). The number of municipalities closed.
    func closeDue() async throws -> Int {
        var closed = 0
        for m in try await MunicipalityModel.query(on: store.db).all() {
            let mid = try m.requireID()
            let month = Month(CertificateService.today(region: m.regionCode, at: clock.now())).previous
            guard MonthClose.mayClose(month, today: CertificateService.today(region: m.regionCode, at: clock.now())) == nil,
                  try await !isClosed(municipalityID: mid, month: month, on: store.sql),
                  try await PeriodModel.query(on: store.db).filter(\.$municipalityID == mid).filter(\.$status == .current).first() != nil
            else { continue }
            try Task.checkCancellation()
            let r = try await close(municipalityID: mid, month: month, by: .schedule, wait: false)
            if !r.alreadyDone && !r.skipped { closed += 1 }
        }
        return closed
    }

    // MARK: the lease

    /// Takes the close of the month, waiting while another runner's lease lasts. Nil: it is already done.
    private func claim(municipalityID: UUID, month: Month, runner: String, actor: AuditActor,
                       waiting: (@Sendable () -> Void)?) async throws -> UUID? {
        var told = false
        while true {
            let now = clock.now()
            let outcome: UUID?? = try await store.write { tx in
                let sql = tx.sql
                if let row = try await sql.select().columns("id", "status").from("month_closes")
                    .where("municipality_id", .equal, municipalityID).where("month", .equal, month.key).first() {
                    let id = try row.decode(column: "id", as: UUID.self)
                    if try row.decode(column: "status", as: String.self) == "done" { return .some(nil) }
                    let taken = try await sql.update("month_closes").set("runner", to: runner)
                        .set("lease_until", to: now.addingTimeInterval(lease))
                        .where("id", .equal, id)
                        .where { $0.where("lease_until", .lessThan, now).orWhere("lease_until", .is, SQLLiteral.null) }
                        .returning("id").first()
                    return taken == nil ? nil : .some(id)
                }
                let id = UUID()
                try await sql.insert(into: "month_closes")
                    .columns("id", "municipality_id", "month", "status", "runner", "lease_until", "started_at", "started_by")
                    .values(SQLBind(id), SQLBind(municipalityID), SQLBind(month.key), SQLBind("running"), SQLBind(runner),
                            SQLBind(now.addingTimeInterval(lease)), SQLBind(now), SQLBind(actor.label))
                    .run()
                return .some(id)
            }
            if let claimed = outcome { return claimed }
            if !told { waiting?(); told = true }
            try await Task.sleep(for: .milliseconds(500))
        }
    }

    private func renew(closeID: UUID, runner: String, on sql: any SQLDatabase) async throws {
        let row = try await sql.update("month_closes").set("lease_until", to: clock.now().addingTimeInterval(lease))
            .where("id", .equal, closeID).where("runner", .equal, runner).returning("id").first()
        if row == nil { throw LostLease() }
    }

    // MARK: the work

    struct ContractFacts: Sendable {
        let id: UUID
        let providerID: UUID
        let groupID: UUID
        let certificateID: UUID
        let periodID: UUID
        let municipalityID: UUID
        let parts: [MonthPart]
    }

    struct Work: Sendable {
        let contract: ContractFacts
        let part: MonthPart
        let completeness: Completeness
        let disputed: Bool
        let outcome: MonthClose.Outcome
    }

    struct Batch: Sendable {
        let contracts: Int
        let work: [Work]
    }

    private static let statuses = [ContractStatus.active, .terminating, .terminated]

    /// The first day of the months not yet closed for the municipality before `month`: a contract that ended earlier
    /// was charged by those closes.
    private func lowerBound(municipalityID: UUID, month: Month, on sql: any SQLDatabase) async throws -> String {
        let row = try await sql.select().column(SQLFunction("max", args: SQLIdentifier("month")), as: "m").from("month_closes")
            .where("municipality_id", .equal, municipalityID).where("status", .equal, "done").where("month", .lessThan, month.key).first()
        guard let key = try row?.decode(column: "m", as: String?.self), let done = Month(key: key) else { return "0000-00-00" }
        return done.next.first.iso
    }

    private func countContracts(municipalityID: UUID, month: Month) async throws -> Int {
        let sql = store.sql
        let bound = try await lowerBound(municipalityID: municipalityID, month: month, on: sql)
        let row = try await sql.select().column(SQLFunction("count", args: SQLLiteral.all), as: "n").from("contracts")
            .where("municipality_id", .equal, municipalityID).where("status", .in, Self.statuses.map(\.rawValue))
            .where("starts_on", .lessThanOrEqual, month.last.iso).where("ends_on", .greaterThanOrEqual, bound).first()
        return try row?.decode(column: "n", as: Int.self) ?? 0
    }

    /// Walks the municipality's contracts in batches (by id) and hands each batch's owed contract-months to `body`.
    private func forEachBatch(municipalityID: UUID, month: Month, from: UUID?,
                              _ body: (Batch) async throws -> Bool) async throws {
        let sql = store.sql
        let postgres = sql.dialect.name == "postgresql"
        let bound = try await lowerBound(municipalityID: municipalityID, month: month, on: sql)
        // Read once per close: the reported completeness of the municipality's groups, and its open and upheld disputes.
        var reported: [String: Completeness] = [:]
        for r in try await sql.raw("""
            SELECT r.group_id, r.month, r.hundredths FROM completeness_reports r JOIN program_groups g ON g.id = r.group_id
            WHERE g.municipality_id = \(bind: municipalityID) AND r.month <= \(bind: month.key)
            """).all() {
            reported[try r.decode(column: "group_id", as: UUID.self).lowercasedString + "/" + r.decode(column: "month", as: String.self)] =
                Completeness(hundredths: try r.decode(column: "hundredths", as: Int.self))
        }
        // Open disputes keep their months out of the invoice; an upheld one decided before the close sets the completeness.
        var disputes = Set<String>()
        var upheld: [String: Completeness] = [:]
        for r in try await sql.select().columns("contract_id", "month", "status", "completeness").from("disputes")
            .where("municipality_id", .equal, municipalityID).where("month", .lessThanOrEqual, month.key)
            .where("status", .in, [DisputeStatus.open.rawValue, DisputeStatus.upheld.rawValue]).all() {
            let key = try r.decode(column: "contract_id", as: UUID.self).lowercasedString + "/" + r.decode(column: "month", as: String.self)
            if try r.decode(column: "status", as: String.self) == DisputeStatus.open.rawValue {
                disputes.insert(key)
            } else if let c = try r.decode(column: "completeness", as: Int?.self).flatMap(Completeness.init(hundredths:)) {
                upheld[key] = c
            }
        }
        let statuses = Set(Self.statuses.map(\.rawValue)), last = month.last.iso
        var after = from
        while true {
            try Task.checkCancellation()
            // Only the municipality and the id in the query: it walks the (municipality_id, id) index in order, one batch at
            // a time, whatever the other conditions (checked here) would make a planner choose. The batch comes back as
            // one JSON text (decoding a thousand rows cell by cell costs more than the query).
            let keyset: SQLQueryString = after.map { "AND id > \(bind: $0)" } ?? ""
            let inner: SQLQueryString = """
                SELECT id, provider_id, group_id, certificate_id, period_id, status, starts_on, ends_on, months FROM contracts
                WHERE municipality_id = \(bind: municipalityID) \(keyset) ORDER BY id LIMIT \(literal: batchSize)
                """
            let rows = try await JSONRows.read(inner, columns: "id, provider_id, group_id, certificate_id, period_id, status, starts_on, ends_on, months",
                                               as: ContractRowJSON.self, on: sql)
            if rows.isEmpty { return }
            var contracts: [(ContractFacts, ContractStatus, LocalDate, LocalDate)] = []
            var maxID: UUID? = nil
            for r in rows {
                if maxID.map({ r.id.uppercasedString > $0.uppercasedString }) ?? true { maxID = r.id }
                guard statuses.contains(r.status), r.startsOn <= last, r.endsOn >= bound, let s = ContractStatus(rawValue: r.status),
                      let start = LocalDate(iso: r.startsOn), let end = LocalDate(iso: r.endsOn) else { continue }
                contracts.append((ContractFacts(id: r.id, providerID: r.provider, groupID: r.group, certificateID: r.certificate, periodID: r.period,
                                                municipalityID: municipalityID, parts: MonthPart.decode(r.months)), s, start, end))
            }
            after = maxID
            if contracts.isEmpty {
                if rows.count < batchSize { return }
                continue
            }
            // What the batch already has (an interrupted run): the ids go in as one JSON parameter.
            var idRows = JSONRows([.uuid])
            for c in contracts { idRows.append([.uuid(c.0.id)]) }
            var charged: [UUID: Set<String>] = [:]
            for r in try await sql.raw("""
                SELECT contract_id, month FROM contract_months WHERE contract_id IN (SELECT c0 FROM (\(idRows.select(postgres: postgres))) AS x)
                """).all() {
                charged[try r.decode(column: "contract_id", as: UUID.self), default: []].insert(try r.decode(column: "month", as: String.self))
            }
            var work: [Work] = []
            for (c, status, start, end) in contracts {
                for part in MonthClose.owed(parts: c.parts, status: status, start: start, end: end, through: month, charged: charged[c.id] ?? []) {
                    let reportedValue = reported[c.groupID.lowercasedString + "/" + part.month] ?? .full
                    let completeness = upheld[c.id.lowercasedString + "/" + part.month].map { min($0, reportedValue) } ?? reportedValue
                    work.append(Work(contract: c, part: part, completeness: completeness,
                                     disputed: disputes.contains(c.id.lowercasedString + "/" + part.month),
                                     outcome: MonthClose.outcome(part: part.certificate, completeness: completeness)))
                }
            }
            guard try await body(Batch(contracts: contracts.count, work: work)) else { return }
            if rows.count < batchSize { return }
        }
    }

    /// Writes one batch: its contract-months (one multi-row insert) and their ledger entries (`LedgerService.postMany`:
    /// the same rules, a few statements). A contract-month written by an earlier, interrupted run is skipped (its row is
    /// there; the ledger keys are too).
    private func write(_ batch: Batch, month: Month, on tx: any Database) async throws -> Result {
        var r = Result()
        let now = clock.now()
        // The rows of the contract-months not written yet (a single runner: the batch read them as missing).
        var rows = JSONRows([.uuid, .uuid, .text, .uuid, .uuid, .uuid, .uuid, .uuid, .bigint, .bigint, .int, .bigint, .bigint, .text, .text])
        for w in batch.work {
            let c = w.contract
            let status: MonthClose.MonthStatus = w.disputed ? .disputed : (w.completeness < .full ? .corrected : .charged)
            rows.append([.uuid(UUID()), .uuid(c.id), .text(w.part.month), .uuid(c.municipalityID), .uuid(c.providerID), .uuid(c.groupID),
                         .uuid(c.certificateID), .uuid(c.periodID), .int(w.part.certificate), .int(w.part.parent), .int(Int64(w.completeness.hundredths)),
                         .int(w.outcome.final), .int(w.outcome.correction), .text(status.rawValue), .text(month.key)])
        }
        if rows.count > 0 {
            let postgres = tx.sql.dialect.name == "postgresql"
            try await tx.sql.raw("""
                INSERT INTO contract_months (id, contract_id, month, municipality_id, provider_id, group_id, certificate_id, period_id,
                certificate_part, parent_part, completeness, final, corrected, status, closed_in, closed_at)
                SELECT c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, \(bind: now) FROM (\(rows.select(postgres: postgres))) AS x
                """).run()
        }
        let inserted = Set(batch.work.map { $0.contract.id.lowercasedString + "/" + $0.part.month })
        var ops: [LedgerService.Operation] = []
        for w in batch.work where inserted.contains(w.contract.id.lowercasedString + "/" + w.part.month) {
            r.contractMonths += 1
            guard w.outcome.charge > 0 else { continue }
            let c = w.contract, id = c.id.lowercasedString
            ops.append(.init(certificateID: c.certificateID, periodID: c.periodID, contractID: c.id, kind: .charge, amount: w.outcome.charge,
                             key: "charge:\(id):\(w.part.month)", note: "Списание за \(monthTitle(w.part.month))"))
            r.charged += w.outcome.charge
            if w.outcome.correction > 0 {
                ops.append(.init(certificateID: c.certificateID, periodID: c.periodID, contractID: c.id, kind: .correction, amount: w.outcome.correction,
                                 key: "correction:\(id):\(w.part.month)", note: "Полнота \(w.completeness) за \(monthTitle(w.part.month))"))
                r.corrected += w.outcome.correction
            }
        }
        do {
            try await ledger.postMany(ops, inTransaction: tx)
        } catch let e as LedgerService.BulkRefused {
            let key = e.operation.key.split(separator: ":")
            throw AppError(status: .conflict, code: "ledger_refused",
                           reason: "Договор \(e.operation.contractID.map(ContractModel.number) ?? ""), \(key.count > 2 ? monthTitle(String(key[2])) : ""): \(e.refusal.message)")
        }
        return r
    }

    private func monthTitle(_ key: String) -> String { Month(key: key)?.title ?? key }
}

/// A contract as the close's batch reads it (the columns of `forEachBatch`, in order).
private struct ContractRowJSON: Decodable {
    let id, provider, group, certificate, period: UUID
    let status, startsOn, endsOn, months: String

    init(from decoder: any Decoder) throws {
        var c = try decoder.unkeyedContainer()
        id = try c.decodeID()
        provider = try c.decodeID()
        group = try c.decodeID()
        certificate = try c.decodeID()
        period = try c.decodeID()
        status = try c.decode(String.self)
        startsOn = try c.decode(String.self)
        endsOn = try c.decode(String.self)
        months = try c.decode(String.self)
    }
}
