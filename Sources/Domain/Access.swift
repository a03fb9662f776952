import Foundation

/// The roles of domain.md §1.
public enum Role: String, Sendable, Codable, CaseIterable {
    case operator_ = "operator"
    case municipality
    case provider
    case parent
    case monitor

    public var title: String {
        switch self {
        case .operator_: "оператор ПФДО (региональный модельный центр)"
        case .municipality: "уполномоченный орган муниципалитета"
        case .provider: "поставщик образовательных услуг"
        case .parent: "родитель (законный представитель)"
        case .monitor: "наблюдатель"
        }
    }
}

/// Who is asking: a signed-in user with the scope of the role.
public struct Principal: Sendable, Hashable {
    public let userID: UUID
    public let role: Role
    /// Region code; every account belongs to one region.
    public let regionCode: String
    /// Set for municipality staff, and for a monitor scoped to a municipality.
    public let municipalityID: UUID?
    /// Set for provider staff.
    public let providerID: UUID?
    /// Provider staff allowed to confirm certificates (when the provider is an issuing point).
    public let mayConfirmCertificates: Bool

    public init(userID: UUID, role: Role, regionCode: String, municipalityID: UUID? = nil,
                providerID: UUID? = nil, mayConfirmCertificates: Bool = false) {
        self.userID = userID
        self.role = role
        self.regionCode = regionCode
        self.municipalityID = municipalityID
        self.providerID = providerID
        self.mayConfirmCertificates = mayConfirmCertificates
    }

    /// The family of a parent is the parent's own account.
    public var familyID: UUID? { role == .parent ? userID : nil }
}

/// Where a resource lives. Every entity that is access-controlled describes itself with one of these
/// (see `ScopedResource` in App); the policy below is the one place that decides.
public struct ResourceScope: Sendable, Hashable {
    public let regionCode: String
    public let municipalityID: UUID?
    public let providerID: UUID?
    /// The parent account owning the resource (a child, a certificate, an application).
    public let familyID: UUID?

    public init(regionCode: String, municipalityID: UUID? = nil, providerID: UUID? = nil, familyID: UUID? = nil) {
        self.regionCode = regionCode
        self.municipalityID = municipalityID
        self.providerID = providerID
        self.familyID = familyID
    }
}

public enum AccessAction: Sendable, Hashable {
    case read
    case write
}

public enum AccessPolicy {
    /// Whether `principal` may perform `action` on a resource in `scope`.
    ///
    /// - operator: everything in the region;
    /// - municipality staff: resources of their municipality;
    /// - provider staff: resources of their provider;
    /// - parent: resources of their family;
    /// - monitor: reads only, in the region or in the municipality it is scoped to.
    public static func allows(_ principal: Principal, _ action: AccessAction, _ scope: ResourceScope) -> Bool {
        guard principal.regionCode == scope.regionCode else { return false }
        switch principal.role {
        case .operator_:
            return true
        case .municipality:
            guard let mine = principal.municipalityID else { return false }
            return scope.municipalityID == mine
        case .provider:
            guard let mine = principal.providerID else { return false }
            return scope.providerID == mine
        case .parent:
            return scope.familyID == principal.userID
        case .monitor:
            guard action == .read else { return false }
            if let mine = principal.municipalityID { return scope.municipalityID == mine }
            return true
        }
    }
}
