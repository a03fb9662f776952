import Domain
import Foundation
import Vapor

/// The API of paying providers: completeness, advances, invoices and the monthly close.
enum PaymentAPIController {
    struct LineDTO: Content {
        let contractId: UUID
        let month: String
        let contractNumber: String
        let certificateNumber: String
        let childInitials: String
        let group: String
        let part: Int64
        let completeness: Int
        let amount: Int64
        let advance: Int64
        let due: Int64

        init(_ l: InvoiceService.Line) {
            contractId = l.contractID
            month = l.month.key
            contractNumber = l.contractNumber
            certificateNumber = l.certificateNumber
            childInitials = l.childInitials
            group = l.group
            part = l.part
            completeness = l.completeness.hundredths
            amount = l.amount
            advance = l.advance
            due = l.due
        }
    }

    struct InvoiceDTO: Content {
        let id: UUID
        let number: String
        let municipalityId: UUID
        let providerId: UUID
        let provider: String
        let month: String
        let kind: InvoiceKind
        let status: InvoiceStatus
        let finals: Int64
        let advances: Int64
        let carried: Int64
        let due: Int64
        let payable: Int64
        let dueOn: String
        let paymentOrder: String?
        let paidOn: String?
        let deletedReason: String?
        let lines: [LineDTO]?

        init(_ i: InvoiceService.Invoice, lines: [InvoiceService.Line]? = nil) {
            id = i.id
            number = i.number
            municipalityId = i.municipalityID
            providerId = i.providerID
            provider = i.provider
            month = i.month.key
            kind = i.kind
            status = i.status
            finals = i.finals
            advances = i.advances
            carried = i.carried
            due = i.due
            payable = i.settlement.payable
            dueOn = i.dueOn
            paymentOrder = i.paymentOrder
            paidOn = i.paidOn
            deletedReason = i.deletedReason
            self.lines = lines?.map(LineDTO.init)
        }
    }

    struct ChildDTO: Content {
        let contractId: UUID
        let childInitials: String
        let certificateNumber: String
        let certificatePart: Int64
        let parentPart: Int64
        let status: String?
        let completeness: Int?
        let final: Int64?
    }

    struct GroupDTO: Content {
        let groupId: UUID
        let name: String
        let program: String
        let completeness: Int?
        let reason: String?
        let certificateTotal: Int64
        let parentTotal: Int64
        let children: [ChildDTO]
    }

    struct CompletenessDTO: Content {
        let month: String
        let reportFrom: String
        let reportUntil: String
        let closed: Bool
        let groups: [GroupDTO]
    }

    struct ReportedDTO: Content {
        let groupId: UUID
        let month: String
        let completeness: Int
    }

    struct PreviewDTO: Content {
        let month: String
        let closed: Bool
        let closeFrom: String
        let contractMonths: Int
        let charge: Int64
        let correction: Int64
        let disputed: Int
        let providers: Int
    }

    struct CloseDTO: Content {
        let month: String
        let alreadyDone: Bool
        let contractMonths: Int
        let charged: Int64
        let corrected: Int64
        let invoices: Int
    }

    /// `?month=YYYY-MM`, or the month before this one.
    static func month(_ raw: String?, req: Request, default fallback: Month) throws -> Month {
        guard let raw else { return fallback }
        guard let m = Month(input: raw) else {
            throw AppError(Refusal("invalid_month", field: "month", "Месяц указывается как ГГГГ-ММ, например 2026-11.", kind: .invalid))
        }
        return m
    }

    static func today(_ req: Request) throws -> LocalDate {
        CertificateService.today(region: try req.requirePrincipal().regionCode, at: req.now)
    }

    static func providerID(_ req: Request) throws -> UUID {
        let p = try req.requirePrincipal()
        guard p.role == .provider, let id = p.providerID else { throw Abort(.forbidden) }
        return id
    }

