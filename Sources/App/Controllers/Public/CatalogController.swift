import Domain
import Fluent
import Foundation
import Vapor

/// The public catalogue's pages: the search with filters, a program, a provider. Each handler parses, calls one
/// query, and renders the page built by its pure builder (`Views/Catalog`). The query string is read by
/// `CatalogParams`, shared with the API.
enum CatalogController {
    /// Today in the catalogue's time zone (groups open and close by date).
    static func today(_ req: Request) -> LocalDate {
        LocalDate(req.now, in: CatalogStore.zone)
    }

    static func page(req: Request) async throws -> Response {
        let today = today(req)
        let model = try await CatalogPage.query(CatalogParams.parse(req, today: today), text: req.query[String.self, at: "q"], today: today,
                                                store: req.application.catalogStore, env: req.application)
        let page = CatalogPage.context(model, layout: req.layout(CatalogPage.title(model)))
        return try await req.view.render("public/catalog", page).encodeResponse(status: model.error == nil ? .ok : .badRequest, for: req)
    }

    static func program(req: Request) async throws -> View {
        let model = try await CatalogProgramPage.query(id: req.parameters.get("id", as: UUID.self), store: req.application.catalogStore,
                                                       env: req.application)
        return try await req.view.render("public/program", CatalogProgramPage.context(model, layout: req.layout(model.program.name)))
    }

    static func provider(req: Request) async throws -> View {
        let model = try await CatalogProviderPage.query(id: req.parameters.get("id", as: UUID.self), today: today(req),
                                                        store: req.application.catalogStore, env: req.application, on: req.db)
        return try await req.view.render("cabinet/page", CatalogProviderPage.context(model, layout: req.layout(model.provider.shortName)))
    }
}
