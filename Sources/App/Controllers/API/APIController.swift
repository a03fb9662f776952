import Domain
import Fluent
import Vapor

/// The JSON API: tokens, the signed-in user, scoped reads, public reference data.
enum APIController {
    struct TokenResponse: Content {
        let token: String
        let expiresAt: Date
        let role: Role
    }

    static func token(req: Request) async throws -> Response {
        let credentials = try CredentialsInput(InputBody.body(req))
        let missing = credentials.missing
        if !missing.isEmpty {
            throw AppError(status: .badRequest, code: "bad_request", reason: missing.map(\.message).joined(separator: " "), fields: missing)
        }
        let auth = req.application.authService
        switch try await auth.authenticate(email: credentials.email, password: credentials.password, address: req.clientAddress,
                                           app: req.application, db: req.db) {
        case .failure(.locked(let remaining)):
            throw AppError(status: .tooManyRequests, code: "too_many_attempts", reason: LoginThrottle.message(remaining: remaining),
                           headers: ["Retry-After": String(Int(remaining.rounded(.up)))])
        case .failure:
            throw AppError(status: .unauthorized, code: "invalid_credentials", reason: "Неверный адрес электронной почты или пароль.")
        case .success(let user):
            let (token, expires) = try await auth.issueAPIToken(for: user, db: req.db)
            return try await TokenResponse(token: token, expiresAt: expires, role: user.role).encodeResponse(for: req)
        }
    }

    static func revokeToken(req: Request) async throws -> HTTPStatus {
        guard let bearer = req.headers.bearerAuthorization, req.user != nil else { throw Abort(.unauthorized) }
        try await req.application.authService.revokeAPIToken(bearer.token, db: req.db)
        return .noContent
    }

    struct MeResponse: Content {
        let id: UUID
        let email: String
        let name: String
        let role: String
        let regionCode: String
        let municipalityId: UUID?
        let providerId: UUID?
        let mayConfirmCertificates: Bool
    }

    static func me(req: Request) async throws -> MeResponse {
        guard let u = req.user else { throw Abort(.unauthorized) }
        let p = u.principal
        return MeResponse(id: p.userID, email: u.email, name: u.displayName, role: p.role.rawValue, regionCode: p.regionCode,
                          municipalityId: p.municipalityID, providerId: p.providerID,
                          mayConfirmCertificates: p.mayConfirmCertificates)
    }

    // MARK: scoped reads

    struct ChildDTO: Content {
        let id: UUID
        let surname: String
        let name: String
        let patronymic: String
        let birthDate: String
        let sex: String
        let municipalityId: UUID

        init(_ c: ChildModel) {
            id = c.id!
            surname = c.surname
            name = c.name
            patronymic = c.patronymic
            birthDate = c.birthDate
            sex = c.sex
            municipalityId = c.municipalityID
        }
    }

    struct Page<T: Content>: Content {
        let total: Int
        let page: Int
        let per: Int
        let items: [T]
    }

    static func pageParams(_ req: Request) throws -> (page: Int, per: Int) {
        let page = try int(req, "page", default: 1, range: 1...100_000)
        let per = try int(req, "per", default: 20, range: 1...100)
        return (page, per)
    }

    static func int(_ req: Request, _ name: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
        guard let raw = req.query[String.self, at: name] else { return value }
        guard let v = Int(raw), range.contains(v) else {
            throw AppError(status: .badRequest, code: "bad_request",
                           reason: "Параметр \(name) должен быть целым числом от \(range.lowerBound) до \(range.upperBound).",
                           fields: [FieldError(field: name, message: "Ожидается целое число от \(range.lowerBound) до \(range.upperBound).")])
        }
        return v
    }

    static func children(req: Request) async throws -> Page<ChildDTO> {
        let p = try req.requirePrincipal()
        let (page, per) = try pageParams(req)
        guard let q = ChildModel.scopedQuery(on: req.db, for: p) else { return Page(total: 0, page: page, per: per, items: []) }
        let total = try await q.copy().count()
        let rows = try await q.sort(\.$surname).sort(\.$name).sort(\.$id).range((page - 1) * per ..< page * per).all()
        return Page(total: total, page: page, per: per, items: rows.map(ChildDTO.init))
    }

    static func child(req: Request) async throws -> ChildDTO {
        guard let id = req.parameters.get("id", as: UUID.self) else {
            throw AppError(status: .badRequest, code: "bad_request", reason: "Идентификатор ребёнка должен быть UUID.")
        }
        return ChildDTO(try await req.find(ChildModel.self, id, for: .read))
    }

    struct ProviderDTO: Content {
        let id: UUID
        let fullName: String
        let shortName: String
        let kind: String
        let ownership: String
        let inn: String
        let ogrn: String
        let kpp: String?
        let municipalityId: UUID
        let status: ProviderStatus
        let isIssuingPoint: Bool
    }

