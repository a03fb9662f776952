import Domain
import Fluent
import Foundation
import Vapor

extension EnrollPage {
    /// The group the parent chose, the family's children and, for the chosen child, the plan (the same reading,
    /// checks and arithmetic as the application).
    static func query(groupID: UUID?, childID: UUID?, start: LocalDate?, principal: Principal,
                      reader: EnrollmentReader, now: Date, on db: any Database) async throws -> Model {
        guard let groupID, let group = try await GroupModel.find(groupID, on: db),
              let module = try await ModuleModel.find(group.moduleID, on: db),
              let program = try await ProgramModel.find(group.programID, on: db),
              let provider = try await ProviderModel.find(group.providerID, on: db),
              program.status == .certified, provider.status == .active else { throw Abort(.notFound) }
        let children = try await ChildModel.scopedQuery(on: db, for: principal)!.sort(\.$birthDate, .descending).all()
        let chosen = childID.flatMap { id in children.first { $0.id == id } } ?? (children.count == 1 ? children.first : nil)
        var plan: EnrollmentPlan? = nil
        if let chosen { plan = try await reader.plan(child: chosen, groupID: groupID, start: start, now: now, on: db) }
        var transferable: [(id: UUID, title: String)] = []
        if let chosen {
            for c in try await ContractModel.query(on: db).filter(\.$childID == chosen.requireID()).filter(\.$status == .active)
                .filter(\.$groupID != groupID).all() {
                let name = try await ProgramModel.find(c.programID, on: db)?.name ?? ""
                transferable.append((try c.requireID(), "\(c.number) («\(name)»)"))
            }
        }
        var model = Model(groupID: groupID, programID: try program.requireID(), groupName: group.name, programName: program.name,
                     providerName: provider.shortName, funding: program.funding,
                     summary: .init(group: group, module: module, program: program, provider: provider.shortName),
                     children: try children.map { (try $0.requireID(), $0.fullName) }, chosen: try chosen.map { (try $0.requireID(), $0.fullName) },
                     plan: plan)
        model.transferable = transferable
        return model
    }
}
