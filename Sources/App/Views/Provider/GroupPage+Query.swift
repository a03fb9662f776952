import Domain
import Fluent
import Vapor

extension GroupPage {
    /// A group the principal may read, with its program's modules.
    static func query(id: UUID?, principal: Principal, catalog: CatalogService, on db: any Database) async throws -> Model {
        let group = try await GroupModel.findScoped(id, for: principal, .read, on: db)
        return Model(group: group, modules: try await catalog.modules(of: group.programID, on: db))
    }
}
