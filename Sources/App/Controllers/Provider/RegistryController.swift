import Domain
import Fluent
import Vapor

/// Provider registration, the provider's card, moderation by the operator, issuing points. Each handler parses the one
/// mapping of its input (`Inputs/`), calls one service, and redirects or renders the page again with the refusals.
enum RegistryController {
    // MARK: registration

    static func registerPage(req: Request) async throws -> View {
        try await renderRegister(req, ProviderRegistration(), errors: [])
    }

    static func renderRegister(_ req: Request, _ input: ProviderRegistration, errors: [FieldError]) async throws -> View {
        let model = try await ProviderRegisterPage.query(on: req.db)
        return try await req.view.render("cabinet/page", ProviderRegisterPage.context(model, input: input, errors: errors,
                                                                                      layout: req.layout("Регистрация поставщика")))
    }

    static func register(req: Request) async throws -> Response {
        var input = try ProviderRegistration(InputBody.body(req))
        do {
            let (_, user) = try await req.navigator.registry.register(
                input.card, municipalityID: input.municipality, staffEmail: input.staffEmail, staffPassword: input.staffPassword,
                staffSurname: input.staffSurname, staffName: input.staffName)
            let token = try await req.application.authService.openSession(for: user, address: req.clientAddress, db: req.db)
            let res = req.redirect(to: SiteRoute.cabinet(.provider).url, redirectType: .normal)
            res.cookies[AuthenticationMiddleware.sessionCookie] =
                req.cookie(AuthenticationMiddleware.sessionCookie, token, maxAge: Int(req.application.config.sessionLifetime))
            CSRFMiddleware.rotate(req)
            return res
        } catch let e as ValidationFailure {
            input.staffPassword = ""
            return try await renderRegister(req, input, errors: e.errors).encodeResponse(status: .unprocessableEntity, for: req)
        }
    }

    // MARK: the provider's own card

    static func updateCard(req: Request) async throws -> Response {
        let p = try req.requirePrincipal()
        guard let provider = try await ProviderModel.scopedQuery(on: req.db, for: p)?.first() else { throw Abort(.notFound) }
        let card = try ProviderInput(InputBody.body(req))
        do {
            try await req.navigator.registry.update(provider, input: card)
        } catch let e as ValidationFailure {
            return try await CabinetController.providerPage(req, card: card, errors: e.errors).encodeResponse(status: .unprocessableEntity, for: req)
        }
        return req.redirect(to: SiteRoute.cabinet(.provider).url, redirectType: .normal)
    }

    // MARK: moderation and issuing points

    static func moderate(req: Request) async throws -> Response {
        let provider = try await req.find(ProviderModel.self, req.parameters.get("id", as: UUID.self), for: .write)
        guard try req.requirePrincipal().role == .operator_ else { throw Abort(.forbidden) }
        let input = try ModerationInput(InputBody.body(req))
        try await req.navigator.registry.moderate(provider, try input.validate(), reason: input.reason)
        return req.redirect(to: SiteRoute.registryProvider(try provider.requireID()).url, redirectType: .normal)
    }

    static func issuingPoint(req: Request) async throws -> Response {
        let provider = try await req.find(ProviderModel.self, req.parameters.get("id", as: UUID.self), for: .write)
        guard try req.requirePrincipal().role == .municipality else { throw Abort(.forbidden) }
        let input = try IssuingPointInput(InputBody.body(req))
        try await req.navigator.registry.setIssuingPoint(provider, try input.validate())
        return req.redirect(to: SiteRoute.registryProvider(try provider.requireID()).url, redirectType: .normal)
    }
}
