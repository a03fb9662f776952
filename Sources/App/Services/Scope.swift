import Domain
import Fluent
import Vapor

/// The signed-in user of a request.
struct AuthenticatedUser: Authenticatable, Sendable {
    let principal: Principal
    let displayName: String
    let email: String
    /// Set when the request came with a browser session (not with a bearer token).
    let sessionID: UUID?
}

/// Columns that place a row of a model in the access scopes (domain.md §1). Every access-controlled
/// model declares them; `restrict(to:)` and `Request.authorize` are the one mechanism that reads them.
struct ScopeColumns: Sendable {
    let region: FieldKey
    let municipality: FieldKey?
    let provider: FieldKey?
    let family: FieldKey?
}

protocol ScopedModel: Model {
    static var scopeColumns: ScopeColumns { get }
    var resourceScope: ResourceScope { get }
}

extension ScopedModel {
    /// A query over the rows `principal` may read, or nil when it may read none of them.
    static func scopedQuery(on db: any Database, for principal: Principal) -> QueryBuilder<Self>? {
        let c = scopeColumns
        let q = Self.query(on: db).filter(.path([c.region], schema: schema), .equal, .bind(principal.regionCode))
        func by(_ key: FieldKey?, _ value: UUID?) -> QueryBuilder<Self>? {
            guard let key, let value else { return nil }
            return q.filter(.path([key], schema: schema), .equal, .bind(value))
        }
        switch principal.role {
        case .operator_:
            return q
        case .municipality:
            return by(c.municipality, principal.municipalityID)
        case .provider:
            return by(c.provider, principal.providerID)
        case .parent:
            return by(c.family, principal.userID)
        case .monitor:
            if let m = principal.municipalityID { return by(c.municipality, m) }
            return q
        }
    }
}

extension Request {
    var user: AuthenticatedUser? { auth.get(AuthenticatedUser.self) }

    /// The signed-in principal, or 401.
    func requirePrincipal() throws -> Principal {
        guard let user else { throw Abort(.unauthorized) }
        return user.principal
    }

    /// Refuses (404, so that nothing is revealed of another's data) unless the principal may act on `model`.
    func authorize<M: ScopedModel>(_ model: M, _ action: AccessAction) throws {
        let p = try requirePrincipal()
        guard AccessPolicy.allows(p, action, model.resourceScope) else {
            throw Abort(.notFound)
        }
    }

    /// Loads a model by id and authorizes it; 404 when missing or foreign.
    func find<M: ScopedModel>(_ type: M.Type, _ id: M.IDValue?, for action: AccessAction) async throws -> M {
        guard let id, let model = try await M.find(id, on: db) else { throw Abort(.notFound) }
        try authorize(model, action)
        return model
    }
}

extension ChildModel: ScopedModel {
    static let scopeColumns = ScopeColumns(region: "region_code", municipality: "municipality_id", provider: nil,
                                           family: "family_id")
    var resourceScope: ResourceScope {
        ResourceScope(regionCode: regionCode, municipalityID: municipalityID, familyID: familyID)
    }
}

extension ProviderModel: ScopedModel {
    static let scopeColumns = ScopeColumns(region: "region_code", municipality: "municipality_id", provider: "id",
                                           family: nil)
    var resourceScope: ResourceScope {
        ResourceScope(regionCode: regionCode, municipalityID: municipalityID, providerID: id)
    }
}

extension UserModel: ScopedModel {
    static let scopeColumns = ScopeColumns(region: "region_code", municipality: "municipality_id",
                                           provider: "provider_id", family: "id")
    var resourceScope: ResourceScope {
        ResourceScope(regionCode: regionCode, municipalityID: municipalityID, providerID: providerID,
                      familyID: role == .parent ? id : nil)
    }
}
