import Domain
import Fluent
import Foundation

/// A period of a municipality (usually a calendar year); dates are local ISO dates.
final class PeriodModel: Model, @unchecked Sendable {
    static let schema = "periods"
    @ID(key: .id) var id: UUID?
    @Field(key: "municipality_id") var municipalityID: UUID
    @Field(key: "starts_on") var startsOn: String
    @Field(key: "ends_on") var endsOn: String
    @Field(key: "status") var status: PeriodStatus
    @Field(key: "contracting_open") var contractingOpen: Bool
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}

extension CertificateModel {
    /// What the certificate's lifecycle (`CertificateLifecycle`) moves.
    var state: CertificateState {
        get { CertificateState(status: status, kind: kind, frozen: frozen) }
        set {
            status = newValue.status
            kind = newValue.kind
            frozen = newValue.frozen
        }
    }
}

/// Сертификат дополнительного образования: one per child, ever.
final class CertificateModel: Model, @unchecked Sendable {
    static let schema = "certificates"
    @ID(key: .id) var id: UUID?
    @Field(key: "child_id") var childID: UUID
    @Field(key: "family_id") var familyID: UUID
    @Field(key: "region_code") var regionCode: String
    @Field(key: "municipality_id") var municipalityID: UUID
    @OptionalField(key: "number") var number: String?
    @Field(key: "kind") var kind: CertificateKind
    @Field(key: "status") var status: CertificateStatus
    @Field(key: "frozen") var frozen: Bool
    @OptionalField(key: "group_id") var groupID: UUID?
    @OptionalField(key: "financing_since") var financingSince: Date?
    @OptionalField(key: "rejection_reason") var rejectionReason: String?
    @OptionalField(key: "confirmed_by") var confirmedBy: UUID?
    @OptionalField(key: "confirmed_at") var confirmedAt: Date?
    @Field(key: "closes_on") var closesOn: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}

extension CertificateModel: ScopedModel {
    static let scopeColumns = ScopeColumns(region: "region_code", municipality: "municipality_id", provider: nil,
                                           family: "family_id")
    var resourceScope: ResourceScope {
        ResourceScope(regionCode: regionCode, municipalityID: municipalityID, familyID: familyID)
    }
}

/// Группа сертификатов of a municipality: caps and the rules of the ПФ certificates in it.
final class CertificateGroupModel: Model, @unchecked Sendable {
    static let schema = "certificate_groups"
    @ID(key: .id) var id: UUID?
    @Field(key: "municipality_id") var municipalityID: UUID
    @Field(key: "name") var name: String
    @Field(key: "cap_count") var capCount: Int
    @Field(key: "cap_sum") var capSum: Int64
    @Field(key: "return_after_days") var returnAfterDays: Int
    @Field(key: "carry_over") var carryOver: Bool
    @Field(key: "prorate") var prorate: Bool
    @Field(key: "version") var version: Int64
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}

final class GroupNominalModel: Model, @unchecked Sendable {
    static let schema = "certificate_group_nominals"
    @ID(key: .id) var id: UUID?
    @Field(key: "group_id") var groupID: UUID
    @Field(key: "period_id") var periodID: UUID
    @Field(key: "nominal") var nominal: Int64

    init() {}
}

final class NotificationModel: Model, @unchecked Sendable {
    static let schema = "notifications"
    @ID(key: .id) var id: UUID?
    @Field(key: "user_id") var userID: UUID
    @Field(key: "kind") var kind: NotificationKind
    @Field(key: "text") var text: String
    @OptionalField(key: "link") var link: String?
    @OptionalField(key: "dedupe_key") var dedupeKey: String?
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "read_at") var readAt: Date?

    init() {}
}