    static func provider(req: Request) async throws -> ProviderDTO {
        guard let id = req.parameters.get("id", as: UUID.self) else {
            throw AppError(status: .badRequest, code: "bad_request", reason: "Идентификатор поставщика должен быть UUID.")
        }
        let p = try await req.find(ProviderModel.self, id, for: .read)
        return ProviderDTO(id: p.id!, fullName: p.fullName, shortName: p.shortName, kind: p.kind, ownership: p.ownership,
                           inn: p.inn, ogrn: p.ogrn, kpp: p.kpp, municipalityId: p.municipalityID, status: p.status,
                           isIssuingPoint: p.isIssuingPoint)
    }

    /// The `status` query parameter of a list, one of the statuses of `S` (nil when absent).
    static func statusParameter<S: StoredStatus>(_ req: Request, _: S.Type) throws -> S? {
        guard let raw = req.query[String.self, at: "status"] else { return nil }
        guard let status = S(rawValue: raw) else {
            let allowed = S.allCases.map(\.rawValue).joined(separator: ", ")
            throw AppError(status: .badRequest, code: "bad_parameter", reason: "Параметр status: одно из значений \(allowed).",
                           fields: [FieldError(field: "status", message: "Допустимые значения: \(allowed).")])
        }
        return status
    }

    // MARK: reference data (public)

    struct Coded: Content {
        let code: String
        let title: String
    }

    struct MunicipalityDTO: Content {
        let id: UUID
        let regionCode: String
        let code: String
        let name: String
        let kind: String
        let children5to17: Int?
        let childrenIsEstimate: Bool
    }

    static func regions(req: Request) async throws -> [RegionRecord] {
        ReferenceData.regions
    }

    static func municipalities(req: Request) async throws -> [MunicipalityDTO] {
        var q = MunicipalityModel.query(on: req.db)
        if let region = req.query[String.self, at: "region"] {
            guard ReferenceData.region(code: region) != nil else {
                throw AppError(status: .badRequest, code: "bad_request", reason: "Неизвестный код региона: ожидается 42 или 22.",
                               fields: [FieldError(field: "region", message: "Неизвестный код региона.")])
            }
            q = q.filter(\.$regionCode == region)
        }
        return try await q.sort(\.$regionCode).sort(\.$code).all().map {
            MunicipalityDTO(id: $0.id!, regionCode: $0.regionCode, code: $0.code, name: $0.name, kind: $0.kind,
                            children5to17: $0.childrenCount, childrenIsEstimate: $0.childrenIsEstimate)
        }
    }

    static func directions(req: Request) async throws -> [Coded] {
        Direction.allCases.map { Coded(code: $0.rawValue, title: $0.title) }
    }

    struct Classifiers: Content {
        let directions: [Coded]
        let levels: [Coded]
        let forms: [Coded]
        let disabilities: [Coded]
        let providerKinds: [Coded]
        let ownership: [Coded]
        let roles: [Coded]
    }

    static func classifiers(req: Request) async throws -> Classifiers {
        Classifiers(directions: Direction.allCases.map { Coded(code: $0.rawValue, title: $0.title) },
                    levels: ProgramLevel.allCases.map { Coded(code: $0.rawValue, title: $0.title) },
                    forms: StudyForm.allCases.map { Coded(code: $0.rawValue, title: $0.title) },
                    disabilities: DisabilityCategory.allCases.map { Coded(code: $0.rawValue, title: $0.title) },
                    providerKinds: ProviderKind.allCases.map { Coded(code: $0.rawValue, title: $0.title) },
                    ownership: Ownership.allCases.map { Coded(code: $0.rawValue, title: $0.title) },
                    roles: Role.allCases.map { Coded(code: $0.rawValue, title: $0.title) })
    }

    struct ActivityKindDTO: Content {
        let code: String
        let title: String
        /// The code of the direction the kind belongs to.
        let direction: String
    }

    /// The activity-kind classifier (виды деятельности), all of it or one direction's (`?direction=`).
    static func activityKinds(req: Request) async throws -> [ActivityKindDTO] {
        var kinds = ActivityKinds.all
        if let raw = req.query[String.self, at: "direction"] {
            guard let direction = Direction(rawValue: raw) else {
                let message = "Неизвестная направленность: " + Direction.allCases.map(\.rawValue).joined(separator: ", ") + "."
                throw AppError(status: .badRequest, code: "bad_request", reason: message,
                               fields: [FieldError(field: "direction", message: message)])
            }
            kinds = ActivityKinds.of(direction)
        }
        return kinds.map { ActivityKindDTO(code: $0.code, title: $0.title, direction: $0.direction.rawValue) }
    }
}

extension RegionRecord: Content {}
