import Domain
import Fluent
import Vapor

/// Agreements of a municipality with providers: the page in the municipality's cabinet and the API.
/// Agreements of a municipality with providers: the page in the municipality's cabinet (`Views/Municipality/AgreementsPage`)
/// and the API. The page and the API read a new agreement with one mapping (`AgreementInput`).
enum AgreementController {
    static func page(req: Request) async throws -> View {
        try await render(req, errors: [], notice: req.query[String.self, at: "done"].map(AgreementsPage.notice))
    }

    static func render(_ req: Request, errors: [FieldError], notice: String? = nil) async throws -> View {
        let model = try await AgreementsPage.query(municipalityID: try ProgramController.municipalityID(req), agreements: req.navigator.agreements,
                                                   on: req.db)
        return try await req.view.render("cabinet/page", AgreementsPage.context(model, errors: errors, notice: notice,
                                                                                layout: req.layout("Соглашения с поставщиками")))
    }

    /// The page again with the refusal (422), named by its field or under the agreement's select.
    static func failPage(_ req: Request, _ error: any Error) async throws -> Response {
        let errors: [FieldError]
        switch error {
        case let e as FieldError: errors = [e]
        case let e as AppError where !e.fields.isEmpty: errors = e.fields
        case let e as AppError: errors = [FieldError(field: "agreement", message: e.reason)]
        default: throw error
        }
        return try await render(req, errors: errors).encodeResponse(status: .unprocessableEntity, for: req)
    }

    static func conclude(req: Request) async throws -> Response {
        let m = try ProgramController.municipalityID(req)
        let input = try AgreementInput(InputBody.body(req))
        do {
            try await req.navigator.agreements.conclude(providerID: try input.validate(), municipalityID: m)
        } catch { return try await failPage(req, error) }
        return req.redirect(to: SiteRoute.agreements.url + "?done=concluded", redirectType: .normal)
    }

    static func terminate(req: Request) async throws -> Response {
        let m = try ProgramController.municipalityID(req)
        let input = try AgreementTerminationInput(InputBody.body(req))
        do {
            try await req.navigator.agreements.terminate(agreementID: try input.validate(), municipalityID: m)
        } catch let e as any AbortError where e.status == .notFound {
            return try await failPage(req, FieldError(field: "agreement", message: "Соглашение не найдено."))
        } catch { return try await failPage(req, error) }
        return req.redirect(to: SiteRoute.agreements.url + "?done=terminated", redirectType: .normal)
    }

    // MARK: API

    struct AgreementDTO: Content {
        let id: UUID
        let number: String
        let municipalityId: UUID
        let providerId: UUID
        let status: AgreementStatus
        let concludedOn: String
        let terminatedOn: String?

        init(_ a: AgreementModel) {
            id = a.id!
            number = a.number
            municipalityId = a.municipalityID
            providerId = a.providerID
            status = a.status
            concludedOn = a.concludedOn
            terminatedOn = a.terminatedOn
        }
    }

    /// The agreements the principal may read: a municipality's own, a provider's own, the region's for the operator.
    static func list(req: Request) async throws -> [AgreementDTO] {
        let p = try req.requirePrincipal()
        guard p.role != .parent, let q = AgreementModel.scopedQuery(on: req.db, for: p) else { throw Abort(.forbidden) }
        if let provider = req.query[String.self, at: "provider"] {
            guard let id = UUID(uuidString: provider) else { throw FieldError(field: "provider", message: "Укажите идентификатор поставщика.") }
            q.filter(\.$providerID == id)
        }
        return try await q.sort(\.$concludedOn).all().map(AgreementDTO.init)
    }

    static func apiConclude(req: Request) async throws -> Response {
        let m = try ProgramController.municipalityID(req)
        let input = try AgreementInput(InputBody.body(req))
        let a = try await req.navigator.agreements.conclude(providerID: try input.validate(), municipalityID: m)
        return try await AgreementDTO(a).encodeResponse(status: .created, for: req)
    }

    static func apiTerminate(req: Request) async throws -> AgreementDTO {
        let m = try ProgramController.municipalityID(req)
        guard let id = req.parameters.get("id", as: UUID.self) else { throw Abort(.notFound) }
        return AgreementDTO(try await req.navigator.agreements.terminate(agreementID: id, municipalityID: m))
    }
}
