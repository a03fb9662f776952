import Domain
import Fluent
import Vapor

/// The API of enrollment: the quote of a stored group for a child, applications, offers, contracts and
/// waiting lists, under the same scopes as the cabinets.
enum EnrollmentAPIController {
    typealias MonthDTO = QuoteController.MonthDTO

    struct ApplicationDTO: Content {
        let id: UUID
        let number: String
        let status: ContractStatus
        let statusTitle: String
        let childId: UUID
        let groupId: UUID
        let programId: UUID
        let moduleId: UUID
        let providerId: UUID
        let certificateId: UUID
        let funding: FundingKind
        let start: String
        let end: String
        let full: Int64
        let certificate: Int64
        let parent: Int64
        let months: [MonthDTO]
        let answerDue: Date?
        let reason: String?
        let fromWaitlist: Bool
        let createdAt: Date
        /// The contract of the previous period this one prolongs.
        let previousId: UUID?
        /// The prolongation into the next period: null (nothing yet), notified, declined, done, skipped.
        let prolongation: ProlongationMark?

        init(_ c: ContractModel) {
            id = c.id!
            number = c.number
            status = c.status
            statusTitle = c.status.title
            childId = c.childID
            groupId = c.groupID
            programId = c.programID
            moduleId = c.moduleID
            providerId = c.providerID
            certificateId = c.certificateID
            funding = c.funding
            start = c.startsOn
            end = c.endsOn
            full = c.fullAmount
            certificate = c.certificateAmount
            parent = c.parentAmount
            months = c.parts.map(MonthDTO.init)
            answerDue = c.answerDue
            reason = c.reason
            fromWaitlist = c.fromWaitlist
            createdAt = c.createdAt
            previousId = c.previousID
            prolongation = c.prolongation
        }

        /// The same JSON as the global encoder's, written by hand (the answer to every application).
        var json: ByteBuffer {
            var w = JSONWriter(capacity: 1024)
            w.object { w in
                w.field("id", id); w.field("number", number); w.field("status", status.rawValue); w.field("statusTitle", statusTitle)
                w.field("childId", childId); w.field("groupId", groupId); w.field("programId", programId); w.field("moduleId", moduleId)
                w.field("providerId", providerId); w.field("certificateId", certificateId); w.field("funding", funding.rawValue)
                w.field("start", start); w.field("end", end); w.field("full", full); w.field("certificate", certificate); w.field("parent", parent)
                w.array("months", months) { m, month in
                    m.field("month", month.month); m.field("certificate", month.certificate); m.field("parent", month.parent)
                }
                w.fieldIfPresent("answerDue", answerDue); w.fieldIfPresent("reason", reason); w.field("fromWaitlist", fromWaitlist)
                w.field("createdAt", createdAt); w.fieldIfPresent("previousId", previousId); w.fieldIfPresent("prolongation", prolongation?.rawValue)
            }
            return w.buffer
        }

        func response(status: HTTPResponseStatus) -> Response {
            let r = Response(status: status, body: .init(buffer: json))
            r.headers.contentType = .json
            return r
        }
    }

    struct GroupQuoteDTO: Content {
        let groupId: UUID
        let childId: UUID
        let start: String
        let end: String?
        let balance: Int64
        let full: Int64?
        let normative: Int64?
        let certificate: Int64?
        let parent: Int64?
        let months: [MonthDTO]
        let mayApply: Bool
        let groupFull: Bool
        let refusal: String?
        let reason: String?
        let overlaps: [String]
    }

    struct WaitlistDTO: Content {
        let id: UUID
        let groupId: UUID
        let childId: UUID
        let start: String
        let status: WaitlistStatus
        let position: Int?
        let applicationId: UUID?
        let reason: String?
    }

    static func start(_ raw: String?, field: String = "start") throws -> LocalDate? {
        guard let raw else { return nil }
        guard let d = LocalDate(iso: raw) else {
            throw AppError(status: .unprocessableEntity, code: "invalid_start", reason: "Дата начала — в формате ГГГГ-ММ-ДД.",
                           fields: [FieldError(field: field, message: "Дата начала — в формате ГГГГ-ММ-ДД.")])
        }
        return d
    }

    /// `GET /api/v1/groups/{id}/quote?child=&start=`: what the certificate and the parent would pay, month by month.
    static func groupQuote(req: Request) async throws -> GroupQuoteDTO {
        let groupID = try CertificateAPIController.id(req)
        guard let raw = req.query[String.self, at: "child"], let childID = UUID(uuidString: raw) else {
            throw AppError(status: .badRequest, code: "invalid_child", reason: "Параметр child обязателен: идентификатор ребёнка (UUID).",
                           fields: [FieldError(field: "child", message: "Укажите ребёнка.")])
        }
        let s = try start(req.query[String.self, at: "start"])
        let child = try await req.find(ChildModel.self, childID, for: .read)
        let plan = try await req.navigator.enrollment.reader.plan(child: child, groupID: groupID, start: s, now: req.now, on: req.db)
        let q = plan.quote
        return GroupQuoteDTO(groupId: groupID, childId: childID, start: plan.start.iso, end: plan.end?.iso, balance: plan.balance,
                             full: q?.full.kopecks, normative: q?.normative.kopecks, certificate: q?.certificate.kopecks,
                             parent: q?.parent.kopecks,
                             months: q.map { MonthPart.from($0).map(MonthDTO.init) } ?? [],
                             mayApply: plan.refusal == nil && !plan.full, groupFull: plan.full, refusal: plan.refusal?.code,
                             reason: plan.refusal?.message, overlaps: plan.overlaps)
    }

