import Domain
import Fluent
import Vapor

extension ScopedModel where IDValue == UUID {
    /// The row of `id` if `principal` may `action` it; 404 when it is missing or foreign (nothing is revealed of another's
    /// data), as `Request.find` answers, for the page queries.
    static func findScoped(_ id: UUID?, for principal: Principal, _ action: AccessAction, on db: any Database) async throws -> Self {
        guard let id, let row = try await Self.find(id, on: db), AccessPolicy.allows(principal, action, row.resourceScope) else {
            throw Abort(.notFound)
        }
        return row
    }
}
