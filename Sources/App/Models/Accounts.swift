import Domain
import Fluent
import Foundation

final class UserModel: Model, @unchecked Sendable {
    static let schema = "users"
    @ID(key: .id) var id: UUID?
    @Field(key: "email") var email: String
    @Field(key: "password_hash") var passwordHash: String
    @Field(key: "surname") var surname: String
    @Field(key: "name") var name: String
    @Field(key: "patronymic") var patronymic: String
    @OptionalField(key: "phone") var phone: String?
    @Field(key: "role") var role: Role
    @Field(key: "region_code") var regionCode: String
    @OptionalField(key: "municipality_id") var municipalityID: UUID?
    @OptionalField(key: "provider_id") var providerID: UUID?
    @Field(key: "may_confirm_certificates") var mayConfirmCertificates: Bool
    @Field(key: "is_active") var isActive: Bool
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @OptionalField(key: "password_changed_at") var passwordChangedAt: Date?

    init() {}

    var fullName: String { [surname, name, patronymic].filter { !$0.isEmpty }.joined(separator: " ") }

    var principal: Principal? {
        guard let id else { return nil }
        return Principal(userID: id, role: role, regionCode: regionCode, municipalityID: municipalityID,
                         providerID: providerID, mayConfirmCertificates: mayConfirmCertificates)
    }
}

/// A browser session. The cookie carries a random token; only its SHA-256 is stored.
final class SessionModel: Model, @unchecked Sendable {
    static let schema = "sessions"
    @ID(key: .id) var id: UUID?
    @Field(key: "token_hash") var tokenHash: String
    @Parent(key: "user_id") var user: UserModel
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "expires_at") var expiresAt: Date
    @OptionalField(key: "address") var address: String?

    init() {}
}

/// A bearer token for /api. Only its SHA-256 is stored.
final class APITokenModel: Model, @unchecked Sendable {
    static let schema = "api_tokens"
    @ID(key: .id) var id: UUID?
    @Field(key: "token_hash") var tokenHash: String
    @Parent(key: "user_id") var user: UserModel
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "expires_at") var expiresAt: Date

    init() {}
}

/// Failed logins counted per key: `account:<email>` or `address:<ip>`.
final class LoginFailureModel: Model, @unchecked Sendable {
    static let schema = "login_failures"
    @ID(custom: "key", generatedBy: .user) var id: String?
    @Field(key: "failures") var failures: Int
    @Field(key: "window_start") var windowStart: Date
    @OptionalField(key: "locked_until") var lockedUntil: Date?

    init() {}
}
