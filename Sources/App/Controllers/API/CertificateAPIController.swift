import Domain
import Fluent
import Vapor

/// The API of children and certificates: the same services and scopes as the pages.
enum CertificateAPIController {
    struct CertificateDTO: Content {
        let id: UUID
        let childId: UUID
        let number: String?
        let kind: CertificateKind
        let status: CertificateStatus
        let frozen: Bool
        let closesOn: String
        let rejectionReason: String?
        let balances: [BalanceDTO]?

        init(_ c: CertificateModel, balances: [BalanceDTO]? = nil) {
            id = c.id!
            childId = c.childID
            number = c.number
            kind = c.kind
            status = c.status
            frozen = c.frozen
            closesOn = c.closesOn
            rejectionReason = c.rejectionReason
            self.balances = balances
        }
    }

    struct BalanceDTO: Content {
        let periodId: UUID
        let granted: Int64
        let available: Int64
        let reserved: Int64
        let spent: Int64
        let expired: Int64
    }

    static func body<T: Decodable>(_ req: Request, _ type: T.Type) throws -> T {
        guard req.hasJSONBody else {
            throw AppError(status: .unsupportedMediaType, code: "unsupported_media_type", reason: "Ожидается тело запроса в формате JSON.")
        }
        do { return try req.decodeJSONBody(T.self) } catch {
            if let e = error as? DecodingError, let named = JSONInput.refusal(e) { throw named }
            throw AppError(status: .badRequest, code: "bad_request", reason: "Тело запроса не удалось разобрать: проверьте типы полей.")
        }
    }

    static func id(_ req: Request) throws -> UUID {
        guard let id = req.parameters.get("id", as: UUID.self) else {
            throw AppError(status: .badRequest, code: "bad_request", reason: "Идентификатор должен быть UUID.")
        }
        return id
    }

    static func createChild(req: Request) async throws -> Response {
        let p = try req.requirePrincipal()
        guard p.role == .parent, let family = try await UserModel.find(p.userID, on: req.db) else { throw Abort(.forbidden) }
        let input = try ChildInput(InputBody.body(req))
        let child = try await req.navigator.certificates.addChild(family: family, input: input, on: req.db)
        return try await APIController.ChildDTO(child).encodeResponse(status: .created, for: req)
    }

    static func apply(req: Request) async throws -> Response {
        let child = try await req.find(ChildModel.self, try id(req), for: .write)
        guard try req.requirePrincipal().role == .parent else { throw Abort(.forbidden) }
        let cert = try await req.navigator.certificates.apply(for: child, on: req.db)
        return try await CertificateDTO(cert).encodeResponse(status: .created, for: req)
    }

    static func list(req: Request) async throws -> APIController.Page<CertificateDTO> {
        let p = try req.requirePrincipal()
        let (page, per) = try APIController.pageParams(req)
        // Parameters are checked before the scope, so that a role that sees nothing is refused a bad one too.
        let status = try APIController.statusParameter(req, CertificateStatus.self)
        guard let q = CertificateModel.scopedQuery(on: req.db, for: p) else { return .init(total: 0, page: page, per: per, items: []) }
        if let status { q.filter(\.$status == status) }
        let total = try await q.copy().count()
        let rows = try await q.sort(\.$createdAt).sort(\.$id).range((page - 1) * per ..< page * per).all()
        return .init(total: total, page: page, per: per, items: rows.map { CertificateDTO($0) })
    }

    static func show(req: Request) async throws -> CertificateDTO {
        let cert = try await req.find(CertificateModel.self, try id(req), for: .read)
        let rows = try await req.db.sql.select().columns("period_id", "granted", "reserved", "spent", "expired").from("ledger_balances")
            .where("certificate_id", .equal, cert.requireID()).all()
        let balances = try rows.map { r in
            let b = try LedgerBalance(row: r)
            return BalanceDTO(periodId: try r.decode(column: "period_id", as: UUID.self), granted: b.granted, available: b.available,
                              reserved: b.reserved, spent: b.spent, expired: b.expired)
        }
        return CertificateDTO(cert, balances: balances)
    }

    /// Staff see the certificates of their municipality to confirm them; anyone else gets 404.
    static func staffCertificate(_ req: Request) async throws -> CertificateModel {
        let p = try req.requirePrincipal()
        guard let cert = try await CertificateModel.find(try id(req), on: req.db) else { throw Abort(.notFound) }
        guard try await req.navigator.certificates.mayConfirm(p, municipalityID: cert.municipalityID, on: req.db) else {
            if p.role == .provider || AccessPolicy.allows(p, .read, cert.resourceScope) {
                throw AppError(status: .forbidden, code: "not_issuing_point",
                               reason: "Подтверждать сертификаты могут только пункты выдачи сертификатов и муниципалитет этой территории.")
            }
            throw Abort(.notFound)
        }
        return cert
    }

    static func confirm(req: Request) async throws -> CertificateDTO {
        let cert = try await staffCertificate(req)
        return CertificateDTO(try await req.navigator.certificates.confirm(cert.requireID(), by: try req.requirePrincipal(), on: req.db))
    }

    static func reject(req: Request) async throws -> CertificateDTO {
        let cert = try await staffCertificate(req)
        let input = try CertificateRejectionInput(InputBody.body(req))
        return CertificateDTO(try await req.navigator.certificates.reject(cert.requireID(), reason: input.reason, by: try req.requirePrincipal(),
                                                                            on: req.db))
    }

    static func financing(req: Request) async throws -> CertificateDTO {
        let cert = try await req.find(CertificateModel.self, try id(req), for: .write)
        guard try req.requirePrincipal().role == .parent else { throw Abort(.forbidden) }
        return CertificateDTO(try await req.navigator.certificates.makeFinancing(cert.requireID(), on: req.db))
    }
}
