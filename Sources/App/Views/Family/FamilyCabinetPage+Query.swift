import Domain
import Fluent
import Foundation

extension FamilyCabinetPage {
    /// The family's children with their certificates, the unread notifications and the live applications and contracts.
    static func query(principal p: Principal, now: Date, notifications: NotificationService, on db: any Database) async throws -> Model {
        let children = try await ChildModel.scopedQuery(on: db, for: p)!.sort(\.$birthDate, .descending).all()
        let certs = try await CertificateModel.scopedQuery(on: db, for: p)!.all()
        let contracts = try await ContractModel.scopedQuery(on: db, for: p)!.filter(\.$status ~~ ContractStatus.live).all()
        return Model(children: children, certificates: Dictionary(certs.map { ($0.childID, $0) }, uniquingKeysWith: { a, _ in a }),
                     today: CertificateService.today(region: p.regionCode, at: now),
                     unread: try await notifications.unreadCount(p.userID, on: db),
                     live: contracts.count, offers: contracts.filter { $0.status == .offered }.count)
    }
}
