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

    struct PeriodBody: Content { var startsOn: String?; var endsOn: String?; var contractingOpen: Bool? }

    static func createPeriod(req: Request) async throws -> Response {
        let m = try ProgramController.municipalityID(req)
        let b = try CertificateAPIController.body(req, PeriodBody.self)
        let service = req.application.navigator.programme
        let p = try await service.createPeriod(municipalityID: m, startsOn: b.startsOn ?? "", endsOn: b.endsOn ?? "", on: req.db)
        if b.contractingOpen == true { try await service.setContracting(p.requireID(), open: true, municipalityID: m, on: req.db) }
        return try await PeriodDTO(try await PeriodModel.find(p.id, on: req.db)!).encodeResponse(status: .created, for: req)
    }

    struct GroupBody: Content {
        var name: String?
        /// Cap on the number of ПФ certificates.
        var capCount: Int?
        /// Cap on the sum of nominals, in kopecks.
        var capSum: JSONScalar?
        var returnAfterDays: Int?
        var carryOver: Bool?
        var prorate: Bool?
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
        let b = try CertificateAPIController.body(req, GroupBody.self)
        guard let capSum = try JSONInput.amount(b.capSum, "capSum", max: Self.maxCapSum, what: "Лимит суммы номиналов")?.kopecks else {
            throw FieldError(field: "capSum", message: "Лимит суммы номиналов — целое неотрицательное число копеек.")
        }
        let g = try await req.application.navigator.programme.saveGroup(existing, municipalityID: m, input: .init(
            name: b.name ?? "", capCount: b.capCount.map(String.init) ?? "", capSum: String(capSum / 100) + "," + String(format: "%02d", capSum % 100),
            returnAfterDays: b.returnAfterDays.map(String.init) ?? "", carryOver: b.carryOver ?? false, prorate: b.prorate ?? false), on: req.db)
        return try await GroupDTO(g).encodeResponse(status: existing == nil ? .created : .ok, for: req)
    }

    /// The largest cap on the sum of nominals, in kopecks: 999 999 999 999,99 ₽, the longest sum the
    /// form's field takes (a cap sums many nominals, so it is not bound by `KopecksInput.max`).
    static let maxCapSum: Int64 = 99_999_999_999_999

    struct NominalBody: Content { var periodId: UUID?; var nominal: JSONScalar? }

    static func nominal(req: Request) async throws -> HTTPStatus {
        let m = try ProgramController.municipalityID(req)
        guard let group = req.parameters.get("id", as: UUID.self) else { throw Abort(.notFound) }
        let b = try CertificateAPIController.body(req, NominalBody.self)
        guard let period = b.periodId else { throw FieldError(field: "periodId", message: "Укажите период.") }
        guard let nominal = try JSONInput.amount(b.nominal, "nominal", what: "Номинал")?.kopecks else {
            throw FieldError(field: "nominal", message: "Номинал — целое неотрицательное число копеек.")
        }
        try await req.application.navigator.programme.setNominal(groupID: group, periodID: period,
                                                                 nominalText: String(nominal / 100) + "," + String(format: "%02d", nominal % 100),
                                                                 municipalityID: m, on: req.db)
        return .noContent
    }

    struct RolloverDTO: Content { let certificates: Int; let posted: Int }

    static func close(req: Request) async throws -> RolloverDTO {
        let r = try await req.application.navigator.programme.closePeriod(municipalityID: try ProgramController.municipalityID(req), on: req.db)
        return RolloverDTO(certificates: r.certificates, posted: r.posted)
    }

    static func open(req: Request) async throws -> RolloverDTO {
        let r = try await req.application.navigator.programme.openPeriod(municipalityID: try ProgramController.municipalityID(req), on: req.db)
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
