import Domain
import Fluent
import Foundation

extension FamilyApplicationsPage {
    /// The family's contracts and waiting-list entries, newest first, with their names and places in the lists.
    static func query(principal: Principal, waitingLists: WaitingLists, on db: any Database) async throws -> Model {
        let contracts = try await ContractModel.scopedQuery(on: db, for: principal)!.sort(\.$createdAt, .descending).all()
        let waitlist = try await WaitlistModel.scopedQuery(on: db, for: principal)!.filter(\.$status ~~ [WaitlistStatus.waiting, .offered, .dropped])
            .sort(\.$createdAt, .descending).all()
        var positions: [UUID: Int] = [:]
        for e in waitlist { positions[e.id!] = try await waitingLists.position(e, on: db) }
        return Model(contracts: contracts, waitlist: waitlist, positions: positions,
                     names: try await .query(contracts, waitlist: waitlist, on: db))
    }
}

extension ProviderApplicationsPage {
    /// The provider's applications and contracts (of one group, or all) and the waiting lists of its groups.
    static func query(principal: Principal, groupID: UUID?, on db: any Database) async throws -> Model {
        var q = ContractModel.scopedQuery(on: db, for: principal)!
        if let groupID { q = q.filter(\.$groupID == groupID) }
        let contracts = try await q.sort(\.$createdAt, .descending).limit(2000).all()
        var wq = WaitlistModel.scopedQuery(on: db, for: principal)!.filter(\.$status == .waiting)
        if let groupID { wq = wq.filter(\.$groupID == groupID) }
        let waitlist = try await wq.sort(\.$groupID).sort(\.$seq).all()
        return Model(contracts: contracts, waitlist: waitlist, names: try await .query(contracts, waitlist: waitlist, on: db))
    }
}

extension ContractsPage {
    /// Every contract in the principal's scope (the municipality's, the region's), newest first, at most 500.
    static func query(principal: Principal, status: ContractStatus?, on db: any Database) async throws -> Model {
        var q = ContractModel.scopedQuery(on: db, for: principal)!
        if let status { q = q.filter(\.$status == status) }
        let list = try await q.sort(\.$createdAt, .descending).limit(500).all()
        return Model(role: principal.role, status: status, contracts: list, names: try await .query(list, on: db))
    }
}
