import Domain
import Fluent
import Vapor

extension RegionCabinetPage {
    /// The municipalities of the principal's scope by code, the children and providers counted per municipality, and the
    /// providers in scope by name.
    static func query(principal p: Principal, on db: any Database) async throws -> Model {
        let directory = Directory(db: db)
        var municipalities = try await directory.municipalities(region: p.regionCode)
        if let only = p.municipalityID { municipalities = municipalities.filter { $0.id == only } }
        guard let providers = ProviderModel.scopedQuery(on: db, for: p) else { throw Abort(.notFound) }
        return Model(role: p.role, regionCode: p.regionCode, scopeName: try await directory.municipality(p.municipalityID)?.name,
                     municipalities: municipalities,
                     children: try await directory.countsByMunicipality("children", region: p.regionCode),
                     providerCounts: try await directory.countsByMunicipality("providers", region: p.regionCode),
                     providers: try await providers.sort(\.$shortName).all())
    }
}
