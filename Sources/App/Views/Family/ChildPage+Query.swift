import Domain
import Fluent
import Foundation

extension ChildPage {
    /// A child already found in the viewer's scope, with its municipality, its certificate and the certificate's ledger.
    static func query(child: ChildModel, principal: Principal, now: Date, ledger: LedgerService, on db: any Database) async throws -> Model {
        let cert = try await CertificateModel.query(on: db).filter(\.$childID == child.requireID()).first()
        return Model(child: child, municipality: try await MunicipalityModel.find(child.municipalityID, on: db)?.name ?? "—",
                     today: CertificateService.today(region: child.regionCode, at: now), certificate: cert,
                     ledger: try await .query(cert, ledger: ledger, on: db), forFamily: principal.role == .parent)
    }
}