    static func apply(req: Request) async throws -> Response {
        let p = try req.requirePrincipal()
        guard p.role == .parent else { throw Abort(.forbidden) }
        let body = try InputBody.body(req)
        try body.require("group")
        let v = try ApplicationInput(body).validate().get()
        let c = try await req.navigator.enrollment.applications.apply(.init(childID: v.child, family: p.userID, groupID: v.group, start: v.start))
        return ApplicationDTO(ContractModel(c)).response(status: .created)
    }

    static func list(req: Request) async throws -> [ApplicationDTO] {
        let p = try req.requirePrincipal()
        // Parameters are checked before the scope, so that a role that sees nothing is refused a bad one too.
        let status = try APIController.statusParameter(req, ContractStatus.self)
        var group: UUID? = nil
        if let g = req.query[String.self, at: "group"] {
            guard let id = UUID(uuidString: g) else { throw AppError(status: .badRequest, code: "invalid_group", reason: "group — UUID группы.") }
            group = id
        }
        guard var q = ContractModel.scopedQuery(on: req.db, for: p) else { return [] }
        if let status { q = q.filter(\.$status == status) }
        if let group { q = q.filter(\.$groupID == group) }
        return try await q.sort(\.$createdAt, .descending).limit(1000).all().map(ApplicationDTO.init)
    }

    static func show(req: Request) async throws -> ApplicationDTO {
        ApplicationDTO(try await req.find(ContractModel.self, try CertificateAPIController.id(req), for: .read))
    }

    static func step(_ req: Request, _ step: ContractEvent) async throws -> ApplicationDTO {
        let p = try req.requirePrincipal()
        let id = try CertificateAPIController.id(req)
        _ = try await req.find(ContractModel.self, id, for: .read)
        let c = try await req.navigator.enrollment.steps.step(id, step, by: p)
        return ApplicationDTO(c)
    }

    static func offer(req: Request) async throws -> ApplicationDTO { try await step(req, .offer) }

    /// The parent declines the prolongation of a contract into the next period, or takes that back.
    static func prolongation(req: Request) async throws -> ApplicationDTO {
        let p = try req.requirePrincipal()
        let id = try CertificateAPIController.id(req)
        _ = try await req.find(ContractModel.self, id, for: .read)
        let prolong = try ProlongationInput(InputBody.body(req)).validate()
        return ApplicationDTO(try await req.navigator.enrollment.prolongations.choose(id, prolong: prolong, by: p))
    }
    static func withdraw(req: Request) async throws -> ApplicationDTO { try await step(req, .withdraw) }
    static func accept(req: Request) async throws -> ApplicationDTO { try await step(req, .accept) }
    static func notice(req: Request) async throws -> ApplicationDTO { try await step(req, .notice) }
    static func reject(req: Request) async throws -> ApplicationDTO {
        return try await step(req, .reject(reason: try RejectionInput(InputBody.body(req)).reason))
    }

    // MARK: waiting lists

    static func dto(_ e: WaitlistModel, _ req: Request) async throws -> WaitlistDTO {
        WaitlistDTO(id: e.id!, groupId: e.groupID, childId: e.childID, start: e.startsOn, status: e.status,
                    position: try await req.navigator.enrollment.waitingLists.position(e, on: req.db), applicationId: e.contractID,
                    reason: e.reason)
    }

    static func joinWaitlist(req: Request) async throws -> Response {
        let p = try req.requirePrincipal()
        guard p.role == .parent else { throw Abort(.forbidden) }
        let groupID = try CertificateAPIController.id(req)
        var input = try ApplicationInput(InputBody.body(req))
        input.group = groupID
        let v = try input.validate().get()
        let child = try await req.find(ChildModel.self, v.child, for: .write)
        let plan = try await req.navigator.enrollment.reader.plan(child: child, groupID: groupID, start: v.start, now: req.now, on: req.db)
        let e = try await req.navigator.enrollment.waitingLists.join(child: child, plan: plan)
        return try await dto(e, req).encodeResponse(status: .created, for: req)
    }

    /// The list of a group: the provider, the municipality and the operator see all of it; a parent sees their own entries.
    static func waitlist(req: Request) async throws -> [WaitlistDTO] {
        let p = try req.requirePrincipal()
        let groupID = try CertificateAPIController.id(req)
        guard let q = WaitlistModel.scopedQuery(on: req.db, for: p) else { return [] }
        let entries = try await q.filter(\.$groupID == groupID).filter(\.$status ~~ [WaitlistStatus.waiting, .offered]).sort(\.$seq).all()
        var out: [WaitlistDTO] = []
        for e in entries { out.append(try await dto(e, req)) }
        return out
    }

    static func leaveWaitlist(req: Request) async throws -> WaitlistDTO {
        let e = try await req.find(WaitlistModel.self, try CertificateAPIController.id(req), for: .write)
        guard try req.requirePrincipal().role == .parent else { throw Abort(.forbidden) }
        try await req.navigator.enrollment.waitingLists.leave(e, by: try req.requirePrincipal())
        return try await dto(e, req)
    }
}
