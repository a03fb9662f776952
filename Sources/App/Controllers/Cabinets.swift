import Domain
import Fluent
import Vapor

/// The landing page of each role's cabinet, and the provider's card in the registry. Every row shown comes through
/// `scopedQuery` or a scoped find, so a user sees only the scope of the role; each handler calls one query and renders
/// the page built by its pure builder (`Views/Cabinets`).
enum CabinetController {
    /// A cabinet page of sections (used by the family's and the certificates' pages).
    static func render(_ req: Request, title: String, heading: String, lead: String, sections: [Section]) async throws -> View {
        try await req.view.render("cabinet/page", CabinetPage(layout: req.layout(title), heading: heading, lead: lead, sections: sections))
    }

    // MARK: provider

    static func provider(req: Request) async throws -> View {
        try await providerPage(req, card: nil, errors: [])
    }

    /// The provider's cabinet; after a refused card, with the values typed and the errors.
    static func providerPage(_ req: Request, card: ProviderInput?, errors: [FieldError]) async throws -> View {
        let model = try await ProviderCabinetPage.query(principal: try req.requirePrincipal(), on: req.db)
        return try await req.view.render("cabinet/page", ProviderCabinetPage.context(model, card: card, errors: errors, layout: req.layout("Кабинет поставщика")))
    }

    /// A provider's card for the registry: the operator, the municipality of the provider, a monitor of the scope, and the
    /// provider itself; anyone else gets 404.
    static func registryProvider(req: Request) async throws -> View {
        let model = try await RegistryProviderPage.query(id: req.parameters.get("id", as: UUID.self), principal: try req.requirePrincipal(), on: req.db)
        return try await req.view.render("cabinet/page", RegistryProviderPage.context(model, layout: req.layout(model.provider.shortName)))
    }

    // MARK: municipality, operator and monitor

    static func municipality(req: Request) async throws -> View {
        let model = try await MunicipalityCabinetPage.query(principal: try req.requirePrincipal(), on: req.db)
        return try await req.view.render("cabinet/page", MunicipalityCabinetPage.context(model, layout: req.layout("Кабинет муниципалитета")))
    }

    static func operatorHome(req: Request) async throws -> View {
        let model = try await RegionCabinetPage.query(principal: try req.requirePrincipal(), on: req.db)
        return try await req.view.render("cabinet/page", RegionCabinetPage.context(model, layout: req.layout("Кабинет оператора")))
    }

    static func monitor(req: Request) async throws -> View {
        let model = try await RegionCabinetPage.query(principal: try req.requirePrincipal(), on: req.db)
        return try await req.view.render("cabinet/page", RegionCabinetPage.context(model, layout: req.layout("Кабинет наблюдателя")))
    }
}
