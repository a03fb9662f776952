import Domain
import Fluent
import Vapor

extension ModulePage {
    /// A module the principal may read.
    static func query(id: UUID?, principal: Principal, on db: any Database) async throws -> Model {
        Model(module: try await ModuleModel.findScoped(id, for: principal, .read, on: db))
    }
}
