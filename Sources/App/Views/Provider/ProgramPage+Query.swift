import Domain
import Fluent
import Vapor

extension ProgramPage {
    /// A program the principal may read, with its modules (in their order) and groups.
    static func query(id: UUID?, principal: Principal, catalog: CatalogService, on db: any Database) async throws -> Model {
        let program = try await ProgramModel.findScoped(id, for: principal, .read, on: db)
        let programID = try program.requireID()
        return Model(program: program, modules: try await catalog.modules(of: programID, on: db), groups: try await catalog.groups(of: programID, on: db))
    }
}