    static func completeness(req: Request) async throws -> CompletenessDTO {
        let provider = try providerID(req)
        let month = try month(req.query[String.self, at: "month"], req: req, default: Month(try today(req)).previous)
        let groups = try await req.navigator.payments.completeness.groups(providerID: provider, month: month)
        let window = PaymentRules.reportingWindow(month)
        var closed = false
        if let first = groups.first {
            closed = try await req.navigator.payments.closer.isClosed(municipalityID: first.municipalityID, month: month, on: req.db.sql)
        }
        return CompletenessDTO(month: month.key, reportFrom: window.lowerBound.iso, reportUntil: window.upperBound.iso, closed: closed,
                               groups: groups.map { g in
                                   GroupDTO(groupId: g.id, name: g.name, program: g.program, completeness: g.completeness?.hundredths, reason: g.reason,
                                            certificateTotal: g.certificateTotal, parentTotal: g.parentTotal,
                                            children: g.children.map {
                                                ChildDTO(contractId: $0.contractID, childInitials: $0.childInitials, certificateNumber: $0.certificateNumber,
                                                         certificatePart: $0.certificatePart, parentPart: $0.parentPart, status: $0.closed?.status.rawValue,
                                                         completeness: $0.closed?.completeness.hundredths, final: $0.closed?.final)
                                            })
                               })
    }

    static func report(req: Request) async throws -> ReportedDTO {
        let provider = try providerID(req)
        let input = try CompletenessInput(InputBody.body(req))
        let (group, month) = try input.validate().mapError(AppError.init).get()
        let value = try await req.navigator.payments.completeness.report(providerID: provider, groupID: group, month: month, percent: input.completeness,
                                                                          reason: input.reason, by: try req.requirePrincipal().userID)
        return ReportedDTO(groupId: group, month: month.key, completeness: value.hundredths)
    }

    static func advance(req: Request) async throws -> Response {
        let provider = try providerID(req)
        let body = try InputBody.body(req)
        try body.require("month")
        let m = try month(try body.text("month"), req: req, default: Month(try today(req)))
        let created = try await req.navigator.payments.invoices.requestAdvance(providerID: provider, month: m, by: .person(try req.requirePrincipal()))
        return try await created.map { InvoiceDTO($0) }.encodeResponse(status: .created, for: req)
    }

    static func list(req: Request) async throws -> [InvoiceDTO] {
        let p = try req.requirePrincipal()
        guard p.role != .parent else { throw Abort(.forbidden) }
        let month = try req.query[String.self, at: "month"].map { try Self.month($0, req: req, default: Month(try today(req))) }
        var status: InvoiceStatus? = nil
        if let raw = req.query[String.self, at: "status"] {
            guard let s = InvoiceStatus(rawValue: raw) else {
                throw AppError(Refusal("invalid_status", field: "status", "Статус счёта: new, in_work, paid или deleted.", kind: .invalid))
            }
            status = s
        }
        return try await req.navigator.payments.invoices.list(for: p, month: month, status: status).map { InvoiceDTO($0) }
    }

    /// The path's id: a malformed one is a 400, as everywhere in the API.
    static func invoiceID(_ req: Request) throws -> UUID {
        guard let id = req.parameters.get("id", as: UUID.self) else {
            throw AppError(status: .badRequest, code: "bad_request", reason: "Идентификатор должен быть UUID.")
        }
        return id
    }

    static func show(req: Request) async throws -> InvoiceDTO {
        let p = try req.requirePrincipal()
        guard p.role != .parent else { throw Abort(.forbidden) }
        let i = try await req.navigator.payments.invoices.visible(try invoiceID(req), to: p)
        return InvoiceDTO(i, lines: try await req.navigator.payments.invoices.lines(of: i.id))
    }

    static func take(req: Request) async throws -> InvoiceDTO {
        InvoiceDTO(try await req.navigator.payments.invoices.step(try invoiceID(req), .take, by: try req.requirePrincipal()))
    }

    static func pay(req: Request) async throws -> InvoiceDTO {
        let event = try InvoicePaymentInput(InputBody.body(req)).validate().mapError(AppError.init).get()
        return InvoiceDTO(try await req.navigator.payments.invoices.step(try invoiceID(req), event, by: try req.requirePrincipal()))
    }

    static func delete(req: Request) async throws -> InvoiceDTO {
        let body = try InputBody.body(req)
        try body.require("reason")
        return InvoiceDTO(try await req.navigator.payments.invoices.step(try invoiceID(req), .delete(reason: try body.text("reason") ?? ""),
                                                                        by: try req.requirePrincipal()))
    }

    static func municipalityID(_ req: Request) throws -> UUID { try ProgramController.municipalityID(req) }

    static func preview(req: Request) async throws -> PreviewDTO {
        let mid = try municipalityID(req)
        let m = try month(req.query[String.self, at: "month"], req: req, default: Month(try today(req)).previous)
        let closer = req.navigator.payments.closer
        let p = try await closer.preview(municipalityID: mid, month: m)
        return PreviewDTO(month: m.key, closed: try await closer.isClosed(municipalityID: mid, month: m, on: req.db.sql),
                          closeFrom: PaymentRules.closeFrom(m).iso, contractMonths: p.contractMonths, charge: p.charge, correction: p.correction,
                          disputed: p.disputed, providers: p.providers)
    }

