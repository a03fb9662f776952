import Domain
import Fluent
import Vapor

extension MunicipalityCabinetPage {
    /// The principal's municipality, its providers by name and the children and families registered there.
    static func query(principal: Principal, on db: any Database) async throws -> Model {
        let directory = Directory(db: db)
        guard let m = try await directory.municipality(principal.municipalityID),
              let providers = ProviderModel.scopedQuery(on: db, for: principal) else { throw Abort(.notFound) }
        return Model(municipality: m, providers: try await providers.sort(\.$shortName).all(),
                     children: try await directory.count("children", region: principal.regionCode, municipality: m.id),
                     parents: try await directory.count("users", region: principal.regionCode, municipality: m.id, role: .parent))
    }
}
