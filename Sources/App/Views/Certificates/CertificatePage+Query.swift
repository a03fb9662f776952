import Domain
import Fluent
import Foundation
import Vapor

extension CertificatePage {
    /// A certificate of the staff's municipality with its child and ledger; 404 for any other.
    static func query(id: UUID?, municipality: UUID, principal: Principal, now: Date, ledger: LedgerService,
                      on db: any Database) async throws -> Model {
        let (cert, child) = try await load(id: id, municipality: municipality, on: db)
        return Model(certificate: cert, child: child, municipality: try await MunicipalityModel.find(child.municipalityID, on: db)?.name ?? "—",
                     today: CertificateService.today(region: child.regionCode, at: now), ledger: try await .query(cert, ledger: ledger, on: db),
                     mayFreeze: principal.role == .municipality)
    }

    /// The certificate and its child, when the certificate is of `municipality`; otherwise 404.
    static func load(id: UUID?, municipality: UUID, on db: any Database) async throws -> (CertificateModel, ChildModel) {
        guard let id, let cert = try await CertificateModel.find(id, on: db), cert.municipalityID == municipality,
              let child = try await ChildModel.find(cert.childID, on: db) else { throw Abort(.notFound) }
        return (cert, child)
    }
}
