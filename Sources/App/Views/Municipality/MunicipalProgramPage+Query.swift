import Domain
import Fluent
import SQLKit
import Vapor

extension MunicipalProgramPage {
    /// The municipality's periods, certificate groups, their nominals and ПФ certificates, and the prolongation of contracts
    /// at the rollover: what opening the next period will do, or what opening the current one did.
    static func query(municipalityID m: UUID, prolongations: Prolongations, on db: any Database) async throws -> Model {
        let periods = try await PeriodModel.query(on: db).filter(\.$municipalityID == m).sort(\.$startsOn).all()
        let groups = try await CertificateGroupModel.query(on: db).filter(\.$municipalityID == m).sort(\.$name).all()
        var nominals: [Key: Int64] = [:]
        for n in try await GroupNominalModel.query(on: db).filter(\.$groupID ~~ groups.map { $0.id! }).all() {
            nominals[Key(group: n.groupID, period: n.periodID)] = n.nominal
        }
        var financing: [UUID: Int] = [:]
        for g in groups {
            financing[g.id!] = try await CertificateModel.query(on: db).filter(\.$groupID == g.id!).filter(\.$kind == .financing).count()
        }
        let open = periods.filter { $0.status != .closed }
        var prolongation = Prolongation.none
        if let current = open.first(where: { $0.status == .current }) {
            if open.contains(where: { $0.status == .next }) {
                prolongation = .upcoming(try await prolongations.counts(current, on: db.sql))
            } else if let last = Prolongations.periodBefore(current, in: periods) {
                prolongation = .done(last: last, try await prolongations.counts(last, on: db.sql))
            }
        }
        return Model(periods: periods, groups: groups, nominals: nominals, financing: financing, prolongation: prolongation)
    }
}
