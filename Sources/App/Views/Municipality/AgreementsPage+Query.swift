import Domain
import Fluent
import Vapor

extension AgreementsPage {
    /// The active providers of the municipality's region, each with the municipality's agreement, if any.
    static func query(municipalityID: UUID, agreements: AgreementService, on db: any Database) async throws -> Model {
        Model(rows: try await agreements.list(municipalityID: municipalityID, on: db))
    }
}
