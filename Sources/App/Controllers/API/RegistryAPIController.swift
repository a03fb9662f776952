import Domain
import Fluent
import Vapor

/// The registries through the API: providers (registration, moderation), programs, modules and groups,
/// certification and the price cap, under the same roles and scopes as the pages.
enum RegistryAPIController {
    // MARK: DTOs

    struct ModuleDTO: Content {
        let id: UUID
        let name: String
        let months: Int
        let hours: Int
        let minChildren: Int
        let maxChildren: Int
        let price: Int64
        let normative: Int64?

        init(_ m: ModuleModel) {
            id = m.id!
            name = m.name
            months = m.months
            hours = m.hours
            minChildren = m.minChildren
            maxChildren = m.maxChildren
            price = m.price
            normative = m.normative
        }
    }

    struct SlotDTO: Content {
        let day: Int
        let start: String
        let end: String
    }

    struct GroupDTO: Content {
        let id: UUID
        let moduleId: UUID
        let name: String
        let teacher: String
        let address: String
        let latitude: Double?
        let longitude: Double?
        let startsOn: String
        let endsOn: String
        let capacity: Int
        let taken: Int
        let schedule: [SlotDTO]
        let enrollFrom: String?
        let enrollUntil: String?
        let status: GroupStatus

        init(_ g: GroupModel) {
            id = g.id!
            moduleId = g.moduleID
            name = g.name
            teacher = g.teacher
            address = g.address
            latitude = g.latitude
            longitude = g.longitude
            startsOn = g.startsOn
            endsOn = g.endsOn
            capacity = g.capacity
            taken = g.taken
            schedule = g.slots.map { SlotDTO(day: $0.day, start: ScheduleSlot.time($0.start), end: ScheduleSlot.time($0.end)) }
            enrollFrom = g.enrollFrom
            enrollUntil = g.enrollUntil
            status = g.status
        }
    }

    struct ProgramDTO: Content {
        let id: UUID
        let providerId: UUID
        let name: String
        let annotation: String
        let direction: String
        let activityKinds: [String]
        let level: String
        let form: String
        let distance: Bool
        let ageFromMonths: Int
        let ageToMonths: Int
        let disabilities: [String]
        let funding: FundingKind
        let status: ProgramStatus
        let statusReason: String?
        let modules: [ModuleDTO]?
        let groups: [GroupDTO]?

        init(_ p: ProgramModel, modules: [ModuleModel]? = nil, groups: [GroupModel]? = nil) {
            id = p.id!
            providerId = p.providerID
            name = p.name
            annotation = p.annotation
            direction = p.direction
            activityKinds = p.kindCodes
            level = p.level
            form = p.form
            distance = p.distance
            ageFromMonths = p.ageFrom
            ageToMonths = p.ageTo
            disabilities = p.disabilityCodes
            funding = p.funding
            status = p.status
            statusReason = p.statusReason
            self.modules = modules.map { $0.map(ModuleDTO.init) }
            self.groups = groups.map { $0.map(GroupDTO.init) }
        }
    }

    // MARK: programs

    static func list(req: Request) async throws -> [ProgramDTO] {
        let p = try req.requirePrincipal()
        // Parameters are checked before the scope, so that a role that sees nothing is refused a bad one too.
        let status = try APIController.statusParameter(req, ProgramStatus.self)
        guard var q = ProgramModel.scopedQuery(on: req.db, for: p) else { return [] }
        if let status { q = q.filter(\.$status == status) }
        return try await q.sort(\.$name).limit(1000).all().map { ProgramDTO($0) }
    }

    static func detail(_ req: Request, _ p: ProgramModel) async throws -> ProgramDTO {
        let service = req.navigator.catalog
        return ProgramDTO(p, modules: try await service.modules(of: p.id!, on: req.db), groups: try await service.groups(of: p.id!, on: req.db))
    }

    static func program(_ req: Request, _ action: AccessAction) async throws -> ProgramModel {
        try await req.find(ProgramModel.self, CertificateAPIController.id(req), for: action)
    }

    static func show(req: Request) async throws -> ProgramDTO {
        try await detail(req, try await program(req, .read))
    }

    static func create(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        guard principal.role == .provider, let provider = try await ProviderModel.scopedQuery(on: req.db, for: principal)?.first() else {
            throw Abort(.forbidden)
        }
        let input = try ProgramInput(InputBody.body(req))
        let p = try await APIFieldNames.renaming(APIFieldNames.program) {
            try await req.navigator.catalog.createProgram(provider: provider, input: input)
        }
        return try await detail(req, p).encodeResponse(status: .created, for: req)
    }

    static func update(req: Request) async throws -> ProgramDTO {
        let p = try await program(req, .write)
        let input = try ProgramInput(InputBody.body(req))
        try await APIFieldNames.renaming(APIFieldNames.program) { try await req.navigator.catalog.updateProgram(p, input: input) }
        return try await detail(req, try await program(req, .read))
    }

    static func addModule(req: Request) async throws -> Response {
        let p = try await program(req, .write)
        let input = try ModuleInput(InputBody.body(req))
        let m = try await req.navigator.catalog.saveModule(nil, program: p, input: input)
        return try await ModuleDTO(m).encodeResponse(status: .created, for: req)
    }

