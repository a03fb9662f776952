import Domain
import Foundation
import Logging
import SQLKit
import Vapor

/// A parent applies: read, check, write — the hot path of enrollment day.
///
/// Everything the checks need is read first (one statement, no locks: `EnrollmentReader`), checked and priced
/// (`ApplicationPreparation`), then written by this database's writer, whose statements carry every condition that
/// another request may have changed meanwhile (`ApplyStatements`). When one no longer holds, the whole application
/// is read and tried again. Where the writer can write many at once (PostgreSQL), applications that arrive while
/// earlier ones are written go together (`BatchQueue`); whatever a batch cannot decide goes one by one, so every
/// answer is the same as without it.
struct ApplicationService: Sendable {
    struct Request: Sendable {
        let childID: UUID
        /// Refuse (404) unless the child is of this family.
        let family: UUID?
        let groupID: UUID
        let start: LocalDate?
    }

    let store: Store
    let reader: EnrollmentReader
    let writer: any EnrollmentWriter
    let certificates: CertificateService
    let clock: AppClock
    let ids: IDGenerator
    /// The group commit of concurrent applications (nil: one by one).
    let queue: BatchQueue<Request, ContractRow>?

    init(store: Store, reader: EnrollmentReader, writer: any EnrollmentWriter, certificates: CertificateService, clock: AppClock,
         ids: IDGenerator, batchSize: Int, batchRunners: Int) {
        self.store = store
        self.reader = reader
        self.writer = writer
        self.certificates = certificates
        self.clock = clock
        self.ids = ids
        queue = writer.batches && batchSize > 0 ? BatchQueue(runners: batchRunners, maxBatch: batchSize) : nil
    }

    func apply(_ r: Request) async throws -> ContractRow {
        guard let queue else { return try await applyOne(r) }
        return try await queue.submit(r, process: { await self.applyBatch($0) }, alone: { try await self.applyOne($0) })
    }

    func prepare(_ reading: ApplicationReading, _ r: Request) throws -> PreparedApplication {
        let now = clock.now()
        return try ApplicationPreparation.prepare(reading, start: r.start, origin: .application,
                                                  today: ReferenceData.localDate(region: reading.regionCode, at: now), now: now, ids: ids)
    }

    /// One application on its own: read, check, write, and read again when something changed meanwhile.
    func applyOne(_ r: Request) async throws -> ContractRow {
        guard let reading = try await reader.read(group: r.groupID, child: r.childID), r.family == nil || reading.child.familyID == r.family else {
            // The child is checked first: another family's child is not found, whatever the group.
            if let family = r.family, try await store.fast.select().column("id").from("children").where("id", .equal, r.childID)
                .where("family_id", .equal, family).first() == nil {
                throw Abort(.notFound)
            }
            throw Refusal("group_not_found", field: "group", "Группа не найдена.")
        }
        guard let certificate = reading.child.certificate else {
            throw Refusal("certificate_not_active", field: "child", "У ребёнка нет сертификата дополнительного образования: сначала оформите его.")
        }
        var first: ApplicationReading? = reading
        if reading.needsFinancing {
            // An учёта certificate applying for a certified program becomes ПФ when its group has a vacancy.
            first = nil
            do {
                _ = try await certificates.makeFinancing(certificate.id, on: store.db)
            } catch let e as AppError where e.code == "no_vacancy" || e.code == "no_period" {
                throw Refusal("certificate_kind", field: "child",
                              "Программа оплачивается сертификатом ПФ, а сертификат ребёнка — сертификат учёта, и перевести его в ПФ сейчас нельзя: \(e.reason)")
            }
        }
        for _ in 0..<5 {
            var next = first
            first = nil
            if next == nil { next = try await reader.read(group: r.groupID, child: r.childID) }
            guard let next else { throw Refusal("group_not_found", field: "group", "Группа не найдена.") }
            let p = try prepare(next, r)
            do {
                try await writer.write(p)
                return p.contract
            } catch is WriteChanged {
                continue
            }
        }
        throw Refusal("busy", field: "group", "Группа сейчас меняется слишком часто: повторите попытку через минуту.")
    }

    typealias Outcome = BatchQueue<Request, ContractRow>.Outcome

    /// One batch: one reading, the checks of each, one write. Never throws: every item gets its outcome.
    func applyBatch(_ items: [Request]) async -> [Outcome] {
        var outcomes = [Outcome](repeating: .alone, count: items.count)
        let readings: [Int: ApplicationReading]
        do {
            readings = try await reader.read(items.map { (group: $0.groupID, child: $0.childID) })
        } catch {
            return outcomes
        }
        var prepared: [(index: Int, application: PreparedApplication)] = []
        for (i, request) in items.enumerated() {
            // Another family's child, a child without a certificate and an учёта certificate that must become ПФ first
            // are answered one by one.
            guard let reading = readings[i], request.family == nil || reading.child.familyID == request.family,
                  let certificate = reading.child.certificate, !(reading.group.funding == .certificate && certificate.kind == .accounting)
            else { continue }
            do {
                prepared.append((i, try prepare(reading, request)))
            } catch {
                outcomes[i] = .failed(error)
            }
        }
        guard !prepared.isEmpty else { return outcomes }
        do {
            let written = try await writer.write(batch: prepared.map(\.application))
            for ((i, p), outcome) in zip(prepared, written) {
                switch outcome {
                case .written: outcomes[i] = .done(p.contract)
                case .duplicate: outcomes[i] = .failed(Refusal.duplicate)
                case .changed: outcomes[i] = .again
                }
            }
        } catch {
            // The batch wrote nothing: each of its items goes the one-by-one way.
            store.logger.warning("batch of \(prepared.count) applications failed, writing them one by one: \(String(reflecting: error))")
            for (i, _) in prepared { outcomes[i] = .alone }
        }
        return outcomes
    }
}
