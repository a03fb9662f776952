import Domain
import Foundation
import NIOConcurrencyHelpers
import PostgresKit
import SQLKit
import Vapor

/// Requests that arrive while earlier ones are being served, served together: each runner takes up to
/// `maxBatch` waiting requests and hands them to `process` at once (one statement, one transaction, one round
/// trip for all). `runners` batches run at once; with nothing waiting no runner runs, and a lone request is a
/// batch of one, so a quiet server answers as fast as without it.
///
/// `process` gives each request its outcome: an answer, an error, `again` (served in the next batch, at most
/// `maxAttempts` times, then by `alone`) or `alone` (served on its own, outside the runner). A runner serves its
/// batches with the closures of the request that started it: every caller of one queue passes equivalent ones.
final class BatchQueue<Request: Sendable, Response: Sendable>: Sendable {
    enum Outcome: Sendable {
        case done(Response)
        case failed(any Error)
        case again
        case alone
    }

    typealias Process = @Sendable ([Request]) async -> [Outcome]
    typealias Alone = @Sendable (Request) async throws -> Response

    private struct Waiting: Sendable {
        let request: Request
        let attempts: Int
        let continuation: CheckedContinuation<Response, any Error>
    }

    private struct State: Sendable {
        var queue: [Waiting] = []
        var running = 0
    }

    let runners: Int
    let maxBatch: Int
    let maxAttempts: Int
    private let state = NIOLockedValueBox(State())

    init(runners: Int, maxBatch: Int, maxAttempts: Int = 3) {
        self.runners = max(1, runners)
        self.maxBatch = max(1, maxBatch)
        self.maxAttempts = max(1, maxAttempts)
    }

    func submit(_ request: Request, process: @escaping Process, alone: @escaping Alone) async throws -> Response {
        try await withCheckedThrowingContinuation { c in
            let start = state.withLockedValue { s -> Bool in
                s.queue.append(Waiting(request: request, attempts: 0, continuation: c))
                guard s.running < runners else { return false }
                s.running += 1
                return true
            }
            if start { Task { await self.run(process, alone) } }
        }
    }

    private func run(_ process: Process, _ alone: @escaping Alone) async {
        while true {
            let batch = state.withLockedValue { s -> [Waiting] in
                guard !s.queue.isEmpty else {
                    s.running -= 1
                    return []
                }
                let n = min(maxBatch, s.queue.count)
                defer { s.queue.removeFirst(n) }
                return Array(s.queue.prefix(n))
            }
            if batch.isEmpty { return }
            let outcomes = await process(batch.map(\.request))
            var again: [Waiting] = []
            for (i, w) in batch.enumerated() {
                switch i < outcomes.count ? outcomes[i] : .alone {
                case .done(let response): w.continuation.resume(returning: response)
                case .failed(let error): w.continuation.resume(throwing: error)
                case .again where w.attempts + 1 < maxAttempts:
                    again.append(Waiting(request: w.request, attempts: w.attempts + 1, continuation: w.continuation))
                case .again, .alone:
                    Task {
                        do { w.continuation.resume(returning: try await alone(w.request)) } catch { w.continuation.resume(throwing: error) }
                    }
                }
            }
            if !again.isEmpty { state.withLockedValue { $0.queue.insert(contentsOf: again, at: 0) } }
        }
    }
}

/// Group commit of applications on PostgreSQL.
///
/// On enrollment day most of what PostgreSQL spends on an application is per statement and per commit, not per
/// row (docs/performance.md). Applications that arrive at this instance while earlier ones are being written
/// are read in one statement, checked each (`EnrollmentService.prepare`, the same checks as one by one) and
/// written in one call of M0013's `navigator_apply_batch`, one transaction. An item whose group, certificate,
/// period or balance changed since the reading comes back `changed` and is read again in the next batch.
/// Whatever a batch cannot decide by itself — a pair without a row (unknown group, another family's child), an
/// учёта certificate that must become ПФ first, a batch write that failed — goes the one-by-one way
/// (`EnrollmentService.applyOne`), so every answer is the same as without the batch. The batches' locks are
/// taken in one order (groups, then balances, by id), so concurrent batches queue, not deadlock.
struct ApplyBatcher: Sendable {
    struct Request: Sendable {
        let childID: UUID
        let family: UUID?
        let groupID: UUID
        let start: LocalDate?
    }

    typealias Outcome = BatchQueue<Request, ContractModel>.Outcome
    let queue: BatchQueue<Request, ContractModel>

    init(runners: Int, maxBatch: Int) {
        queue = BatchQueue(runners: runners, maxBatch: maxBatch)
    }