    static func close(req: Request) async throws -> CloseDTO {
        let mid = try municipalityID(req)
        let body = try InputBody.body(req)
        try body.require("month")
        let m = try month(try body.text("month"), req: req, default: Month(try today(req)).previous)
        let r = try await req.navigator.payments.closer.close(municipalityID: mid, month: m, by: .person(try req.requirePrincipal()))
        return CloseDTO(month: m.key, alreadyDone: r.alreadyDone, contractMonths: r.contractMonths, charged: r.charged, corrected: r.corrected,
                        invoices: r.invoices)
    }

    struct DisputeDTO: Content {
        let id: UUID
        let contractId: UUID
        let month: String
        let text: String
        let status: DisputeStatus
        let completeness: Int?
        let decision: String?
        let createdAt: Date
        let decidedAt: Date?

        init(_ d: DisputeService.Dispute) {
            id = d.id
            contractId = d.contractID
            month = d.month.key
            text = d.text
            status = d.status
            completeness = d.completeness?.hundredths
            decision = d.decision
            createdAt = d.createdAt
            decidedAt = d.decidedAt
        }
    }

    /// The parent disputes a month of the family's contract.
    static func dispute(req: Request) async throws -> Response {
        let id = try invoiceID(req)
        let input = try DisputeInput(InputBody.body(req))
        guard let month = Month(input: input.month) else {
            throw AppError(Refusal("invalid_month", field: "month", "Месяц указывается как ГГГГ-ММ, например 2026-11.", kind: .invalid))
        }
        let d = try await req.navigator.payments.disputes.open(contractID: id, month: month, text: input.text, by: try req.requirePrincipal())
        return try await DisputeDTO(d).encodeResponse(status: .created, for: req)
    }

    static func disputes(req: Request) async throws -> [DisputeDTO] {
        try await req.navigator.payments.disputes.list(for: try req.requirePrincipal(), on: req.db.sql).map(DisputeDTO.init)
    }

    static func decide(req: Request) async throws -> DisputeDTO {
        let id = try invoiceID(req)
        let input = try DisputeDecisionInput(InputBody.body(req))
        let (uphold, completeness) = try input.validate().mapError(AppError.init).get()
        return DisputeDTO(try await req.navigator.payments.disputes.decide(id, uphold: uphold, completeness: completeness, decision: input.text,
                                                                         by: try req.requirePrincipal()))
    }

    struct TransferDTO: Content {
        let contractId: UUID
        let oldEndsOn: String?
        let released: Int64
        let start: String
        let end: String?
        let full: Int64?
        let certificate: Int64?
        let parent: Int64?
        let months: [QuoteController.MonthDTO]?
        let mayTransfer: Bool
        let refusal: String?
        let reason: String?
    }

    /// The transfer: without `confirm` its plan (nothing written), with `"confirm": true` the notice and the application.
    static func transfer(req: Request) async throws -> Response {
        let id = try invoiceID(req)
        let body = try InputBody.body(req)
        try body.require("group")
        guard let group = try body.uuid("group") else { throw Abort(.notFound) }
        let p = try req.requirePrincipal()
        guard try body.flag("confirm") == true else {
            let plan = try await req.navigator.enrollment.transfers.plan(contractID: id, groupID: group, by: p)
            return try await TransferDTO(contractId: id, oldEndsOn: plan.rule.oldEnd?.iso, released: plan.rule.released, start: plan.rule.newStart.iso,
                                         end: plan.end?.iso, full: plan.quote?.full.kopecks, certificate: plan.quote?.certificate.kopecks,
                                         parent: plan.quote?.parent.kopecks,
                                         months: plan.quote.map { MonthPart.from($0).map(QuoteController.MonthDTO.init) },
                                         mayTransfer: plan.refusal == nil && plan.quote != nil, refusal: plan.refusal?.code, reason: plan.refusal?.message)
                .encodeResponse(status: .ok, for: req)
        }
        let (_, new) = try await req.navigator.enrollment.transfers.transfer(contractID: id, groupID: group, by: p)
        return try await TransferredDTO(id: new.id, previousContractId: id).encodeResponse(status: .created, for: req)
    }

    struct TransferredDTO: Content {
        let id: UUID
        let previousContractId: UUID
    }
}
