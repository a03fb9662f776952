import Domain
import Fluent
import Foundation
import Vapor

extension ContractPage {
    /// A contract in the principal's scope with everything its page shows.
    static func query(id: UUID?, principal: Principal, now: Date, on db: any Database) async throws -> Model {
        guard let id else { throw Abort(.notFound) }
        let c = try await ContractModel.find(id, on: db)
        guard let c, AccessPolicy.allows(principal, .read, c.resourceScope) else { throw Abort(.notFound) }
        guard let group = try await GroupModel.find(c.groupID, on: db), let module = try await ModuleModel.find(c.moduleID, on: db),
              let program = try await ProgramModel.find(c.programID, on: db),
              let provider = try await ProviderModel.find(c.providerID, on: db),
              let child = try await ChildModel.find(c.childID, on: db),
              let cert = try await CertificateModel.find(c.certificateID, on: db) else { throw Abort(.notFound) }
        let successor = try await ContractModel.query(on: db).filter(\.$previousID == id).first()
        var prolongable = false
        if let period = try await PeriodModel.find(c.periodID, on: db), period.status == .current,
           Prolongations.prolongable(c, periodEnd: period.endsOn, groupEnd: group.endsOn) {
            prolongable = try await Prolongations.nextPeriodDefined(c.municipalityID, on: db)
        }
        var closed: [String: ClosedMonth] = [:]
        for r in try await db.sql.select().columns("month", "completeness", "final", "status").from("contract_months").where("contract_id", .equal, id).all() {
            closed[try r.decode(column: "month", as: String.self)] = ClosedMonth(
                completeness: Completeness(hundredths: try r.decode(column: "completeness", as: Int.self)) ?? .full,
                final: try r.decode(column: "final", as: Int64.self),
                status: MonthClose.MonthStatus(rawValue: try r.decode(column: "status", as: String.self)) ?? .charged)
        }
        let disputes = try await DisputeService.of(contractID: id, on: db.sql)
        return Model(contract: c, closed: closed, disputes: disputes, today: CertificateService.today(region: c.regionCode, at: now), summary: .init(group: group, module: module, program: program, provider: provider.fullName),
                     programName: program.name, moduleName: module.name, groupName: group.name, providerName: provider.fullName,
                     providerINN: provider.inn, childName: child.fullName, certificateNumber: cert.number,
                     successor: successor.map { ($0.number, $0.startsOn) }, prolongable: prolongable)
    }
}
