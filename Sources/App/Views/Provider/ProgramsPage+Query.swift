import Domain
import Fluent
import Vapor

extension ProgramsPage {
    /// The principal's provider and its programs by name.
    static func query(principal: Principal, on db: any Database) async throws -> Model {
        guard let provider = try await ProviderModel.scopedQuery(on: db, for: principal)?.first(),
              let programs = ProgramModel.scopedQuery(on: db, for: principal) else { throw Abort(.notFound) }
        return Model(providerName: provider.shortName, providerStatus: provider.status, programs: try await programs.sort(\.$name).all())
    }
}
