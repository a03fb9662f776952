import Domain
import Fluent
import Foundation
import Vapor

extension CatalogProviderPage {
    /// An active provider, its municipality's name and its published programs (at most a page of 100), or 404.
    static func query(id: UUID?, today: LocalDate, store: CatalogStore, env: some CatalogEnvironment,
                      on db: any Database) async throws -> Model {
        guard let id, let provider = try await ProviderModel.find(id, on: db), provider.status == .active else { throw Abort(.notFound) }
        var q = CatalogQuery(today: today)
        q.provider = id.lowercasedString
        q.per = CatalogQuery.maxPer
        let programs = try await store.current(env).search(q).items
        let municipality = try await MunicipalityModel.find(provider.municipalityID, on: db)?.name ?? "—"
        return Model(provider: provider, municipality: municipality, programs: programs)
    }
}
