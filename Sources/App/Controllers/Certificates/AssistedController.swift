import Domain
import Fluent
import Vapor

/// Assisted issuance: a family comes in person; the staff of an issuing point or of the municipality registers the
/// parent (or finds the account by e-mail), the child, and confirms the certificate at once (`FamilyService.assist`).
enum AssistedController {
    static func page(req: Request) async throws -> View {
        _ = try await CertificatesController.confirmingMunicipality(req)
        return try await render(req, AssistedIssuanceInput(), errors: [])
    }

    static func render(_ req: Request, _ input: AssistedIssuanceInput, errors: [FieldError]) async throws -> View {
        try await req.view.render("cabinet/page", AssistedIssuancePage.context(input.withoutPassword, errors: errors,
                                                                              layout: req.layout("Оформление при личном обращении")))
    }

    static func submit(req: Request) async throws -> Response {
        let municipalityID = try await CertificatesController.confirmingMunicipality(req)
        let input = try AssistedIssuanceInput(InputBody.body(req))
        do {
            let cert = try await req.navigator.families.assist(input, municipalityID: municipalityID, by: try req.requirePrincipal(), on: req.db)
            return req.redirect(to: SiteRoute.certificate(cert.id!).url, redirectType: .normal)
        } catch let e as ValidationFailure {
            return try await render(req, input, errors: e.errors).encodeResponse(status: .unprocessableEntity, for: req)
        } catch let e as FieldError {
            return try await render(req, input, errors: [e]).encodeResponse(status: .unprocessableEntity, for: req)
        }
    }
}
