import Domain
import Fluent
import Foundation

extension EnrollmentViews.Names {
    /// The names of the children, programs, groups and providers of `contracts` and `waitlist`, in four readings.
    static func query(_ contracts: [ContractModel], waitlist: [WaitlistModel] = [], on db: any Database) async throws -> Self {
        var n = Self()
        let childIDs = Set(contracts.map(\.childID) + waitlist.map(\.childID))
        let groupIDs = Set(contracts.map(\.groupID) + waitlist.map(\.groupID))
        if !childIDs.isEmpty {
            for c in try await ChildModel.query(on: db).filter(\.$id ~~ Array(childIDs)).all() { n.children[c.id!] = c.fullName }
        }
        if !groupIDs.isEmpty {
            let groups = try await GroupModel.query(on: db).filter(\.$id ~~ Array(groupIDs)).all()
            for g in groups { n.groups[g.id!] = g.name }
            let programIDs = Set(groups.map(\.programID) + contracts.map(\.programID))
            for p in try await ProgramModel.query(on: db).filter(\.$id ~~ Array(programIDs)).all() { n.programs[p.id!] = p.name }
            let providerIDs = Set(groups.map(\.providerID))
            for p in try await ProviderModel.query(on: db).filter(\.$id ~~ Array(providerIDs)).all() { n.providers[p.id!] = p.shortName }
        }
        return n
    }
}