    func apply(_ request: Request, service: EnrollmentService) async throws -> ContractModel {
        try await queue.submit(request, process: { await service.applyBatch($0) }, alone: { r in
            try await service.applyOne(childID: r.childID, family: r.family, groupID: r.groupID, start: r.start)
        })
    }
}

extension Application {
    private struct ApplyBatcherKey: StorageKey { typealias Value = ApplyBatcher }

    /// Set in `configure` on PostgreSQL (nil: applications are written one by one).
    var applyBatcher: ApplyBatcher? {
        get { storage[ApplyBatcherKey.self] }
        set { storage[ApplyBatcherKey.self] = newValue }
    }
}

extension EnrollmentService {
    /// One batch of applications: one reading, the checks of each, one write. Never throws: every item gets its
    /// outcome.
    func applyBatch(_ items: [ApplyBatcher.Request]) async -> [ApplyBatcher.Outcome] {
        guard let pg = app.db as? any PostgresDatabase else { return items.map { _ in .alone } }
        var outcomes = [ApplyBatcher.Outcome](repeating: .alone, count: items.count)
        let rows: [PostgresRow]
        do {
            rows = try await pg.hotRows(SnapshotBatchStatement(items), logger: app.logger)
        } catch {
            return outcomes
        }
        var prepared: [(index: Int, prepared: Prepared)] = []
        let read = app.fastSQL
        for row in rows {
            let r = row.makeRandomAccess()
            guard let item = try? r["item"].decode(Int.self), (1...items.count).contains(item),
                  let (g, c) = try? Self.decodeSnapshot(r) else { continue }
            let i = item - 1, request = items[i]
            // Another family's child, a child without a certificate and an учёта certificate that must become ПФ
            // first are answered one by one.
            guard request.family == nil || c.family_id == request.family, c.cert_id != nil,
                  !(g.funding == FundingKind.certificate.rawValue && c.cert_kind == "accounting") else { continue }
            do {
                let p = try await prepare(childID: request.childID, groupID: request.groupID, start: request.start, status: .applied,
                                          fromWaitlist: false, staff: g.staffIDs, snapshot: (g, c), on: read)
                prepared.append((i, p))
            } catch {
                outcomes[i] = .failed(error)
            }
        }
        guard !prepared.isEmpty else { return outcomes }
        do {
            let results = try await pg.hotRows(try ApplyBatchStatement(prepared.map(\.prepared)), logger: app.logger)
            for row in results {
                let (item, outcome) = try row.decode((Int, String).self)
                guard (1...prepared.count).contains(item) else { continue }
                let (i, p) = prepared[item - 1]
                switch outcome {
                case "ok": outcomes[i] = .done(p.contract)
                case "duplicate":
                    outcomes[i] = .failed(Refused(refusal: .duplicate))
                default: outcomes[i] = .again
                }
            }
        } catch {
            // The batch wrote nothing: each of its items goes the one-by-one way.
            app.logger.warning("batch of \(prepared.count) applications failed, writing them one by one: \(String(reflecting: error))")
            for (i, _) in prepared { outcomes[i] = .alone }
        }
        return outcomes
    }

    /// The reading for many pairs at once: `$1` the groups and `$2` the children as arrays, each row with `item`,
    /// the pair's place (from 1) in them (a lateral join kept apart by `OFFSET 0`, so that each pair is looked up
    /// by its keys instead of the planner joining whole tables by hash).
    struct SnapshotBatchStatement: HotStatement {
        static let sql = """
            SELECT r.item, s.* FROM unnest($1::uuid[], $2::uuid[]) WITH ORDINALITY AS r(gid, cid, item)
            CROSS JOIN LATERAL (\(EnrollmentService.snapshotSQL(postgres: true, group: "r.gid", child: "r.cid")) OFFSET 0) s
            """
        let bindings: PostgresBindings

        init(_ items: [ApplyBatcher.Request]) {
            var b = PostgresBindings(capacity: 2)
            b.append(items.map(\.groupID))
            b.append(items.map(\.childID))
            bindings = b
        }
    }

    /// M0013's `navigator_apply_batch` for prepared applications (status `applied`); a row per item.
    struct ApplyBatchStatement: HotStatement {
        static let sql = """
            SELECT item, outcome FROM navigator_apply_batch($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,
                $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30)
            """
        let bindings: PostgresBindings

