import Domain
import Foundation
import NIOConcurrencyHelpers
import PostgresKit
import SQLKit
import Vapor

/// Group commit of applications on PostgreSQL.
///
/// On enrollment day most of what PostgreSQL spends on an application is per statement and per commit, not per
/// row (docs/performance.md). The applications that arrive at this instance while earlier ones are being
/// written wait in a queue; a runner takes up to `maxBatch` of them, reads them all in one statement, checks
/// each (`EnrollmentService.prepare`, the same checks as one by one) and writes those that pass in one call
/// of M0013's `navigator_apply_batch`, one transaction. An item whose group, certificate, period or balance
/// changed since the reading comes back `changed` and joins the next batch (read again); after
/// `maxAttempts` it goes the one-by-one way. Whatever the batch cannot decide by itself — a pair without a
/// row (unknown group, another family's child), an учёта certificate that must become ПФ first, a batch
/// write that failed — also goes the one-by-one way (`EnrollmentService.applyOne`), so every answer is the
/// same as without the batch. Each runner holds one pooled connection at a time; `runners` batches run at
/// once, and their locks are taken in one order (groups, then balances, by id), so they queue, not deadlock.
final class ApplyBatcher: Sendable {
    struct Request: Sendable {
        let childID: UUID
        let family: UUID?
        let groupID: UUID
        let start: LocalDate?
    }

    /// What became of one item of a batch.
    enum Outcome: Sendable {
        case done(ContractModel)
        case failed(any Error)
        /// Changed since the reading: read and try again in the next batch.
        case retry
        /// Decided one by one.
        case single
    }

    private struct Waiting: Sendable {
        let request: Request
        let attempts: Int
        let continuation: CheckedContinuation<ContractModel, any Error>
    }

    private struct State: Sendable {
        var queue: [Waiting] = []
        var running = 0
    }

    let runners: Int
    let maxBatch: Int
    static let maxAttempts = 3
    private let state = NIOLockedValueBox(State())

    init(runners: Int, maxBatch: Int) {
        self.runners = max(1, runners)
        self.maxBatch = max(1, maxBatch)
    }

    func apply(_ request: Request, service: EnrollmentService) async throws -> ContractModel {
        try await withCheckedThrowingContinuation { c in
            enqueue([Waiting(request: request, attempts: 0, continuation: c)], service: service)
        }
    }

    private func enqueue(_ items: [Waiting], service: EnrollmentService) {
        let start = state.withLockedValue { s -> Bool in
            s.queue.append(contentsOf: items)
            guard s.running < runners else { return false }
            s.running += 1
            return true
        }
        if start { Task { await self.run(service) } }
    }

    private func run(_ service: EnrollmentService) async {
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
            let outcomes = await service.applyBatch(batch.map(\.request))
            var again: [Waiting] = []
            for (w, outcome) in zip(batch, outcomes) {
                switch outcome {
                case .done(let contract): w.continuation.resume(returning: contract)
                case .failed(let error): w.continuation.resume(throwing: error)
                case .retry where w.attempts + 1 < Self.maxAttempts:
                    again.append(Waiting(request: w.request, attempts: w.attempts + 1, continuation: w.continuation))
                case .retry, .single:
                    let r = w.request
                    Task {
                        do {
                            w.continuation.resume(returning: try await service.applyOne(childID: r.childID, family: r.family,
                                                                                        groupID: r.groupID, start: r.start))
                        } catch {
                            w.continuation.resume(throwing: error)
                        }
                    }
                }
            }
            if !again.isEmpty { state.withLockedValue { $0.queue.insert(contentsOf: again, at: 0) } }
        }
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
        guard let pg = app.db as? any PostgresDatabase else { return items.map { _ in .single } }
        var outcomes = [ApplyBatcher.Outcome](repeating: .single, count: items.count)
        let rows: [any SQLRow]
        do {
            rows = try await pg.hot(SnapshotBatchStatement(items), logger: app.logger)
        } catch {
            return outcomes
        }
        var prepared: [(index: Int, prepared: Prepared)] = []
        for row in rows {
            guard let item = try? row.decode(column: "item", as: Int.self), (1...items.count).contains(item),
                  let (g, c) = try? Self.decodeSnapshot(row) else { continue }
            let i = item - 1, r = items[i]
            // Another family's child, a child without a certificate and an учёта certificate that must become ПФ
            // first are answered one by one.
            guard r.family == nil || c.family_id == r.family, c.cert_id != nil, let staff = g.staffIDs,
                  !(g.funding == FundingKind.certificate.rawValue && c.cert_kind == "accounting") else { continue }
            do {
                let p = try await prepare(childID: r.childID, groupID: r.groupID, start: r.start, status: .applied, fromWaitlist: false,
                                          staff: staff, snapshot: (g, c), on: app.fastSQL)
                prepared.append((i, p))
            } catch {
                outcomes[i] = .failed(error)
            }
        }
        guard !prepared.isEmpty else { return outcomes }
        do {
            let results = try await pg.hot(try ApplyBatchStatement(prepared.map(\.prepared)), logger: app.logger)
            for row in results {
                let item = try row.decode(column: "item", as: Int.self)
                guard (1...prepared.count).contains(item) else { continue }
                let (i, p) = prepared[item - 1]
                switch try row.decode(column: "outcome", as: String.self) {
                case "ok": outcomes[i] = .done(p.contract)
                case "duplicate":
                    outcomes[i] = .failed(Self.refuse("duplicate", field: "group", "У ребёнка уже есть заявка или договор по этому модулю программы."))
                default: outcomes[i] = .retry
                }
            }
        } catch {
            // The batch wrote nothing: each of its items goes the one-by-one way.
            app.logger.warning("batch of \(prepared.count) applications failed, writing them one by one: \(String(reflecting: error))")
            for (i, _) in prepared { outcomes[i] = .single }
        }
        return outcomes
    }

    /// The reading of `snapshotSQL(staff: true, batch: true)` for many (group, child) pairs.
    struct SnapshotBatchStatement: HotStatement {
        static let sql = EnrollmentService.snapshotSQL(staff: true, batch: true)
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