    static func updateModule(req: Request) async throws -> ModuleDTO {
        let m = try await req.find(ModuleModel.self, CertificateAPIController.id(req), for: .write)
        guard let p = try await ProgramModel.find(m.programID, on: req.db) else { throw Abort(.notFound) }
        let input = try ModuleInput(InputBody.body(req))
        return ModuleDTO(try await req.navigator.catalog.saveModule(m, program: p, input: input))
    }

    static func addGroup(req: Request) async throws -> Response {
        let p = try await program(req, .write)
        let input = try GroupInput(InputBody.body(req))
        let g = try await APIFieldNames.renaming(APIFieldNames.group) {
            try await req.navigator.catalog.saveGroup(nil, program: p, input: input)
        }
        return try await GroupDTO(g).encodeResponse(status: .created, for: req)
    }

    static func updateGroup(req: Request) async throws -> GroupDTO {
        let g = try await req.find(GroupModel.self, CertificateAPIController.id(req), for: .write)
        guard let p = try await ProgramModel.find(g.programID, on: req.db) else { throw Abort(.notFound) }
        var input = try GroupInput(InputBody.body(req))
        // Without `moduleId` the group stays in its module.
        if input.module == nil { input.module = g.moduleID }
        let group = input
        return GroupDTO(try await APIFieldNames.renaming(APIFieldNames.group) {
            try await req.navigator.catalog.saveGroup(g, program: p, input: group)
        })
    }

    static func submit(req: Request) async throws -> ProgramDTO {
        let p = try await program(req, .write)
        try await req.navigator.catalog.submit(p)
        return try await detail(req, try await program(req, .read))
    }

    static func certify(req: Request) async throws -> ProgramDTO {
        let p = try await program(req, .write)
        // Not a whole number: refused by the mapping, naming the module's place; out of range: by the certification's checks.
        let input = try CertificationInput(InputBody.body(req))
        try await APIFieldNames.renaming(APIFieldNames.certification) { try await req.navigator.catalog.certify(p, normatives: input.normatives) }
        return try await detail(req, try await program(req, .read))
    }

    static func refuse(req: Request) async throws -> ProgramDTO {
        let p = try await program(req, .write)
        let input = try CertificationRefusalInput(InputBody.body(req))
        try await req.navigator.catalog.refuse(p, reason: input.reason)
        return try await detail(req, try await program(req, .read))
    }

    static func archive(req: Request) async throws -> ProgramDTO {
        let p = try await program(req, .write)
        try await req.navigator.catalog.archive(p, by: req.requirePrincipal())
        return try await detail(req, try await program(req, .read))
    }

    static func priceCap(req: Request) async throws -> [String: Int] {
        let p = try req.requirePrincipal()
        let input = try PriceCapInput(InputBody.body(req))
        let service = req.navigator.catalog
        try await APIFieldNames.renaming(APIFieldNames.priceCap) { try await service.setPriceCap(region: p.regionCode, raw: input.percent) }
        return ["percent": try await service.priceCap(region: p.regionCode, on: req.db)]
    }

    // MARK: providers

    static func providers(req: Request) async throws -> [APIController.ProviderDTO] {
        let p = try req.requirePrincipal()
        // Parameters are checked before the scope, so that a role that sees nothing is refused a bad one too.
        let status = try APIController.statusParameter(req, ProviderStatus.self)
        guard var q = ProviderModel.scopedQuery(on: req.db, for: p) else { return [] }
        if let status { q = q.filter(\.$status == status) }
        return try await q.sort(\.$shortName).limit(1000).all().map(APIController.ProviderDTO.init)
    }

    static func register(req: Request) async throws -> Response {
        let input = try ProviderRegistration(InputBody.body(req))
        let (provider, _) = try await APIFieldNames.renaming(APIFieldNames.registration) {
            try await req.navigator.registry.register(input.card, municipalityID: input.municipality, staffEmail: input.staffEmail,
                                                      staffPassword: input.staffPassword, staffSurname: input.staffSurname, staffName: input.staffName)
        }
        return try await APIController.ProviderDTO(provider).encodeResponse(status: .created, for: req)
    }

    /// The municipality names (or stops naming) one of its active providers an issuing point for certificates.
    static func issuingPoint(req: Request) async throws -> APIController.ProviderDTO {
        let provider = try await req.find(ProviderModel.self, CertificateAPIController.id(req), for: .write)
        let input = try IssuingPointInput(InputBody.body(req))
        try await req.navigator.registry.setIssuingPoint(provider, try input.validate())
        return APIController.ProviderDTO(provider)
    }

    static func moderate(req: Request) async throws -> APIController.ProviderDTO {
        let provider = try await req.find(ProviderModel.self, CertificateAPIController.id(req), for: .write)
        let input = try ModerationInput(InputBody.body(req))
        try await req.navigator.registry.moderate(provider, try input.validate(), reason: input.reason)
        return APIController.ProviderDTO(provider)
    }
}

extension APIController.ProviderDTO {
    init(_ p: ProviderModel) {
        self.init(id: p.id!, fullName: p.fullName, shortName: p.shortName, kind: p.kind, ownership: p.ownership, inn: p.inn, ogrn: p.ogrn,
                  kpp: p.kpp, municipalityId: p.municipalityID, status: p.status, isIssuingPoint: p.isIssuingPoint)
    }
}
