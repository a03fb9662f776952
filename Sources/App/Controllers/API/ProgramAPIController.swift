import Domain
import Fluent
import Vapor

/// The municipality's programme through the API: periods, groups, nominals, rollover, freezing.
enum ProgramAPIController {
    struct PeriodDTO: Content {
        let id: UUID
        let startsOn: String
        let endsOn: String
        let status: PeriodStatus
        let contractingOpen: Bool

        init(_ p: PeriodModel) {
            id = p.id!
            startsOn = p.startsOn
            endsOn = p.endsOn
            status = p.status
            contractingOpen = p.contractingOpen
        }
    }

    struct GroupDTO: Content {
        let id: UUID
        let name: String
        let capCount: Int
        let capSum: Int64
        let returnAfterDays: Int
        let carryOver: Bool
        let prorate: Bool

        init(_ g: CertificateGroupModel) {
            id = g.id!
            name = g.name
            capCount = g.capCount
            capSum = g.capSum
            returnAfterDays = g.returnAfterDays
            carryOver = g.carryOver
            prorate = g.prorate
        }
    }

    struct ProgramDTO: Content {
        let periods: [PeriodDTO]
        let groups: [GroupDTO]
    }

    static func show(req: Request) async throws -> ProgramDTO {
        let m = try ProgramController.municipalityID(req)
        return ProgramDTO(periods: try await PeriodModel.query(on: req.db).filter(\.$municipalityID == m).sort(\.$startsOn).all().map(PeriodDTO.init),
                          groups: try await CertificateGroupModel.query(on: req.db).filter(\.$municipalityID == m).sort(\.$name).all().map(GroupDTO.init))
    }

    static func createPeriod(req: Request) async throws -> Response {
        let m = try ProgramController.municipalityID(req)
        let input = try PeriodInput(InputBody.body(req))
        let service = req.navigator.programme
        let p = try await service.createPeriod(municipalityID: m, startsOn: input.startsOn, endsOn: input.endsOn, on: req.db)
        if input.contractingOpen { try await service.setContracting(p.requireID(), open: true, municipalityID: m, on: req.db) }
        return try await PeriodDTO(try await PeriodModel.find(p.id, on: req.db)!).encodeResponse(status: .created, for: req)
    }

    static func saveGroup(req: Request) async throws -> Response {
        let m = try ProgramController.municipalityID(req)
        var existing: CertificateGroupModel? = nil
        if let id = req.parameters.get("id") {
            guard let uuid = UUID(uuidString: id), let g = try await CertificateGroupModel.find(uuid, on: req.db), g.municipalityID == m else {
                throw Abort(.notFound)
            }
            existing = g
        }
        let input = try CertificateGroupInput(InputBody.body(req))
        let g = try await req.navigator.programme.saveGroup(existing, municipalityID: m, input: input, on: req.db)
        return try await GroupDTO(g).encodeResponse(status: existing == nil ? .created : .ok, for: req)
    }

    static func nominal(req: Request) async throws -> HTTPStatus {
        let m = try ProgramController.municipalityID(req)
        guard let group = req.parameters.get("id", as: UUID.self) else { throw Abort(.notFound) }
        let input = try NominalInput(InputBody.body(req))
        try await APIFieldNames.renaming(APIFieldNames.nominal) {
            try await req.navigator.programme.setNominal(groupID: group, periodID: try input.validate(), nominalText: input.nominal,
                                                         municipalityID: m, on: req.db)
        }
        return .noContent
    }

    struct RolloverDTO: Content { let certificates: Int; let posted: Int }

    /// `{"beforeEnd": true}` overrides the date rules (recorded in the audit log); without a body they hold.
    static func close(req: Request) async throws -> RolloverDTO {
        let p = try req.requirePrincipal()
        let override = req.hasJSONBody ? try InputBody.body(req).flag("beforeEnd") ?? false : false
        let r = try await req.application.navigator.programme.closePeriod(municipalityID: try ProgramController.municipalityID(req),
                                                                          override: override, by: .person(p), on: req.db)
        return RolloverDTO(certificates: r.certificates, posted: r.posted)
    }

    static func open(req: Request) async throws -> RolloverDTO {
        let p = try req.requirePrincipal()
        let override = req.hasJSONBody ? try InputBody.body(req).flag("beforeEnd") ?? false : false
        let r = try await req.application.navigator.programme.openPeriod(municipalityID: try ProgramController.municipalityID(req),
                                                                         override: override, by: .person(p), on: req.db)
        return RolloverDTO(certificates: r.certificates, posted: r.posted)
    }

    static func freeze(req: Request) async throws -> CertificateAPIController.CertificateDTO {
        let p = try req.requirePrincipal()
        guard let id = req.parameters.get("id", as: UUID.self) else { throw Abort(.notFound) }
        let frozen = try CertificateFreezeInput(InputBody.body(req)).validate().get()
        try await req.navigator.certificates.setFrozen(id, frozen, by: p, on: req.db)
        return CertificateAPIController.CertificateDTO(try await CertificateModel.find(id, on: req.db)!)
    }
}
