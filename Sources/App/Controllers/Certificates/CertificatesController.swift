import Domain
import Fluent
import Vapor

/// Identity confirmation of certificates by issuing points and municipalities, freezing. Each handler parses, calls
/// one query or service, and renders the page built by its pure builder (`Views/Certificates`) or redirects.
enum CertificatesController {
    /// The municipality whose certificates the principal handles, or 403.
    static func confirmingMunicipality(_ req: Request) async throws -> UUID {
        let p = try req.requirePrincipal()
        switch p.role {
        case .municipality:
            if let m = p.municipalityID { return m }
        case .provider:
            if p.mayConfirmCertificates, let pid = p.providerID, let provider = try await ProviderModel.find(pid, on: req.db),
               provider.isIssuingPoint, provider.status == .active {
                return provider.municipalityID
            }
        default: break
        }
        throw AppError(status: .forbidden, code: "not_issuing_point",
                       reason: "Подтверждать сертификаты могут только пункты выдачи сертификатов и муниципалитет.")
    }

    static func list(req: Request) async throws -> View {
        let model = try await CertificatesPage.query(municipality: try await confirmingMunicipality(req), search: req.query[String.self, at: "q"],
                                                     on: req.db)
        return try await req.view.render("cabinet/page", CertificatesPage.context(model, layout: req.layout("Подтверждение сертификатов")))
    }

    static func show(req: Request) async throws -> View {
        try await renderCard(req, errors: [])
    }

    static func renderCard(_ req: Request, errors: [FieldError]) async throws -> View {
        let model = try await CertificatePage.query(id: req.parameters.get("id", as: UUID.self), municipality: try await confirmingMunicipality(req),
                                                    principal: try req.requirePrincipal(), now: req.now, ledger: req.navigator.ledger, on: req.db)
        return try await req.view.render("cabinet/page", CertificatePage.context(model, errors: errors, layout: req.layout("Сертификат")))
    }

    /// The certificate of the path, when it is of the staff's municipality (otherwise 404).
    static func loadForStaff(_ req: Request) async throws -> UUID {
        let (cert, _) = try await CertificatePage.load(id: req.parameters.get("id", as: UUID.self), municipality: try await confirmingMunicipality(req),
                                                        on: req.db)
        return try cert.requireID()
    }

    static func confirm(req: Request) async throws -> Response {
        let id = try await loadForStaff(req)
        _ = try await req.navigator.certificates.confirm(id, by: try req.requirePrincipal(), on: req.db)
        return req.redirect(to: SiteRoute.certificate(id).url, redirectType: .normal)
    }

    /// A refusal of the reason is shown on the card, next to the field.
    static func reject(req: Request) async throws -> Response {
        let id = try await loadForStaff(req)
        let input = try CertificateRejectionInput(InputBody.body(req))
        do {
            _ = try await req.navigator.certificates.reject(id, reason: input.reason, by: try req.requirePrincipal(), on: req.db)
        } catch let r as Refusal where r.kind == .invalid {
            return try await renderCard(req, errors: [FieldError(field: r.field, message: r.message)])
                .encodeResponse(status: .unprocessableEntity, for: req)
        } catch let e as FieldError {
            return try await renderCard(req, errors: [e]).encodeResponse(status: .unprocessableEntity, for: req)
        }
        return req.redirect(to: SiteRoute.certificate(id).url, redirectType: .normal)
    }

    /// `frozen` 1 freezes, anything else (the card sends 0) unfreezes.
    static func freeze(req: Request) async throws -> Response {
        let id = try await loadForStaff(req)
        let input = try CertificateFreezeInput(InputBody.body(req))
        try await req.navigator.certificates.setFrozen(id, input.frozen ?? false, by: try req.requirePrincipal(), on: req.db)
        return req.redirect(to: SiteRoute.certificate(id).url, redirectType: .normal)
    }
}