        init(_ items: [Prepared]) throws {
            var ids: [UUID] = [], regions: [String] = [], municipalities: [UUID] = [], providers: [UUID] = [], programs: [UUID] = []
            var modules: [UUID] = [], groups: [UUID] = [], children: [UUID] = [], families: [UUID] = [], certificates: [UUID] = []
            var periods: [UUID] = [], fundings: [String] = [], starts: [String] = [], ends: [String] = [], planned: [String] = []
            var full: [Int64] = [], certificate: [Int64] = [], parent: [Int64] = [], months: [String] = [], due: [Date] = []
            var financing: [Bool] = [], holds: [UUID] = [], notes: [String] = [], created: [Date] = []
            var nItems: [Int32] = [], nIDs: [UUID] = [], nUsers: [UUID] = [], nKinds: [String] = [], nTexts: [String] = [], nLinks: [String] = []
            for (n, p) in items.enumerated() {
                let k = p.contract
                guard let id = k.id, let answerDue = k.answerDue else { throw Abort(.internalServerError) }
                ids.append(id); regions.append(k.regionCode); municipalities.append(k.municipalityID); providers.append(k.providerID)
                programs.append(k.programID); modules.append(k.moduleID); groups.append(k.groupID); children.append(k.childID)
                families.append(k.familyID); certificates.append(k.certificateID); periods.append(k.periodID); fundings.append(k.funding)
                starts.append(k.startsOn); ends.append(k.endsOn); planned.append(k.plannedEndsOn); full.append(k.fullAmount)
                certificate.append(k.certificateAmount); parent.append(k.parentAmount); months.append(k.months); due.append(answerDue)
                financing.append(p.requireFinancing); holds.append(UUID()); notes.append("Заявка \(k.number)"); created.append(k.createdAt)
                for r in Notice.rows(p.notices) {
                    nItems.append(Int32(n + 1)); nIDs.append(UUID()); nUsers.append(r.user); nKinds.append(r.kind)
                    nTexts.append(r.text); nLinks.append(r.link ?? "")
                }
            }
            var b = PostgresBindings(capacity: 30)
            b.append(ids); b.append(regions); b.append(municipalities); b.append(providers); b.append(programs); b.append(modules)
            b.append(groups); b.append(children); b.append(families); b.append(certificates); b.append(periods); b.append(fundings)
            b.append(starts); b.append(ends); b.append(planned); b.append(full); b.append(certificate); b.append(parent); b.append(months)
            b.append(due); b.append(financing); b.append(holds); b.append(notes); b.append(created)
            b.append(nItems); b.append(nIDs); b.append(nUsers); b.append(nKinds); b.append(nTexts); b.append(nLinks)
            bindings = b
        }
    }
}

/// The reading, decoded by column name from any database's row.
extension EnrollmentService.Snapshot {
    init(_ r: some HotRow) throws {
        self.init(group_id: try r.uuid(required: "group_id"), program_id: try r.uuid(required: "program_id"),
                  module_id: try r.uuid(required: "module_id"), provider_id: try r.uuid(required: "provider_id"),
                  group_name: try r.string(required: "group_name"), group_start: try r.string(required: "group_start"),
                  group_end: try r.string(required: "group_end"), capacity: try r.int(required: "capacity"),
                  taken: try r.int(required: "taken"), group_status: try r.string(required: "group_status"),
                  enroll_from: try r.string("enroll_from"), enroll_until: try r.string("enroll_until"),
                  price: try r.int64(required: "price"), normative: try r.int("normative"),
                  program_name: try r.string(required: "program_name"), program_status: try r.string(required: "program_status"),
                  funding: try r.string(required: "funding"), age_from: try r.int(required: "age_from"),
                  age_to: try r.int(required: "age_to"), program_region: try r.string(required: "program_region"),
                  provider_status: try r.string(required: "provider_status"), staff: try r.string("staff"))
    }
}

extension EnrollmentService.ChildSnapshot {
    init(_ r: some HotRow) throws {
        self.init(child_id: try r.uuid(required: "child_id"), family_id: try r.uuid(required: "family_id"),
                  surname: try r.string(required: "surname"), name: try r.string(required: "name"),
                  patronymic: try r.string(required: "patronymic"), birth_date: try r.string(required: "birth_date"),
                  cert_id: try r.uuid("cert_id"), cert_status: try r.string("cert_status"), cert_frozen: try r.bool("cert_frozen"),
                  cert_kind: try r.string("cert_kind"), cert_region: try r.string("cert_region"),
                  cert_municipality: try r.uuid("cert_municipality"), period_id: try r.uuid("period_id"),
                  period_start: try r.string("period_start"), period_end: try r.string("period_end"),
                  contracting_open: try r.bool("contracting_open"), available: try r.int("available"),
                  live: try r.int(required: "live"), agreement: try r.int(required: "agreement"))
    }
}
