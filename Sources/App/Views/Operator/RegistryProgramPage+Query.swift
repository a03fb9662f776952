import Domain
import Fluent
import Vapor

extension RegistryProgramPage {
    /// A program the principal may read, with its modules, groups and provider, and the region's price cap when the
    /// operator may certify it.
    static func query(id: UUID?, principal: Principal, catalog: CatalogService, on db: any Database) async throws -> Model {
        let program = try await ProgramModel.findScoped(id, for: principal, .read, on: db)
        let programID = try program.requireID()
        return Model(program: program, modules: try await catalog.modules(of: programID, on: db), groups: try await catalog.groups(of: programID, on: db),
                     provider: try await ProviderModel.find(program.providerID, on: db), role: principal.role,
                     priceCap: decides(role: principal.role, program) ? try await catalog.priceCap(region: program.regionCode, on: db) : nil)
    }
}
