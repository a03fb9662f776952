import Domain
import Foundation
import Vapor

extension CatalogProgramPage {
    /// A published program of this instance's catalogue, or 404.
    static func query(id: UUID?, store: CatalogStore, env: some CatalogEnvironment) async throws -> Model {
        guard let id else { throw Abort(.notFound) }
        guard let p = try await store.current(env).program(id.lowercasedString) else { throw Abort(.notFound) }
        return Model(program: p)
    }
}
