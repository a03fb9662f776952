import Domain
import Fluent
import Vapor

extension ProviderCabinetPage {
    /// The principal's provider, its municipality's name, the applications waiting for an answer and the staff by surname.
    static func query(principal: Principal, on db: any Database) async throws -> Model {
        guard let provider = try await ProviderModel.scopedQuery(on: db, for: principal)?.first(),
              let staff = UserModel.scopedQuery(on: db, for: principal) else { throw Abort(.notFound) }
        let municipality = try await Directory(db: db).municipality(provider.municipalityID)?.name ?? "—"
        let waiting = try await ContractModel.query(on: db).filter(\.$providerID == provider.requireID()).filter(\.$status == ContractStatus.applied).count()
        return Model(provider: provider, municipalityName: municipality, newApplications: waiting,
                     mayConfirmCertificates: principal.mayConfirmCertificates, staff: try await staff.sort(\.$surname).all())
    }
}
