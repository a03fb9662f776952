import Domain
import Fluent
import Vapor

extension RegistryProgramsPage {
    /// The programs in the principal's scope (of one status, or all), last changed first, at most 500, with their providers'
    /// names; for the operator, the region's price cap.
    static func query(principal p: Principal, status: ProgramStatus?, catalog: CatalogService, on db: any Database) async throws -> Model {
        guard var q = ProgramModel.scopedQuery(on: db, for: p) else { throw Abort(.forbidden) }
        if let status { q = q.filter(\.$status == status) }
        let programs = try await q.sort(\.$updatedAt, .descending).limit(500).all()
        let providers = try await ProviderModel.query(on: db).filter(\.$id ~~ Array(Set(programs.map(\.providerID)))).all()
        return Model(status: status, programs: programs, providers: Dictionary(uniqueKeysWithValues: providers.map { ($0.id!, $0.shortName) }),
                     priceCap: p.role == .operator_ ? try await catalog.priceCap(region: p.regionCode, on: db) : nil)
    }
}
