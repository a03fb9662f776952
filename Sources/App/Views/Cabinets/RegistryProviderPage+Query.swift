import Domain
import Fluent
import Vapor

extension RegistryProviderPage {
    /// A provider the principal may read (the operator, the provider's municipality, a monitor of the scope, the provider
    /// itself), with its municipality's name.
    static func query(id: UUID?, principal: Principal, on db: any Database) async throws -> Model {
        let provider = try await ProviderModel.findScoped(id, for: principal, .read, on: db)
        return Model(provider: provider, municipalityName: try await Directory(db: db).municipality(provider.municipalityID)?.name ?? "—",
                     role: principal.role)
    }
}
